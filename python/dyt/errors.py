"""Exceptions raised by the dyt package."""


class DytError(RuntimeError):
    """Base class of every error the dyt package raises."""


class DytImportError(DytError):
    """A PyTorch module could not be brought into dyt-mlir.

    Attributes:
      stage:       "torch.export", "torch-mlir" or "dyt-opt": who failed.
      op:          the operator at fault ("aten.median.dim", "tm_tensor.sort"),
                   or None when it is not known.
      module_path: the dotted path of the nn.Module that holds the op, as in
                   `named_modules()` ("" for the root), or None when not known.
      module_type: that module's class name, or None.
      detail:      the underlying message (diagnostics, exception text).
    """

    def __init__(self, stage, message, op=None, module_path=None,
                 module_type=None, detail=""):
        self.stage = stage
        self.op = op
        self.module_path = module_path
        self.module_type = module_type
        self.detail = detail
        text = f"{stage}: {message}"
        if detail:
            text += "\n" + detail.rstrip()
        super().__init__(text)


class DytToolError(DytError):
    """A dyt-mlir tool (dyt-opt, dyt-run, dyt-compare) exited non-zero.

    Attributes: tool, command (the argument list), returncode, stderr.
    """

    def __init__(self, tool, command, returncode, stderr, what=None):
        self.tool = tool
        self.command = list(command)
        self.returncode = returncode
        self.stderr = stderr
        head = f"{tool} failed (exit {returncode})"
        if what:
            head += f" while {what}"
        super().__init__(f"{head}: {' '.join(map(str, command))}\n{stderr.rstrip()}")
