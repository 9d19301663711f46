"""What torch.export, torch-mlir or dyt-mlir cannot handle: an error that
names the op and the module path."""

import numpy as np
import pytest
import torch
import torch.nn as nn

import dyt
from dyt.runner import Signature


class Wrap(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn
        self.proj = nn.Linear(8, 8)

    def forward(self, x):
        return self.fn(self.proj(x))


class Model(nn.Module):
    """The odd op sits in module "layers.1" (a Wrap)."""

    def __init__(self, fn):
        super().__init__()
        self.embed = nn.Linear(8, 8)
        self.layers = nn.ModuleList([nn.Identity(), Wrap(fn)])

    def forward(self, x):
        x = self.embed(x)
        for layer in self.layers:
            x = layer(x)
        return x


X = torch.randn(1, 4, 8)


@pytest.mark.parametrize("params", ["constants", "arguments"])
def test_torch_mlir_cannot_lower(params):
    # aten.median.dim has no lowering in torch-mlir (20261001).
    with pytest.raises(dyt.DytImportError) as info:
        dyt.from_torch(Model(lambda x: x.median(-1).values).eval(), X, params=params)
    e = info.value
    assert (e.stage, e.op, e.module_path, e.module_type) == (
        "torch-mlir", "aten.median.dim", "layers.1", "Wrap")
    assert 'aten.median.dim in module "layers.1" (Wrap)' in str(e)
    assert "failed to legalize" in str(e)  # torch-mlir's own diagnostic


def test_torch_mlir_leaves_non_linalg_op():
    # torch-mlir lowers sort to tm_tensor.sort, which no dyt-mlir tool parses.
    with pytest.raises(dyt.DytImportError) as info:
        dyt.from_torch(Model(lambda x: torch.sort(x, -1).values).eval(), X)
    e = info.value
    assert (e.op, e.module_path) == ("aten.sort.default", "layers.1")
    assert "tm_tensor.sort" in str(e) and 'module "layers.1" (Wrap)' in str(e)


def test_torch_export_fails():
    # Python control flow on a tensor's value cannot be exported.
    with pytest.raises(dyt.DytImportError) as info:
        dyt.from_torch(Model(lambda x: x if x.sum() > 0 else -x).eval(), X)
    e = info.value
    assert e.stage == "torch.export"
    assert (e.module_path, e.module_type) == ("layers.1", "Wrap")
    assert "data-dependent" in str(e)


def test_bad_arguments():
    model = Model(torch.relu).eval()
    with pytest.raises(ValueError, match="params must be one of"):
        dyt.from_torch(model, X, params="weights")
    with pytest.raises(ValueError, match="replace_norms=True"):
        dyt.from_torch(model, X, alpha=0.5)
    with pytest.raises(TypeError, match="unknown alpha option"):
        dyt.from_torch(model, X, replace_norms=True, beta=0.5)


def test_run_errors_carry_dyt_run_diagnostics():
    model = Model(torch.relu).eval()
    f = dyt.compile(dyt.from_torch(model, X))
    with pytest.raises(dyt.DytError, match="takes 1 arguments"):
        f()
    with pytest.raises(dyt.DytToolError) as info:
        f(np.zeros((1, 4, 9), np.float32))  # wrong shape: dyt-run refuses it
    assert info.value.tool == "dyt-run" and info.value.stderr.strip()
    with torch.no_grad():
        want = model(X).numpy()
    np.testing.assert_allclose(f(X), want, rtol=1e-4, atol=1e-4)


def test_signature_parser():
    text = """
    func.func @other(%arg0: f32) -> f32 { return %arg0 : f32 }
    func.func @forward(%arg0: tensor<?x64xbf16>, %arg1: tensor<64xf32> {dyt.role = "a, b"},
                       %arg2: f32 {dyt.alpha_init = 5.0e-01 : f64})
        -> (tensor<?x64xbf16>, tensor<2xi64>) attributes {llvm.emit_c_interface} {
    """
    sig = Signature.parse(text, "forward")
    assert sig.args == ["tensor<?x64xbf16>", "tensor<64xf32>", "f32"]
    assert sig.results == ["tensor<?x64xbf16>", "tensor<2xi64>"]
    assert Signature.parse(text, "other").results == ["f32"]
    with pytest.raises(dyt.DytError, match="no function @missing"):
        Signature.parse(text, "missing")
