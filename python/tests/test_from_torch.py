"""dyt.from_torch on ViT- and LLaMA-style blocks: every norm is raised to a
dyt op, and the compiled function matches PyTorch in f32."""

import functools
import re

import numpy as np
import pytest
import torch
import torch.nn as nn

import dyt
from models import (DIM, LLAMA_TOKENS, TOKENS, ConvNeXtStem, DynamicTanh,
                    LlamaBlock, LlamaRMSNorm, VitBlock, randomize)

RTOL = ATOL = 1e-4

# case -> (constructor taking the norm factory, default norm factory,
#          input shape, dyt op the norms become, how many)
CASES = {
    "vit_layernorm": (VitBlock, nn.LayerNorm, (1, TOKENS, DIM), "layer_norm", 2),
    "vit_layernorm_nobias": (VitBlock, lambda d: nn.LayerNorm(d, bias=False),
                             (1, TOKENS, DIM), "layer_norm", 2),
    "vit_dyt": (VitBlock, DynamicTanh, (1, TOKENS, DIM), "dyt", 2),
    "vit_dyt_nobias": (VitBlock, lambda d: DynamicTanh(d, bias=False),
                       (1, TOKENS, DIM), "dyt", 2),
    "llama_rmsnorm": (LlamaBlock, LlamaRMSNorm, (1, LLAMA_TOKENS, DIM), "rms_norm", 3),
    "convnext_dyt_channels_first": (
        lambda norm: ConvNeXtStem(bias=True), None, (1, 16, 5, 5), "dyt", 1),
    "convnext_dyt_channels_first_nobias": (
        lambda norm: ConvNeXtStem(bias=False), None, (1, 16, 5, 5), "dyt", 1),
}
NORM_OPS = ("dyt.layer_norm", "dyt.rms_norm", "dyt.dyt")


def body(ir):
    return ir.split("{-#")[0]  # without the dense_resource blobs


def count_ops(ir, name):
    return len(re.findall(r"=\s*" + re.escape(name) + r"\b", body(ir)))


def count_reductions(ir):
    b = body(ir)
    generic = sum(1 for line in b.splitlines()
                  if "linalg.generic" in line and '"reduction"' in line)
    return generic + len(re.findall(r"\blinalg\.reduce\b", b))


def make(case, norm=None):
    ctor, default_norm, shape, _, _ = CASES[case]
    model = randomize(ctor(norm or default_norm))
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(1))
    return model, x


@functools.lru_cache(maxsize=None)
def imported(case, params):
    model, x = make(case)
    return model, x, dyt.from_torch(model, x, params=params)


@functools.lru_cache(maxsize=None)
def reductions_without_norms(case):
    """Reductions in the same model with every norm an nn.Identity: what
    remains once the norms are raised (softmax's max and sum)."""
    model, x = make(case, norm=lambda d: nn.Identity())
    return count_reductions(dyt.from_torch(model, x))


def reference(model, x):
    with torch.no_grad():
        return model(x).numpy()


PARAMS_CASES = [(c, "constants") for c in CASES] + [
    (c, "arguments") for c in ("vit_layernorm", "vit_dyt", "llama_rmsnorm",
                               "convnext_dyt_channels_first")]


@pytest.mark.parametrize("case,params", PARAMS_CASES,
                         ids=[f"{c}-{p}" for c, p in PARAMS_CASES])
def test_norms_raised_and_match_pytorch(case, params):
    model, x, ir = imported(case, params)
    _, _, _, op, count = CASES[case]

    # Every norm became the one dyt op, and nothing of it is left behind.
    assert count_ops(ir, "dyt." + op) == count, ir
    for other in NORM_OPS:
        if other != "dyt." + op:
            assert count_ops(ir, other) == 0
    assert "math.rsqrt" not in body(ir)
    if op == "dyt":
        assert "math.tanh" not in body(ir)
    if not case.startswith("convnext"):
        assert count_reductions(ir) == reductions_without_norms(case)
    else:
        assert count_reductions(ir) == 0
        assert re.search(r"dyt\.dyt .* axis = 1 :", body(ir)), "channels-first DyT"

    # Signature: @forward(inputs [, parameters in named_parameters() order]).
    sig = dyt.runner.Signature.parse(ir, "forward")
    args = [x]
    if params == "arguments":
        args += [p.detach() for _, p in model.named_parameters()]
    assert len(sig.args) == len(args)
    for t, a in zip(sig.args, args):
        assert t == "tensor<" + "x".join(map(str, a.shape)) + "xf32>", (t, a.shape)
    if params == "arguments":
        # Only the buffers (RoPE tables, causal mask) are left as constants.
        assert body(ir).count("= arith.constant dense_resource<") == len(list(model.buffers()))
    else:
        assert "dense_resource" in ir

    got = dyt.compile(ir)(*args)
    np.testing.assert_allclose(got, reference(model, x), rtol=RTOL, atol=ATOL)


def test_params_arguments_follow_named_parameters():
    model, x, ir = imported("llama_rmsnorm", "arguments")
    names = [n for n, _ in model.named_parameters()]
    assert names[0] == "input_layernorm.weight" and names[-1] == "norm.weight"
    # The last argument is the final norm's weight: permuting the parameters
    # the compiled function gets must change the result like PyTorch's.
    f = dyt.compile(ir)
    params = [p.detach().clone() for _, p in model.named_parameters()]
    params[-1] = params[-1] * 2.0
    got = f(x, *params)
    np.testing.assert_allclose(got, 2.0 * reference(model, x), rtol=RTOL, atol=ATOL)
