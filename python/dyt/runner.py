"""Running MLIR functions on numpy arrays through dyt-run.

    f = dyt.compile(ir, entry="forward", threads=1)
    y = f(x)            # numpy in, numpy out (a tuple for several results)

Each call writes the arguments as .npy files to a temporary directory and
runs `dyt-run FILE -e ENTRY --input ... --output ...`, which JIT-compiles
the function with dyt-cpu-pipeline.
"""

import os
import re
import shutil
import tempfile

import numpy as np

from .errors import DytError
from .tools import run_tool

# element type -> the numpy dtype dyt-run reads for it (bf16: float32 data)
_DTYPES = {
    "f32": np.float32, "f16": np.float16, "bf16": np.float32, "f64": np.float64,
    "i32": np.int32, "i64": np.int64, "i8": np.int8, "i1": np.bool_,
}
_TENSOR = re.compile(r"^tensor<(?:([?\d]+(?:x[?\d]+)*)x)?(\w+)>$")


class Signature:
    """Argument and result types of one func.func, read from MLIR text."""

    def __init__(self, args, results):
        self.args = args          # list of type strings
        self.results = results

    @staticmethod
    def parse(text, entry):
        m = re.search(r"func\.func\s+(?:public\s+|private\s+)?@" + re.escape(entry) +
                      r"\s*\(", text)
        if not m:
            raise DytError(f"no function @{entry} in the module")
        pos = m.end() - 1
        arg_text, pos = _balanced(text, pos)
        rest = text[pos:].lstrip()
        results = []
        if rest.startswith("->"):
            rest = rest[2:].lstrip()
            if rest.startswith("("):
                result_text, _ = _balanced(rest, 0)
                results = [_type_of(r, named=False) for r in _split_top(result_text)]
            else:
                results = [_read_type(rest)]
        args = [_type_of(a, named=True) for a in _split_top(arg_text)]
        return Signature(args, results)


def _balanced(text, pos):
    """(inside of the bracket group opening at text[pos], index after it)."""
    depth = 0
    pairs = {"(": ")", "<": ">", "{": "}", "[": "]"}
    closers = set(pairs.values())
    i = pos
    in_string = False
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in pairs and not (c == "<" and text[i - 1] == "-"):
            depth += 1
        elif c in closers and not (c == ">" and text[i - 1] == "-"):
            depth -= 1
            if depth == 0:
                return text[pos + 1:i], i + 1
        i += 1
    raise DytError("unbalanced brackets in a function signature")


def _split_top(text):
    """Splits at commas outside brackets and strings."""
    parts, depth, start, in_string = [], 0, 0, False
    for i, c in enumerate(text):
        if in_string:
            in_string = c != '"' or text[i - 1] == "\\"
        elif c == '"':
            in_string = True
        elif c in "(<{[":
            depth += 1
        elif c in ")>}]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:])
    return [p.strip() for p in parts]


def _read_type(text):
    """The type at the start of `text` (up to a space or '{' outside <>)."""
    depth = 0
    for i, c in enumerate(text):
        if c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        elif depth == 0 and (c.isspace() or c in "{,)"):
            return text[:i]
    return text.strip()


def _type_of(decl, named):
    """'%arg0: tensor<2x3xf32> {attrs}' -> 'tensor<2x3xf32>'."""
    if named:
        decl = decl.split(":", 1)[1].lstrip()
    return _read_type(decl)


def numpy_dtype(mlir_type):
    """The numpy dtype dyt-run expects for an argument of `mlir_type`."""
    m = _TENSOR.match(mlir_type)
    elem = m.group(2) if m else mlir_type
    if elem not in _DTYPES:
        raise DytError(f"dyt-run does not take arguments of type {mlir_type}")
    return _DTYPES[elem]


def _as_numpy(value):
    if hasattr(value, "detach"):  # a torch.Tensor, without importing torch
        value = value.detach().cpu()
        if str(value.dtype) == "torch.bfloat16":
            value = value.float()
        value = value.numpy()
    return np.asarray(value)


class CompiledFunction:
    """A function of an MLIR module, callable on numpy arrays (dyt-run)."""

    def __init__(self, ir, entry="forward", threads=1, pipeline=None):
        self.entry = entry
        self.threads = threads
        self.pipeline = pipeline
        self.signature = Signature.parse(ir, entry)
        self._dir = tempfile.mkdtemp(prefix="dyt-")
        self.path = os.path.join(self._dir, "module.mlir")
        with open(self.path, "w") as f:
            f.write(ir)

    def __del__(self):
        shutil.rmtree(getattr(self, "_dir", ""), ignore_errors=True)

    def __call__(self, *args):
        sig = self.signature
        if len(args) != len(sig.args):
            raise DytError(f"@{self.entry} takes {len(sig.args)} arguments "
                           f"({', '.join(sig.args)}), got {len(args)}")
        with tempfile.TemporaryDirectory(prefix="dyt-call-") as tmp:
            command = [self.path, "-e", self.entry]
            if self.threads is not None:
                command.append(f"--threads={self.threads}")
            if self.pipeline:
                command.append(f"--pipeline={self.pipeline}")
            for i, (value, mlir_type) in enumerate(zip(args, sig.args)):
                array = np.asarray(_as_numpy(value), dtype=numpy_dtype(mlir_type), order="C")
                path = os.path.join(tmp, f"in{i}.npy")
                np.save(path, array)
                command += ["--input", path]
            outputs = [os.path.join(tmp, f"out{i}.npy") for i in range(len(sig.results))]
            for path in outputs:
                command += ["--output", path]
            run_tool("dyt-run", command, what=f"running @{self.entry}")
            results = tuple(np.load(p) for p in outputs)
        if len(results) == 1:
            return results[0]
        return results


def compile(ir, entry="forward", threads=1, pipeline=None):  # noqa: A001
    """Returns a callable that runs @`entry` of the MLIR text `ir` on numpy
    arrays (or torch tensors) with dyt-run; one array for one result, a
    tuple for several. bf16 arguments take float32 data and bf16 results
    come back as float32 (numpy has no bf16). `threads` is dyt-run's
    --threads (None: the machine's); `pipeline` its --pipeline."""
    return CompiledFunction(ir, entry=entry, threads=threads, pipeline=pipeline)
