#!/usr/bin/env python3
"""Regenerate test/Transforms/Inputs/torch-mlir/*.mlir with torch-mlir.

These files are the real linalg-on-tensors IR that torch-mlir's FX importer
emits for normalisation modules (LayerNorm, RMSNorm, DyT) and for look-alikes
that must not be raised.  They are inputs for `dyt-raise-norms` tests.

Run with the project's venv (see test/Transforms/Inputs/torch-mlir/README.md):

    /work/main/.venv/bin/python scripts/gen_torch_mlir_inputs.py

Every module is exported with torch.export and imported with
`torch_mlir.fx.export_and_import(..., output_type="linalg-on-tensors")`.
The text torch-mlir prints (with its own bundled MLIR) is then round-tripped
through the system `/usr/lib/llvm-22/bin/mlir-opt` (no passes) so that the
checked-in text is exactly what LLVM 22 prints and is known to parse.  For the
TOSA cases the TOSA output is saved as well and lowered to linalg with the
system mlir-opt's tosa-to-linalg passes.
"""

import argparse
import importlib.metadata
import os
import re
import subprocess
import sys
import tempfile
import textwrap

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch_mlir import fx

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO, "test", "Transforms", "Inputs", "torch-mlir")
MLIR_OPT = "/usr/lib/llvm-22/bin/mlir-opt"
TOSA_PIPELINE = ("builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,"
                 "tosa-to-arith,tosa-to-tensor),canonicalize)")
SCRIPT_CMD = "/work/main/.venv/bin/python scripts/gen_torch_mlir_inputs.py"

B, S, C = 2, 5, 32
SHAPE = (B, S, C)

# ---------------------------------------------------------------------------
# Module sources.  Each case's `src` is exec'd to define the module, and the
# same text goes into the file header, so the header is exactly what ran.
# ---------------------------------------------------------------------------

LAYERNORM_FN_SRC = """\
class LayerNormFn(nn.Module):  # weight and bias are forward inputs
    def __init__(self, eps):
        super().__init__(); self.eps = eps
    def forward(self, x, w, b):
        return F.layer_norm(x, (x.shape[-1],), w, b, self.eps)
"""

LAYERNORM_MOD_SRC = """\
torch.manual_seed(0)
m = nn.LayerNorm(32, eps={eps})
with torch.no_grad():
    m.weight.copy_(torch.randn(32)); m.bias.copy_(torch.randn(32))
m = m.to({dtype})
"""

LAYERNORM_MANUAL_SRC = """\
class LayerNormManual(nn.Module):  # written out with mean/var
    def forward(self, x, w, b):
        mean = x.mean(-1, keepdim=True)
        var = x.var(-1, keepdim=True, unbiased=False)
        return (x - mean) * torch.rsqrt(var + 1e-5) * w + b
"""

LLAMA_RMSNORM_SRC = """\
class LlamaRMSNorm(nn.Module):  # verbatim from HuggingFace transformers
    def __init__(self, hidden_size, eps=1e-6):
        super().__init__(); self.weight = nn.Parameter(torch.ones(hidden_size)); self.variance_epsilon = eps
    def forward(self, hidden_states):
        input_dtype = hidden_states.dtype
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)
"""
LLAMA_RMSNORM_CTOR = """\
torch.manual_seed(0)
m = LlamaRMSNorm(32)
with torch.no_grad():
    m.weight.copy_(torch.randn(32))  # non-splat weight
m = m.to({dtype})
"""

RMSNORM_FN_SRC = """\
class LlamaRMSNormFn(nn.Module):  # LlamaRMSNorm body, weight is a forward input
    def __init__(self, eps=1e-6):
        super().__init__(); self.variance_epsilon = eps
    def forward(self, hidden_states, weight):
        input_dtype = hidden_states.dtype
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return weight * hidden_states.to(input_dtype)
"""

TORCH_RMSNORM_SRC = """\
torch.manual_seed(0)
m = nn.RMSNorm(32, eps={eps})
with torch.no_grad():
    m.weight.copy_(torch.randn(32))
m = m.to({dtype})
"""

TORCH_RMSNORM_FN_SRC = """\
class RMSNormFn(nn.Module):  # torch.nn.functional.rms_norm, weight is a forward input
    def forward(self, x, w):
        return F.rms_norm(x, (x.shape[-1],), w, 1e-6)
"""

DYT_SRC = """\
class DynamicTanh(nn.Module):  # as in "Transformers without Normalization"
    def __init__(self, normalized_shape, alpha_init_value=0.5):
        super().__init__(); self.alpha = nn.Parameter(torch.ones(1) * alpha_init_value)
        self.weight = nn.Parameter(torch.ones(normalized_shape)); self.bias = nn.Parameter(torch.zeros(normalized_shape))
    def forward(self, x):
        x = torch.tanh(self.alpha * x)
        return x * self.weight + self.bias
"""
DYT_CTOR = """\
torch.manual_seed(0)
m = DynamicTanh(32)
with torch.no_grad():
    m.weight.copy_(torch.randn(32)); m.bias.copy_(torch.randn(32))  # non-splat
m = m.to({dtype})
"""

DYT_FN_SRC = """\
class DynamicTanhFn(nn.Module):  # alpha (shape [1]), weight, bias are forward inputs
    def forward(self, x, alpha, weight, bias):
        x = torch.tanh(alpha * x)
        return x * weight + bias
"""

# --- negatives -------------------------------------------------------------

NEG_LN_DIM0_SRC = """\
class NormOverDim0(nn.Module):  # normalises over dim 0 (batch), not the last dim
    def forward(self, x, w, b):
        mean = x.mean(0, keepdim=True)
        var = x.var(0, keepdim=True, unbiased=False)
        return (x - mean) * torch.rsqrt(var + 1e-5) * w + b
"""

NEG_LN_DIM1_SRC = """\
class NormOverMiddleDim(nn.Module):  # normalises over dim 1 of [2,5,32], not the last dim
    def forward(self, x, w, b):
        mean = x.mean(1, keepdim=True)
        var = x.var(1, keepdim=True, unbiased=False)
        return (x - mean) * torch.rsqrt(var + 1e-5) * w + b
"""

NEG_LN_EPS_AFTER_SQRT_SRC = """\
class NormEpsAfterSqrt(nn.Module):  # (x - mean) / (sqrt(var) + eps): eps outside the sqrt
    def forward(self, x, w, b):
        mean = x.mean(-1, keepdim=True)
        var = x.var(-1, keepdim=True, unbiased=False)
        return (x - mean) / (torch.sqrt(var) + 1e-5) * w + b
"""

NEG_LN_UNBIASED_SRC = """\
class NormUnbiasedVar(nn.Module):  # Bessel-corrected variance (divides by C-1)
    def forward(self, x, w, b):
        mean = x.mean(-1, keepdim=True)
        var = x.var(-1, keepdim=True, unbiased=True)
        return (x - mean) * torch.rsqrt(var + 1e-5) * w + b
"""

NEG_LN_FULL_GAMMA_SRC = """\
class LayerNormFullGamma(nn.Module):  # gamma/beta have the input's full shape [2,5,32]
    def forward(self, x, g, b):
        y = F.layer_norm(x, (x.shape[-1],), None, None, 1e-5)
        return y * g + b
"""

NEG_RMS_NO_EPS_SRC = """\
class RMSNormNoEps(nn.Module):  # RMSNorm without the epsilon
    def forward(self, x, w):
        variance = x.pow(2).mean(-1, keepdim=True)
        return w * (x * torch.rsqrt(variance))
"""

NEG_DYT_VEC_ALPHA_SRC = """\
class DynamicTanhVecAlpha(nn.Module):  # alpha is a per-channel vector [32], not a scalar
    def forward(self, x, alpha, weight, bias):
        x = torch.tanh(alpha * x)
        return x * weight + bias
"""


def rnd(*shape, dtype=torch.float32):
    return torch.randn(*shape).to(dtype)


def _ns():
    return {"torch": torch, "nn": nn, "F": F}


def make_class_case(name, src, cls_expr, inputs, what, tosa=False):
    """Case whose module is built as `cls_expr` after exec'ing `src`."""
    return dict(name=name, src=src + f"m = {cls_expr}\n", inputs=inputs,
                what=what, tosa=tosa)


def make_ctor_case(name, src, inputs, what, tosa=False):
    """Case whose module is built by `src` itself (assigns `m`)."""
    return dict(name=name, src=src, inputs=inputs, what=what, tosa=tosa)


def cases():
    f32, f16, bf16 = torch.float32, torch.float16, torch.bfloat16
    cs = []

    # (a) LayerNorm f32, weights as arguments and as parameters.
    cs.append(make_class_case(
        "layernorm_f32_args", LAYERNORM_FN_SRC, "LayerNormFn(1e-5)",
        [("x", SHAPE, f32), ("w", (C,), f32), ("b", (C,), f32)],
        "F.layer_norm, eps 1e-5, weight/bias as function arguments", tosa=True))
    cs.append(make_ctor_case(
        "layernorm_f32_params",
        LAYERNORM_MOD_SRC.format(eps="1e-5", dtype="torch.float32"),
        [("x", SHAPE, f32)],
        "nn.LayerNorm(32), eps 1e-5, randn weight/bias as module parameters",
        tosa=True))
    cs.append(make_class_case(
        "layernorm_manual_f32_args", LAYERNORM_MANUAL_SRC, "LayerNormManual()",
        [("x", SHAPE, f32), ("w", (C,), f32), ("b", (C,), f32)],
        "LayerNorm written out with mean/var(unbiased=False)/rsqrt, eps 1e-5"))

    # (b) eps and dtype variants.
    cs.append(make_class_case(
        "layernorm_eps1e-6_f32_args", LAYERNORM_FN_SRC, "LayerNormFn(1e-6)",
        [("x", SHAPE, f32), ("w", (C,), f32), ("b", (C,), f32)],
        "F.layer_norm, eps 1e-6, weight/bias as function arguments"))
    cs.append(make_ctor_case(
        "layernorm_eps1e-6_f32_params",
        LAYERNORM_MOD_SRC.format(eps="1e-6", dtype="torch.float32"),
        [("x", SHAPE, f32)], "nn.LayerNorm(32, eps=1e-6), parameters"))
    for dt in (f16, bf16):
        cs.append(make_ctor_case(
            f"layernorm_{short(dt)}_params",
            LAYERNORM_MOD_SRC.format(eps="1e-5", dtype=dt_name(dt)),
            [("x", SHAPE, dt)],
            f"nn.LayerNorm(32).to({dt_name(dt)}), eps 1e-5, parameters"))
        cs.append(make_class_case(
            f"layernorm_{short(dt)}_args", LAYERNORM_FN_SRC, "LayerNormFn(1e-5)",
            [("x", SHAPE, dt), ("w", (C,), dt), ("b", (C,), dt)],
            f"F.layer_norm on {dt_name(dt)}, eps 1e-5, weight/bias arguments"))

    # (c) RMSNorm.
    for dt in (f32, f16, bf16):
        cs.append(make_ctor_case(
            f"llama_rmsnorm_{short(dt)}_params",
            LLAMA_RMSNORM_SRC + LLAMA_RMSNORM_CTOR.format(dtype=dt_name(dt)),
            [("x", SHAPE, dt)],
            f"HF LlamaRMSNorm(32).to({dt_name(dt)}), eps 1e-6, weight parameter",
            tosa=(dt == f32)))
    for dt in (f32, bf16):
        cs.append(make_class_case(
            f"llama_rmsnorm_{short(dt)}_args", RMSNORM_FN_SRC, "LlamaRMSNormFn()",
            [("x", SHAPE, dt), ("w", (C,), dt)],
            f"LlamaRMSNorm body on {dt_name(dt)}, weight as function argument",
            tosa=(dt == f32)))
    if hasattr(nn, "RMSNorm"):
        cs.append(make_ctor_case(
            "torch_rmsnorm_f32_params",
            TORCH_RMSNORM_SRC.format(eps="1e-6", dtype="torch.float32"),
            [("x", SHAPE, f32)], "torch.nn.RMSNorm(32, eps=1e-6), weight parameter"))
        cs.append(make_ctor_case(
            "torch_rmsnorm_epsnone_f32_params",
            TORCH_RMSNORM_SRC.format(eps="None", dtype="torch.float32"),
            [("x", SHAPE, f32)],
            "torch.nn.RMSNorm(32) with eps=None (= torch.finfo(f32).eps)"))
        cs[-1]["notes"] = [
            "eager PyTorch adds torch.finfo(f32).eps when eps=None, but torch-mlir",
            "20261001 drops it: the IR below has NO epsilon (same shape as",
            "neg_rmsnorm_no_eps.mlir). A raising pass must treat it as eps-less."]
        cs.append(make_ctor_case(
            "torch_rmsnorm_bf16_params",
            TORCH_RMSNORM_SRC.format(eps="1e-6", dtype="torch.bfloat16"),
            [("x", SHAPE, bf16)], "torch.nn.RMSNorm(32, eps=1e-6).to(bf16)"))
        cs[-1]["notes"] = [
            "torch-mlir decomposes aten.rms_norm without upcasting: every op below",
            "(square, sum, divf, eps add, rsqrt, muls) is in bf16."]
        cs.append(make_class_case(
            "torch_rmsnorm_f32_args", TORCH_RMSNORM_FN_SRC, "RMSNormFn()",
            [("x", SHAPE, f32), ("w", (C,), f32)],
            "F.rms_norm, eps 1e-6, weight as function argument"))

    # (d) DyT.
    for dt in (f32, f16, bf16):
        cs.append(make_ctor_case(
            f"dyt_{short(dt)}_params", DYT_SRC + DYT_CTOR.format(dtype=dt_name(dt)),
            [("x", SHAPE, dt)],
            f"DynamicTanh(32).to({dt_name(dt)}), alpha 0.5, randn weight/bias parameters",
            tosa=(dt == f32)))
    for dt in (f32, bf16):
        cs.append(make_class_case(
            f"dyt_{short(dt)}_args", DYT_FN_SRC, "DynamicTanhFn()",
            [("x", SHAPE, dt), ("alpha", (1,), dt), ("weight", (C,), dt),
             ("bias", (C,), dt)],
            f"DyT on {dt_name(dt)}, alpha[1]/weight/bias as function arguments",
            tosa=(dt == f32)))

    # (e) Negatives.
    lnargs = [("x", SHAPE, f32), ("w", (C,), f32), ("b", (C,), f32)]
    cs.append(make_class_case("neg_norm_over_dim0", NEG_LN_DIM0_SRC,
                              "NormOverDim0()", lnargs,
                              "NEGATIVE: mean/var over dim 0"))
    cs.append(make_class_case("neg_norm_over_middle_dim", NEG_LN_DIM1_SRC,
                              "NormOverMiddleDim()", lnargs,
                              "NEGATIVE: mean/var over dim 1 (middle)"))
    cs.append(make_class_case("neg_layernorm_eps_after_sqrt",
                              NEG_LN_EPS_AFTER_SQRT_SRC, "NormEpsAfterSqrt()",
                              lnargs, "NEGATIVE: (x-mean)/(sqrt(var)+eps)"))
    cs.append(make_class_case("neg_layernorm_unbiased_var", NEG_LN_UNBIASED_SRC,
                              "NormUnbiasedVar()", lnargs,
                              "NEGATIVE: variance divides by C-1 (unbiased)"))
    cs.append(make_class_case("neg_layernorm_full_gamma", NEG_LN_FULL_GAMMA_SRC,
                              "LayerNormFullGamma()",
                              [("x", SHAPE, f32), ("g", SHAPE, f32), ("b", SHAPE, f32)],
                              "NEGATIVE (for the affine part): gamma/beta of full shape 2x5x32"))
    cs.append(make_class_case("neg_rmsnorm_no_eps", NEG_RMS_NO_EPS_SRC,
                              "RMSNormNoEps()", [("x", SHAPE, f32), ("w", (C,), f32)],
                              "NEGATIVE: RMSNorm without epsilon"))
    cs.append(make_class_case("neg_dyt_vector_alpha", NEG_DYT_VEC_ALPHA_SRC,
                              "DynamicTanhVecAlpha()",
                              [("x", SHAPE, f32), ("alpha", (C,), f32),
                               ("weight", (C,), f32), ("bias", (C,), f32)],
                              "NEGATIVE: tanh(alpha*x) with per-channel alpha[32]"))
    return cs


def dt_name(dt):
    return {torch.float32: "torch.float32", torch.float16: "torch.float16",
            torch.bfloat16: "torch.bfloat16"}[dt]


def short(dt):
    return {torch.float32: "f32", torch.float16: "f16", torch.bfloat16: "bf16"}[dt]


def build(case):
    ns = _ns()
    exec(case["src"], ns)
    m = ns["m"].eval()
    torch.manual_seed(1)
    args = tuple(torch.randn(*shape).to(dt) for _, shape, dt in case["inputs"])
    return m, args


def run_mlir_opt(text, extra_args=()):
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        r = subprocess.run([MLIR_OPT, *extra_args, path], capture_output=True,
                           text=True)
    finally:
        os.unlink(path)
    if r.returncode != 0:
        raise RuntimeError(f"mlir-opt {' '.join(extra_args)} failed:\n{r.stderr}")
    return r.stdout


def to_llvm22_text(module):
    """Print with torch-mlir's MLIR and re-print with the system mlir-opt.

    Pretty form first; if LLVM 22 cannot parse it, fall back to generic form.
    Returns (text, form)."""
    pretty = str(module)
    try:
        return run_mlir_opt(pretty), "pretty"
    except RuntimeError as e:
        sys.stderr.write(f"  pretty form did not parse with LLVM 22, using generic: {e}\n")
    import io
    buf = io.StringIO()
    module.operation.print(file=buf, print_generic_op_form=True)
    return run_mlir_opt(buf.getvalue()), "generic"


FORBIDDEN = re.compile(r"\btorch\.(?!tensor_)|\btorch_c\.|\bstablehlo\.")


def check_clean(text, name, allow_tosa=False):
    body = text.split("{-#")[0]  # dialect_resources keys are named torch_tensor_*
    for line in body.splitlines():
        if FORBIDDEN.search(line):
            raise RuntimeError(f"{name}: non-upstream op left: {line.strip()}")
        if not allow_tosa and re.search(r"\btosa\.", line):
            raise RuntimeError(f"{name}: tosa op left: {line.strip()}")


def header(case, versions, kind, extra_cmd_lines=()):
    lines = [
        f"// Generated by: cd /work/main && {SCRIPT_CMD} --only {case['name']}",
        f"//   torch {versions['torch']}, torch-mlir {versions['torch-mlir']}"
        f" (PyPI), Python {versions['python']}",
    ]
    lines += [
        f"// Output: {kind}",
    ]
    lines += [f"// {l}" for l in extra_cmd_lines]
    lines += [
        f"// Case: {case['what']}",
    ]
    lines += [f"// Note: {l}" for l in case.get("notes", [])]
    lines += [
        "// Inputs: " + ", ".join(
            f"{n}: [{'x'.join(map(str, s))}] {dt_name(dt)}"
            for n, s, dt in case["inputs"]),
        "// PyTorch source:",
    ]
    lines += ["//   " + l if l else "//" for l in case["src"].rstrip().splitlines()]
    lines.append("")
    return "\n".join(lines) + "\n"


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    # Final check: the checked-in file parses with the system mlir-opt.
    r = subprocess.run([MLIR_OPT, path], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{path} does not parse:\n{r.stderr}")
    print(f"  wrote {os.path.relpath(path, REPO)} ({len(text)} bytes)")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", default=[],
                    help="generate only the named case(s)")
    ap.add_argument("--out-dir", default=OUT_DIR)
    opts = ap.parse_args()

    versions = {
        "torch": torch.__version__,
        "torch-mlir": importlib.metadata.version("torch-mlir"),
        "python": ".".join(map(str, sys.version_info[:3])),
    }
    os.makedirs(opts.out_dir, exist_ok=True)
    failures = []
    for case in cases():
        if opts.only and case["name"] not in opts.only:
            continue
        print(f"{case['name']}:")
        try:
            m, args = build(case)
            mod = fx.export_and_import(m, *args, output_type="linalg-on-tensors")
            text, form = to_llvm22_text(mod)
            check_clean(text, case["name"])
            extra = [f"Then re-printed by: {MLIR_OPT} (no passes; "
                     f"torch-mlir's {form} form parsed by LLVM 22)"]
            write(os.path.join(opts.out_dir, case["name"] + ".mlir"),
                  header(case, versions,
                         'torch_mlir.fx.export_and_import(m, *inputs, '
                         'output_type="linalg-on-tensors")', extra) + text)

            if case["tosa"]:
                m, args = build(case)
                tmod = fx.export_and_import(m, *args, output_type="tosa")
                ttext, tform = to_llvm22_text(tmod)
                check_clean(ttext, case["name"] + ".tosa", allow_tosa=True)
                write(os.path.join(opts.out_dir, case["name"] + ".tosa.mlir"),
                      header(case, versions,
                             'torch_mlir.fx.export_and_import(m, *inputs, '
                             'output_type="tosa")',
                             [f"Then re-printed by: {MLIR_OPT} (no passes; "
                              f"torch-mlir's {tform} form parsed by LLVM 22)"])
                      + ttext)
                ltext = run_mlir_opt(ttext, [f"--pass-pipeline={TOSA_PIPELINE}"])
                check_clean(ltext, case["name"] + ".tosa-linalg")
                write(os.path.join(opts.out_dir, case["name"] + ".tosa-linalg.mlir"),
                      header(case, versions,
                             "TOSA route: linalg lowered from "
                             f"{case['name']}.tosa.mlir",
                             [f"Then lowered by: {MLIR_OPT} "
                              f"'--pass-pipeline={TOSA_PIPELINE}' "
                              f"{case['name']}.tosa.mlir"])
                      + ltext)
        except Exception as e:  # keep going; report at the end
            msg = f"{case['name']}: {type(e).__name__}: {e}"
            print("  FAILED " + msg.splitlines()[0])
            failures.append(msg)
    if failures:
        print("\nFailures:\n" + "\n\n".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
