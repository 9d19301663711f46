"""replace_norms=True (dyt-replace-norms) and dyt.compare (dyt-compare)."""

import copy
import re

import numpy as np
import torch

import dyt
from models import DynamicTanh
from test_from_torch import ATOL, RTOL, body, count_ops, imported, make, reference


def as_dyt(model, alphas):
    """A copy of `model` with each norm named in `alphas` replaced by the
    DynamicTanh that dyt-replace-norms makes of it: the norm's gamma (and
    beta), alpha from the norm's role."""
    model = copy.deepcopy(model)
    for name, alpha in alphas.items():
        norm = model.get_submodule(name)
        bias = getattr(norm, "bias", None)
        new = DynamicTanh(norm.weight.shape[0], alpha_init_value=alpha,
                          bias=bias is not None)
        with torch.no_grad():
            new.weight.copy_(norm.weight)
            if bias is not None:
                new.bias.copy_(bias)
        parent, _, leaf = name.rpartition(".")
        setattr(model.get_submodule(parent) if parent else model, leaf, new)
    return model.eval()


def test_replace_norms_vit_layernorm():
    model, x = make("vit_layernorm")
    ir = dyt.from_torch(model, x, replace_norms=True, alpha=0.7)
    assert count_ops(ir, "dyt.dyt") == 2
    assert count_ops(ir, "dyt.layer_norm") == 0 and count_ops(ir, "dyt.rms_norm") == 0
    want = reference(as_dyt(model, {"norm1": 0.7, "norm2": 0.7}), x)
    np.testing.assert_allclose(dyt.compile(ir)(x), want, rtol=RTOL, atol=ATOL)


def test_replace_norms_llama_per_role_alpha():
    model, x = make("llama_rmsnorm")
    ir = dyt.from_torch(model, x, replace_norms=True, alpha_attn=0.8, alpha_ffn=0.2,
                        alpha_final=0.3)
    assert count_ops(ir, "dyt.dyt") == 3 and count_ops(ir, "dyt.rms_norm") == 0
    roles = re.findall(r'dyt\.role = "(\w+)"', body(ir))
    assert sorted(roles) == ["attention", "ffn", "final"], roles
    want = reference(as_dyt(model, {"input_layernorm": 0.8,
                                    "post_attention_layernorm": 0.2, "norm": 0.3}), x)
    np.testing.assert_allclose(dyt.compile(ir)(x), want, rtol=RTOL, atol=ATOL)


def test_replace_norms_alpha_as_argument():
    model, x = make("llama_rmsnorm")
    ir = dyt.from_torch(model, x, params="arguments", replace_norms=True,
                        alpha_as_argument=True)
    sig = dyt.runner.Signature.parse(ir, "forward")
    params = [p.detach() for _, p in model.named_parameters()]
    # inputs, parameters, then one f32 alpha per DyT with its role attached
    assert len(sig.args) == 1 + len(params) + 3
    assert sig.args[-3:] == ["f32"] * 3
    header = ir[ir.index("func.func @forward"):].split("{\n", 1)[0]
    roles = re.findall(r'dyt\.role = "(\w+)"', header)
    assert sorted(roles) == ["attention", "ffn", "final"], header
    per_role = {"attention": 0.8, "ffn": 0.2, "final": 0.3}
    alphas = [np.array(per_role[r], dtype=np.float32) for r in roles]
    want = reference(as_dyt(model, {"input_layernorm": 0.8,
                                    "post_attention_layernorm": 0.2, "norm": 0.3}), x)
    got = dyt.compile(ir)(x, *params, *alphas)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL)


def test_compare_dict_and_png(tmp_path):
    _, _, ir = imported("vit_layernorm", "constants")
    png = tmp_path / "compare.png"
    result = dyt.compare(ir, bench=2, replace_options={"alpha": 0.5}, png=str(png))
    assert [v["name"] for v in result["variants"]] == ["norm", "dyt"]
    norm, dy = result["variants"]
    assert norm["reductions"] > dy["reductions"]  # 2 LayerNorms' statistics gone
    assert norm["median_s"] > 0 and dy["median_s"] > 0
    assert "kernels" in result["table"]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000


def test_compare_from_file(tmp_path):
    _, _, ir = imported("llama_rmsnorm", "constants")
    path = tmp_path / "llama.mlir"
    path.write_text(ir)
    result = dyt.compare(str(path), replace_options="alpha-attn=0.8 alpha-ffn=0.2")
    assert len(result["variants"]) == 2
    assert result["function"] == "forward"
