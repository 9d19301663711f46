"""PyTorch -> dyt-mlir, on top of torch-mlir's FX importer.

    from_torch(module, *example_inputs, params="constants",
               replace_norms=False, **alpha_options) -> str

1. torch.export (non-strict) of the module on the example inputs, then
   torch-mlir's default decomposition table;
2. torch-mlir's FX importer, lowered to linalg-on-tensors, function @forward;
3. `dyt-opt` with dyt-raise-norms (LayerNorm, RMSNorm and DyT written in
   primitive ops become dyt.layer_norm / dyt.rms_norm / dyt.dyt), and with
   replace_norms=True dyt-replace-norms (every norm becomes dyt.dyt).

Every node of the exported graph gets a location that names its nn.Module
path and its aten op (`loc("blocks.0.attn":17:0)`: the line is the node's
index), so that an error from torch-mlir or dyt-opt can name both.
"""

import re

from .errors import DytImportError, DytToolError
from .tools import run_tool

PARAM_MODES = ("constants", "arguments")

# from_torch keyword -> dyt-replace-norms option
ALPHA_OPTIONS = {
    "alpha": "alpha",
    "alpha_attn": "alpha-attn",
    "alpha_ffn": "alpha-ffn",
    "alpha_final": "alpha-final",
    "alpha_as_argument": "alpha-as-argument",
}

RAISE_PIPELINE = "builtin.module(func.func(dyt-raise-norms))"

# Dialects that torch-mlir may leave behind and that dyt-mlir cannot compile.
_FOREIGN_OP = re.compile(r"(?<![\w.\"#])((?:torch|torch_c|tm_tensor|stablehlo|tosa|ml_program)"
                         r"\.[A-Za-z_][\w.]*)")
_LOC_REF = re.compile(r"loc\((#loc\d*)\)")
_LOC_FILE = re.compile(r'"([^"]*)":(\d+):\d+')
_LOC_DEF = re.compile(r"^(#loc\d*) = loc\((.*)\)\s*$", re.M)
_ATEN_OP = re.compile(r"\b(aten[.:]{1,2}[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)?)")

_WRAPPED = "_dyt_module"  # submodule name of the params-as-arguments wrapper
_MAX_DETAIL = 4000


def replace_norms_pipeline(**alpha_options):
    """The dyt-replace-norms pipeline string for the given alpha options."""
    opts = []
    for key, value in alpha_options.items():
        if key not in ALPHA_OPTIONS:
            raise TypeError(f"unknown alpha option {key!r}; expected one of "
                            f"{', '.join(ALPHA_OPTIONS)}")
        if value is None:
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = repr(float(value))
        opts.append(f"{ALPHA_OPTIONS[key]}={text}")
    inner = "dyt-replace-norms" + ("{" + " ".join(opts) + "}" if opts else "")
    return f"builtin.module({inner})"


def from_torch(module, *example_inputs, params="constants", replace_norms=False,
               **alpha_options):
    """Imports `module` called on `example_inputs` as MLIR text.

    The result is one module whose function @forward takes the example
    inputs (their shapes and dtypes) and, with params="arguments", the
    module's parameters after them in `named_parameters()` order; with
    params="constants" the parameters are `dense_resource` constants.
    Buffers are always constants. Norms come out as dyt ops; with
    replace_norms=True, every LayerNorm/RMSNorm becomes dyt.dyt, with alpha
    from the options alpha, alpha_attn, alpha_ffn, alpha_final and
    alpha_as_argument (see dyt-replace-norms).

    The module is exported in the mode it is in: call .eval() first for
    inference (dropout, batch-norm statistics).

    Raises DytImportError naming the op and the module path when
    torch.export, torch-mlir or dyt-opt cannot handle the module.
    """
    if params not in PARAM_MODES:
        raise ValueError(f"params must be one of {PARAM_MODES}, not {params!r}")
    if alpha_options and not replace_norms:
        raise ValueError("alpha options (" + ", ".join(alpha_options) +
                         ") only apply with replace_norms=True")
    replace = replace_norms_pipeline(**alpha_options) if replace_norms else None

    import torch

    inputs = tuple(x if isinstance(x, torch.Tensor) else torch.as_tensor(x)
                   for x in example_inputs)
    root_type = type(module).__name__
    if params == "arguments":
        names, tensors = [], []
        for name, p in module.named_parameters():
            names.append(name)
            tensors.append(p.detach())
        target = _params_as_arguments(torch, module, names, len(inputs))
        args = inputs + tuple(tensors)
    else:
        target, args = module, inputs

    program = _export(torch, target, args, module)
    nodes = _label_nodes(program, root_type)
    text = _torch_mlir_import(program, nodes)
    raised = _dyt_opt(text, RAISE_PIPELINE, "raising norms (dyt-raise-norms)", nodes)
    if replace:
        raised = _dyt_opt(raised, replace, "replacing norms (dyt-replace-norms)", nodes)
    return raised


# --------------------------------------------------------------------------
# torch.export
# --------------------------------------------------------------------------

def _params_as_arguments(torch, module, names, n_inputs):
    """A module whose forward(*inputs, *params) calls `module` with `params`
    in place of its parameters (torch.func.functional_call)."""

    class ParamsAsArguments(torch.nn.Module):
        def __init__(self):
            super().__init__()
            # Registered, so that torch.export records module paths under it
            # (`_dyt_module.blocks.0`); its own parameters go unused and
            # torch-mlir drops them.
            setattr(self, _WRAPPED, module)

        def forward(self, *args):
            inputs, values = args[:n_inputs], args[n_inputs:]
            return torch.func.functional_call(getattr(self, _WRAPPED),
                                              dict(zip(names, values)), inputs)

    return ParamsAsArguments()


def _export(torch, target, args, module):
    """torch.export + torch-mlir's decompositions; DytImportError on failure,
    naming the innermost module that was running."""
    from torch_mlir.extras.fx_decomp_util import get_decomposition_table

    running = []  # (path, type name) of the modules being called
    handles = []

    def enter(path):
        return lambda mod, _args: running.append((path, type(mod).__name__))

    def leave(mod, _args, _out):
        if running:
            running.pop()

    for path, sub in module.named_modules():
        handles.append(sub.register_forward_pre_hook(enter(path)))
        handles.append(sub.register_forward_hook(leave))
    try:
        program = torch.export.export(target, args, strict=False)
    except Exception as e:  # torch raises many kinds; all end here
        path, type_name = running[-1] if running else (None, None)
        message = str(e)
        op = _first_aten_op(message)
        what = _what(op, path, type_name)
        if op is None and "data-dependent" in message:
            what = "data-dependent control flow " + what[len("the model "):]
        raise DytImportError(
            "torch.export",
            f"cannot export {what} ({type(e).__name__})",
            op=op, module_path=path, module_type=type_name,
            detail=_clip(message)) from e
    finally:
        for h in handles:
            h.remove()
    try:
        program = program.run_decompositions(get_decomposition_table())
    except Exception as e:
        message = str(e)
        op = _first_aten_op(message)
        raise DytImportError("torch.export",
                             f"cannot decompose {_what(op, None, None)} "
                             f"({type(e).__name__})", op=op,
                             detail=_clip(message)) from e
    # torch-mlir 20261001 looks buffers up in the state dict only, where
    # non-persistent buffers (RoPE tables, masks: register_buffer(...,
    # persistent=False)) are not: "Could not find state mapping for buffer".
    # torch.export keeps their values in `constants`; hand them over.
    state = program.state_dict
    for name in program.graph_signature.non_persistent_buffers:
        if name not in state and name in program.constants:
            state[name] = program.constants[name]
    return program


def _first_aten_op(text):
    m = _ATEN_OP.search(text)
    return m.group(1).replace("::", ".") if m else None


def _op_name(target):
    name = str(target)
    if name.startswith("<"):
        name = getattr(target, "__name__", name)
    return name


def _label_nodes(program, root_type):
    """Gives every call node a location "module.path":index, and returns
    {index: (op, module path, module type)}."""
    nodes = {}
    for index, node in enumerate(program.graph.nodes, 1):
        if node.op != "call_function":
            continue
        path, type_name = "", root_type
        stack = node.meta.get("nn_module_stack") or {}
        if stack:
            path, mod_type = list(stack.values())[-1]
            type_name = (mod_type.rsplit(".", 1)[-1] if isinstance(mod_type, str)
                         else getattr(mod_type, "__name__", str(mod_type)))
        if path == _WRAPPED:
            path = ""
        elif path.startswith(_WRAPPED + "."):
            path = path[len(_WRAPPED) + 1:]
        op = _op_name(node.target)
        nodes[index] = (op, path, type_name)
        node.meta["stack_trace"] = (f'File "{path}", line {index}, in {op}\n')
    return nodes


def _what(op, path, type_name):
    """'aten.sort.default in module "blocks.0.attn" (Attention)'."""
    parts = [op or "the model"]
    if path is not None:
        parts.append(f'in module "{path}"' if path else "in the root module")
        if type_name:
            parts.append(f"({type_name})")
    return " ".join(parts)


def _clip(text):
    text = text.strip()
    if len(text) > _MAX_DETAIL:
        text = text[:_MAX_DETAIL] + "\n... (truncated)"
    return text


# --------------------------------------------------------------------------
# torch-mlir
# --------------------------------------------------------------------------

def _node_at(location_text, nodes):
    """The (op, path, type) of the first labelled location in `location_text`."""
    for _file, line in _LOC_FILE.findall(location_text):
        if int(line) in nodes:
            return nodes[int(line)]
    return None


def _torch_mlir_import(program, nodes):
    """torch-mlir FX import, lowered to linalg-on-tensors; returns the text
    with locations (pretty form, function @forward)."""
    from torch_mlir import fx, ir
    from torch_mlir.dialects import torch as torch_d
    from torch_mlir.extras.fx_importer import FxImporter

    context = ir.Context()
    torch_d.register_dialect(context)
    diagnostics = []

    def on_diagnostic(d):
        notes = "".join(f"\n  note: {n.message}" for n in d.notes)
        diagnostics.append((str(d.location), str(d.severity), d.message + notes))
        return True

    context.attach_diagnostic_handler(on_diagnostic)
    try:
        lowered = fx.export_and_import(
            program, output_type="linalg-on-tensors",
            fx_importer=FxImporter(context=context), decomposition_table={},
            func_name="forward")
    except Exception as e:
        errors = [d for d in diagnostics if "ERROR" in d[1].upper()] or diagnostics
        found = None
        for loc, _sev, message in errors:
            found = _node_at(loc, nodes)
            if found:
                break
        op, path, type_name = found or (None, None, None)
        named = re.search(r'name = "torch\.(aten\.[\w.]+)"', "\n".join(m for _, _, m in errors))
        if named:
            op = named.group(1)
        elif op is None:
            op = _first_aten_op("\n".join(m for _, _, m in errors) + str(e))
        lines = [f"{loc}: {message}" for loc, _sev, message in errors]
        raise DytImportError(
            "torch-mlir", f"cannot lower {_what(op, path, type_name)} to "
            "linalg-on-tensors", op=op, module_path=path, module_type=type_name,
            detail=_clip("\n".join(lines) or str(e))) from e
    text = lowered.operation.get_asm(enable_debug_info=True)
    _check_foreign_ops(text, nodes)
    return text


def _check_foreign_ops(text, nodes):
    """DytImportError for the first op torch-mlir left outside the upstream
    dialects (tm_tensor.sort, torch.*), which dyt-mlir cannot compile."""
    body, _, _ = text.partition("{-#")
    aliases = dict(_LOC_DEF.findall(body))
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("#"):
            continue
        code = re.sub(r'"[^"]*"', '""', line)  # not inside strings (locations)
        m = _FOREIGN_OP.search(code)
        if not m:
            continue
        foreign = m.group(1)
        location = _op_location(lines, i, aliases)
        op, path, type_name = _node_at(location, nodes) or (None, None, None)
        if op:
            message = (f"torch-mlir lowered {op} in {_where(path, type_name)} to "
                       f"{foreign}, which is not linalg-on-tensors: dyt-mlir "
                       "cannot compile it")
        else:
            message = (f"torch-mlir left {foreign}, which is not "
                       "linalg-on-tensors: dyt-mlir cannot compile it")
        raise DytImportError(
            "torch-mlir", message,
            op=op or foreign, module_path=path, module_type=type_name,
            detail=line.strip())


def _op_location(lines, i, aliases):
    """The location text of the op that starts on lines[i]: on that line, or,
    for an op with regions, on the line that closes them."""
    line = lines[i]
    if line.rstrip().endswith("{"):
        indent = line[:len(line) - len(line.lstrip())]
        for later in lines[i + 1:]:
            if later.startswith(indent + "}"):
                line = later
                break
    refs = _LOC_REF.findall(line)
    if refs:
        return aliases.get(refs[-1], "")
    return line


def _where(path, type_name):
    if path is None:
        return "an unknown module"
    where = f'module "{path}"' if path else "the root module"
    return where + (f" ({type_name})" if type_name else "")


# --------------------------------------------------------------------------
# dyt-opt
# --------------------------------------------------------------------------

def _dyt_opt(text, pipeline, what, nodes):
    try:
        return run_tool("dyt-opt", [f"--pass-pipeline={pipeline}", "-"], what=what,
                        stdin=text).stdout
    except DytToolError as e:
        found = _node_at(e.stderr, nodes)
        op, path, type_name = found or (None, None, None)
        message = f"failed {what}"
        if found:
            message += f" at {_what(op, path, type_name)}"
        raise DytImportError("dyt-opt", message, op=op, module_path=path,
                             module_type=type_name, detail=_clip(e.stderr)) from e
