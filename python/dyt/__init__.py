"""dyt: PyTorch models into dyt-mlir, and back out as numbers.

    import dyt
    ir = dyt.from_torch(model.eval(), x)              # torch-mlir + dyt-raise-norms
    f = dyt.compile(ir)                               # dyt-run on numpy arrays
    y = f(x.numpy())
    dyt.compare(ir, bench=10, png="compare.png")      # dyt-compare: norm vs DyT

from_torch needs torch and torch-mlir (scripts/setup.sh installs them into
.venv/); compile and compare need only numpy (and matplotlib for the plot).
The tools come from $DYT_BUILD_DIR/bin or <repo>/build/bin.
"""

from .compare import compare, plot
from .errors import DytError, DytImportError, DytToolError
from .importer import from_torch, replace_norms_pipeline
from .runner import CompiledFunction, compile  # noqa: A004
from .tools import build_dir, run_tool, tool_path

__all__ = [
    "from_torch", "compile", "compare", "plot", "CompiledFunction",
    "DytError", "DytImportError", "DytToolError",
    "build_dir", "tool_path", "run_tool", "replace_norms_pipeline",
]
