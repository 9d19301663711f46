#!/usr/bin/env python3
"""Writes realistic Transformer blocks as MLIR (func + linalg/tensor/arith/math
on tensors, with dyt.layer_norm / dyt.rms_norm for the norms), so that the
full-size examples and their scaled-down twins come from the same code:

  vit    ViT-B/16 encoder block (pre-norm):
           h = x + Attn(LN1(x));  y = h + MLP(LN2(h))
         MLP = fc2(GELU(fc1(.))), exact (erf) GELU as torch.nn.GELU();
         Q/K/V/out projections with biases; LayerNorm eps 1e-6.
  llama  LLaMA decoder block:
           h = x + Attn(RMSNorm1(x));  y = h + FFN(RMSNorm2(h))
         FFN = (silu(n W_gate) * (n W_up)) W_down; no biases; causal mask;
         RoPE (HF's rotate-half form) on Q and K; RMSNorm eps 1e-6.

Weights are function arguments in [in, out] layout (y = x W + b, used with
linalg.matmul). Attention: tensor.expand_shape to [T, H, Dh],
linalg.transpose to [H, T, Dh] (K to [H, Dh, T]), linalg.batch_matmul;
softmax as linalg.generic max-reduce, exp(s - max), sum-reduce, divide.

Two formulations are configurable because dyt-cpu-pipeline does not lower
the direct ones (yet):
  --erf=poly      (default) erf as a rational approximation in arith ops
                  (Eigen's / XLA's f32 erf, |error| < 5e-7 on [-4, 4],
                  clamped outside); --erf=math emits math.erf, which
                  dyt-cpu-pipeline leaves unconverted (JIT fails:
                  "missing LLVMTranslationDialectInterface ... math.erf").
  --softmax=generic (default); --softmax=linalg emits linalg.softmax, which
                  survives bufferization unlowered (JIT fails on an
                  unrealized_conversion_cast).

Regenerate all four examples (from the repository root):
  python3 examples/gen_transformer_blocks.py --all examples
One file:
  python3 examples/gen_transformer_blocks.py vit --tokens 17 --dim 64 \
      --heads 4 --hidden 256 -o examples/vit_block_small.mlir
"""
import argparse
import math
import os
import sys

F32 = "f32"

# Eigen's generic_fast_erf_float: erf(x) = x P(x^2) / Q(x^2) on [-4, 4].
ERF_P = [-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
         -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
         -1.60960333262415e-02]
ERF_Q = [-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
         -7.37332916720468e-03, -1.42647390514189e-02]

CONFIGS = {
    # name: (kind, tokens, dim, heads, hidden, output file)
    "vit_b16": ("vit", 197, 768, 12, 3072, "vit_b16_block.mlir"),
    "vit_small": ("vit", 17, 64, 4, 256, "vit_block_small.mlir"),
    "llama": ("llama", 128, 4096, 32, 11008, "llama_block.mlir"),
    "llama_small": ("llama", 7, 64, 4, 176, "llama_block_small.mlir"),
}


def flt(v):
    """An f32 literal MLIR parses exactly (repr of the Python float)."""
    return repr(float(v)) if math.isfinite(v) else ("0xFF800000" if v < 0 else "0x7F800000")


def ty(*shape):
    return "tensor<" + "x".join(str(s) for s in shape) + "xf32>"


class Emitter:
    def __init__(self):
        self.lines = []

    def __call__(self, text=""):
        self.lines.append(("  " + text) if text else "")

    # -- building blocks ---------------------------------------------------

    def zeros(self, name, shape):
        """%name = a zero-filled tensor of `shape` (a matmul accumulator)."""
        self(f"%{name}_e = tensor.empty() : {ty(*shape)}")
        self(f"%{name} = linalg.fill ins(%zero : f32) outs(%{name}_e : {ty(*shape)}) -> {ty(*shape)}")

    def matmul(self, out, a, w, m, k, n):
        """%out = %a [m,k] * %w [k,n]."""
        self.zeros(f"{out}_acc", (m, n))
        self(f"%{out} = linalg.matmul ins(%{a}, %{w} : {ty(m, k)}, {ty(k, n)}) "
             f"outs(%{out}_acc : {ty(m, n)}) -> {ty(m, n)}")

    def generic(self, out, ins, out_shape, maps, iters, body, init=None,
                arg_names=None):
        """A linalg.generic with one result. ins: [(value, type, map)];
        body: lines using the block arguments named in arg_names."""
        if init is None:
            init = f"{out}_init"
            self(f"%{init} = tensor.empty() : {ty(*out_shape)}")
        all_maps = [m for (_, _, m) in ins] + [maps]
        it = ", ".join(f'"{i}"' for i in iters)
        self(f"%{out} = linalg.generic {{indexing_maps = [{', '.join(all_maps)}], "
             f"iterator_types = [{it}]}}")
        if ins:
            self(f"    ins({', '.join('%' + v for (v, _, _) in ins)} : "
                 f"{', '.join(t for (_, t, _) in ins)})")
        self(f"    outs(%{init} : {ty(*out_shape)}) {{")
        names = arg_names or [f"a{i}" for i in range(len(ins))] + ["acc"]
        self(f"^bb0({', '.join('%' + n + ': f32' for n in names)}):")
        for line in body:
            self("  " + line)
        self(f"}} -> {ty(*out_shape)}")


def erf_lines(e, x, res, mode):
    """Lines computing %res = erf(%x) (f32) inside a generic body."""
    if mode == "math":
        return [f"%{res} = math.erf %{x} : f32"]
    out = [f"%{res}_xc0 = arith.minimumf %{x}, %erfc_hi : f32",
           f"%{res}_xc = arith.maximumf %{res}_xc0, %erfc_lo : f32",
           f"%{res}_x2 = arith.mulf %{res}_xc, %{res}_xc : f32"]
    prev = "erfc_p0"
    for i in range(1, len(ERF_P)):
        out.append(f"%{res}_pm{i} = arith.mulf %{prev}, %{res}_x2 : f32")
        out.append(f"%{res}_p{i} = arith.addf %{res}_pm{i}, %erfc_p{i} : f32")
        prev = f"{res}_p{i}"
    out.append(f"%{res}_num = arith.mulf %{prev}, %{res}_xc : f32")
    prev = "erfc_q0"
    for i in range(1, len(ERF_Q)):
        out.append(f"%{res}_qm{i} = arith.mulf %{prev}, %{res}_x2 : f32")
        out.append(f"%{res}_q{i} = arith.addf %{res}_qm{i}, %erfc_q{i} : f32")
        prev = f"{res}_q{i}"
    out.append(f"%{res} = arith.divf %{res}_num, %{prev} : f32")
    return out


MAPS = """#map_id2 = affine_map<(d0, d1) -> (d0, d1)>
#map_row2 = affine_map<(d0, d1) -> (d1)>
#map_id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map_red3 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map_rope3 = affine_map<(d0, d1, d2) -> (d0, d2)>"""


def attention(e, n, t, d, h, causal, rope, softmax):
    """Multi-head self-attention on %n [t, d] after the Q/K/V projections
    %q, %k, %v [t, d] exist; leaves %attn_o [t, d] (before W_o)."""
    dh = d // h
    for name in ("q", "k", "v"):
        e(f"%{name}3 = tensor.expand_shape %{name} [[0], [1, 2]] output_shape [{t}, {h}, {dh}] "
          f": {ty(t, d)} into {ty(t, h, dh)}")
    if rope:
        half = dh // 2
        for name in ("q", "k"):
            # rotate_half(x) = cat(-x[..., half:], x[..., :half])
            e(f"// RoPE on {name.upper()}: {name} * cos + rotate_half({name}) * sin")
            e(f"%{name}_x1 = tensor.extract_slice %{name}3[0, 0, 0] [{t}, {h}, {half}] [1, 1, 1] "
              f": {ty(t, h, dh)} to {ty(t, h, half)}")
            e(f"%{name}_x2 = tensor.extract_slice %{name}3[0, 0, {half}] [{t}, {h}, {half}] [1, 1, 1] "
              f": {ty(t, h, dh)} to {ty(t, h, half)}")
            e.generic(f"{name}_nx2", [(f"{name}_x2", ty(t, h, half), "#map_id3")], (t, h, half),
                      "#map_id3", ["parallel"] * 3,
                      ["%r = arith.negf %a0 : f32", "linalg.yield %r : f32"])
            e(f"%{name}_rot = tensor.concat dim(2) %{name}_nx2, %{name}_x1 "
              f": ({ty(t, h, half)}, {ty(t, h, half)}) -> {ty(t, h, dh)}")
            e.generic(f"{name}_r", [(f"{name}3", ty(t, h, dh), "#map_id3"),
                                    (f"{name}_rot", ty(t, h, dh), "#map_id3"),
                                    ("cos", ty(t, dh), "#map_rope3"),
                                    ("sin", ty(t, dh), "#map_rope3")],
                      (t, h, dh), "#map_id3", ["parallel"] * 3,
                      ["%c = arith.mulf %a0, %a2 : f32",
                       "%s = arith.mulf %a1, %a3 : f32",
                       "%r = arith.addf %c, %s : f32",
                       "linalg.yield %r : f32"])
        qs, ks = "q_r", "k_r"
    else:
        qs, ks = "q3", "k3"
    e(f"// Heads first: Q, V -> [H, T, Dh]; K -> [H, Dh, T]")
    e(f"%qh_e = tensor.empty() : {ty(h, t, dh)}")
    e(f"%qh = linalg.transpose ins(%{qs} : {ty(t, h, dh)}) outs(%qh_e : {ty(h, t, dh)}) permutation = [1, 0, 2]")
    e(f"%kh_e = tensor.empty() : {ty(h, dh, t)}")
    e(f"%kh = linalg.transpose ins(%{ks} : {ty(t, h, dh)}) outs(%kh_e : {ty(h, dh, t)}) permutation = [1, 2, 0]")
    e(f"%vh_e = tensor.empty() : {ty(h, t, dh)}")
    e(f"%vh = linalg.transpose ins(%v3 : {ty(t, h, dh)}) outs(%vh_e : {ty(h, t, dh)}) permutation = [1, 0, 2]")
    e(f"// S = Q K^T per head, scaled by 1/sqrt({dh})" + (", causal mask" if causal else ""))
    e.zeros("scores_acc", (h, t, t))
    e(f"%scores = linalg.batch_matmul ins(%qh, %kh : {ty(h, t, dh)}, {ty(h, dh, t)}) "
      f"outs(%scores_acc : {ty(h, t, t)}) -> {ty(h, t, t)}")
    scale = flt(1.0 / math.sqrt(dh))
    body = [f"%scale = arith.constant {scale} : f32",
            "%r0 = arith.mulf %a0, %scale : f32"]
    if causal:
        body += ["%i = linalg.index 1 : index",
                 "%j = linalg.index 2 : index",
                 "%future = arith.cmpi ugt, %j, %i : index",
                 "%ninf = arith.constant 0xFF800000 : f32",
                 "%r = arith.select %future, %ninf, %r0 : f32",
                 "linalg.yield %r : f32"]
    else:
        body += ["linalg.yield %r0 : f32"]
    e.generic("s_scaled", [("scores", ty(h, t, t), "#map_id3")], (h, t, t), "#map_id3",
              ["parallel"] * 3, body)
    if softmax == "linalg":
        e(f"%p_e = tensor.empty() : {ty(h, t, t)}")
        e(f"%p = linalg.softmax dimension(2) ins(%s_scaled : {ty(h, t, t)}) "
          f"outs(%p_e : {ty(h, t, t)}) -> {ty(h, t, t)}")
    else:
        e("// softmax over the keys: max, exp(s - max), sum, divide")
        e(f"%ninf_c = arith.constant 0xFF800000 : f32")
        e(f"%smax_e = tensor.empty() : {ty(h, t)}")
        e(f"%smax_init = linalg.fill ins(%ninf_c : f32) outs(%smax_e : {ty(h, t)}) -> {ty(h, t)}")
        e.generic("smax", [("s_scaled", ty(h, t, t), "#map_id3")], (h, t), "#map_red3",
                  ["parallel", "parallel", "reduction"],
                  ["%r = arith.maximumf %a0, %acc : f32", "linalg.yield %r : f32"],
                  init="smax_init")
        e.generic("sexp", [("s_scaled", ty(h, t, t), "#map_id3"),
                           ("smax", ty(h, t), "#map_red3")], (h, t, t), "#map_id3",
                  ["parallel"] * 3,
                  ["%d = arith.subf %a0, %a1 : f32",
                   "%r = math.exp %d : f32", "linalg.yield %r : f32"])
        e.zeros("ssum_init", (h, t))
        e.generic("ssum", [("sexp", ty(h, t, t), "#map_id3")], (h, t), "#map_red3",
                  ["parallel", "parallel", "reduction"],
                  ["%r = arith.addf %a0, %acc : f32", "linalg.yield %r : f32"],
                  init="ssum_init")
        e.generic("p", [("sexp", ty(h, t, t), "#map_id3"),
                        ("ssum", ty(h, t), "#map_red3")], (h, t, t), "#map_id3",
                  ["parallel"] * 3,
                  ["%r = arith.divf %a0, %a1 : f32", "linalg.yield %r : f32"])
    e("// O = P V, heads back to [T, D]")
    e.zeros("oh_acc", (h, t, dh))
    e(f"%oh = linalg.batch_matmul ins(%p, %vh : {ty(h, t, t)}, {ty(h, t, dh)}) "
      f"outs(%oh_acc : {ty(h, t, dh)}) -> {ty(h, t, dh)}")
    e(f"%ot_e = tensor.empty() : {ty(t, h, dh)}")
    e(f"%ot = linalg.transpose ins(%oh : {ty(h, t, dh)}) outs(%ot_e : {ty(t, h, dh)}) permutation = [1, 0, 2]")
    e(f"%attn_o = tensor.collapse_shape %ot [[0], [1, 2]] : {ty(t, h, dh)} into {ty(t, d)}")


def bias_add(e, out, a, b, t, n):
    e.generic(out, [(a, ty(t, n), "#map_id2"), (b, ty(n), "#map_row2")], (t, n), "#map_id2",
              ["parallel"] * 2, ["%r = arith.addf %a0, %a1 : f32", "linalg.yield %r : f32"])


def vit_block(t, d, h, m, erf, softmax):
    dh = d // h
    args = [("x", (t, d), "input tokens"),
            ("ln1_gamma", (d,), "LayerNorm 1 weight"), ("ln1_beta", (d,), "LayerNorm 1 bias"),
            ("wq", (d, d), "query weight [in, out]"), ("bq", (d,), "query bias"),
            ("wk", (d, d), "key weight [in, out]"), ("bk", (d,), "key bias"),
            ("wv", (d, d), "value weight [in, out]"), ("bv", (d,), "value bias"),
            ("wo", (d, d), "attention output weight [in, out]"), ("bo", (d,), "attention output bias"),
            ("ln2_gamma", (d,), "LayerNorm 2 weight"), ("ln2_beta", (d,), "LayerNorm 2 bias"),
            ("w1", (d, m), "MLP fc1 weight [in, out]"), ("b1", (m,), "MLP fc1 bias"),
            ("w2", (m, d), "MLP fc2 weight [in, out]"), ("b2", (d,), "MLP fc2 bias")]
    e = Emitter()
    e("%zero = arith.constant 0.0 : f32")
    if erf == "poly":
        e("// erf(x) = x P(x^2) / Q(x^2) on [-4, 4] (Eigen's f32 erf)")
        e("%erfc_hi = arith.constant 4.0 : f32")
        e("%erfc_lo = arith.constant -4.0 : f32")
        for i, c in enumerate(ERF_P):
            e(f"%erfc_p{i} = arith.constant {flt(c)} : f32")
        for i, c in enumerate(ERF_Q):
            e(f"%erfc_q{i} = arith.constant {flt(c)} : f32")
    e("// Attention branch: n1 = LN1(x); Q, K, V = n1 W + b")
    e(f"%n1 = dyt.layer_norm %x gamma(%ln1_gamma : {ty(d)}) beta(%ln1_beta : {ty(d)}) "
      f"epsilon = 9.99999997E-7 : {ty(t, d)} -> {ty(t, d)}")
    for name in ("q", "k", "v"):
        e.matmul(f"{name}_mm", "n1", f"w{name}", t, d, d)
        bias_add(e, name, f"{name}_mm", f"b{name}", t, d)
    attention(e, "n1", t, d, h, causal=False, rope=False, softmax=softmax)
    e("// h = x + O W_o + b_o")
    e.matmul("proj", "attn_o", "wo", t, d, d)
    e.generic("h", [("proj", ty(t, d), "#map_id2"), ("bo", ty(d), "#map_row2"),
                    ("x", ty(t, d), "#map_id2")], (t, d), "#map_id2", ["parallel"] * 2,
              ["%b = arith.addf %a0, %a1 : f32", "%r = arith.addf %b, %a2 : f32",
               "linalg.yield %r : f32"])
    e("// MLP branch: y = h + GELU(LN2(h) W1 + b1) W2 + b2, exact GELU")
    e(f"%n2 = dyt.layer_norm %h gamma(%ln2_gamma : {ty(d)}) beta(%ln2_beta : {ty(d)}) "
      f"epsilon = 9.99999997E-7 : {ty(t, d)} -> {ty(t, d)}")
    e.matmul("fc1", "n2", "w1", t, d, m)
    e.generic("act", [("fc1", ty(t, m), "#map_id2"), ("b1", ty(m), "#map_row2")], (t, m),
              "#map_id2", ["parallel"] * 2,
              ["%u = arith.addf %a0, %a1 : f32",
               f"%rsqrt2 = arith.constant {flt(1 / math.sqrt(2))} : f32",
               "%half = arith.constant 0.5 : f32",
               "%one = arith.constant 1.0 : f32",
               "%z = arith.mulf %u, %rsqrt2 : f32"]
              + erf_lines(e, "z", "erf", erf)
              + ["%onep = arith.addf %one, %erf : f32",
                 "%hu = arith.mulf %half, %u : f32",
                 "%g = arith.mulf %hu, %onep : f32",
                 "linalg.yield %g : f32"])
    e.matmul("fc2", "act", "w2", t, m, d)
    e.generic("y", [("fc2", ty(t, d), "#map_id2"), ("b2", ty(d), "#map_row2"),
                    ("h", ty(t, d), "#map_id2")], (t, d), "#map_id2", ["parallel"] * 2,
              ["%b = arith.addf %a0, %a1 : f32", "%r = arith.addf %b, %a2 : f32",
               "linalg.yield %r : f32"])
    e(f"return %y : {ty(t, d)}")
    return "vit_block", args, (t, d), e.lines


def llama_block(t, d, h, f, erf, softmax):
    dh = d // h
    args = [("x", (t, d), "input tokens"),
            ("cos", (t, dh), "RoPE cos table, cos(pos * inv_freq) repeated twice along the head dim"),
            ("sin", (t, dh), "RoPE sin table, same layout"),
            ("attn_norm", (d,), "RMSNorm 1 weight"),
            ("wq", (d, d), "query weight [in, out]"), ("wk", (d, d), "key weight [in, out]"),
            ("wv", (d, d), "value weight [in, out]"), ("wo", (d, d), "output weight [in, out]"),
            ("ffn_norm", (d,), "RMSNorm 2 weight"),
            ("w_gate", (d, f), "FFN gate weight [in, out]"), ("w_up", (d, f), "FFN up weight [in, out]"),
            ("w_down", (f, d), "FFN down weight [in, out]")]
    e = Emitter()
    e("%zero = arith.constant 0.0 : f32")
    e("// Attention branch: n1 = RMSNorm1(x); Q, K, V = n1 W")
    e(f"%n1 = dyt.rms_norm %x gamma(%attn_norm : {ty(d)}) epsilon = 9.99999997E-7 "
      f": {ty(t, d)} -> {ty(t, d)}")
    for name in ("q", "k", "v"):
        e.matmul(name, "n1", f"w{name}", t, d, d)
    attention(e, "n1", t, d, h, causal=True, rope=True, softmax=softmax)
    e("// h = x + O W_o")
    e.matmul("proj", "attn_o", "wo", t, d, d)
    e.generic("h", [("proj", ty(t, d), "#map_id2"), ("x", ty(t, d), "#map_id2")], (t, d),
              "#map_id2", ["parallel"] * 2,
              ["%r = arith.addf %a0, %a1 : f32", "linalg.yield %r : f32"])
    e("// FFN branch: y = h + (silu(n2 W_gate) * (n2 W_up)) W_down")
    e(f"%n2 = dyt.rms_norm %h gamma(%ffn_norm : {ty(d)}) epsilon = 9.99999997E-7 "
      f": {ty(t, d)} -> {ty(t, d)}")
    e.matmul("gate", "n2", "w_gate", t, d, f)
    e.matmul("up", "n2", "w_up", t, d, f)
    e.generic("act", [("gate", ty(t, f), "#map_id2"), ("up", ty(t, f), "#map_id2")], (t, f),
              "#map_id2", ["parallel"] * 2,
              ["%one = arith.constant 1.0 : f32",
               "%ng = arith.negf %a0 : f32",
               "%en = math.exp %ng : f32",
               "%den = arith.addf %one, %en : f32",
               "%silu = arith.divf %a0, %den : f32",
               "%r = arith.mulf %silu, %a1 : f32",
               "linalg.yield %r : f32"])
    e.matmul("down", "act", "w_down", t, f, d)
    e.generic("y", [("down", ty(t, d), "#map_id2"), ("h", ty(t, d), "#map_id2")], (t, d),
              "#map_id2", ["parallel"] * 2,
              ["%r = arith.addf %a0, %a1 : f32", "linalg.yield %r : f32"])
    e(f"return %y : {ty(t, d)}")
    return "llama_block", args, (t, d), e.lines


def render(kind, t, d, h, hidden, erf, softmax, out_name, command):
    if d % h:
        sys.exit(f"dim {d} is not a multiple of heads {h}")
    if kind == "llama" and (d // h) % 2:
        sys.exit("RoPE needs an even head dim")
    build = vit_block if kind == "vit" else llama_block
    func, args, res, lines = build(t, d, h, hidden, erf, softmax)
    dh = d // h
    if kind == "vit":
        what = [f"ViT-B/16-style encoder block (pre-norm), f32:",
                f"  h = x + Attn(LayerNorm1(x));  y = h + MLP(LayerNorm2(h))",
                f"  Attn: Q/K/V/out projections with biases, {h} heads of {dh},",
                f"        softmax(Q K^T / sqrt({dh})) V; MLP: fc2(GELU(fc1(.))), exact",
                f"        erf GELU (torch.nn.GELU()); dyt.layer_norm, eps 1e-6.",
                f"  Sizes: {t} tokens, width {d}, {h} heads (head dim {dh}), MLP {hidden}."]
    else:
        what = [f"LLaMA-style decoder block, f32:",
                f"  h = x + Attn(RMSNorm1(x));  y = h + FFN(RMSNorm2(h))",
                f"  Attn: Q/K/V/out projections without biases, {h} heads of {dh}, RoPE",
                f"        (rotate-half form, as HF LLaMA) on Q and K, causal mask,",
                f"        softmax(Q K^T / sqrt({dh})) V;",
                f"  FFN: (silu(n W_gate) * (n W_up)) W_down (SwiGLU); dyt.rms_norm, eps 1e-6.",
                f"  Sizes: {t} tokens, width {d}, {h} heads (head dim {dh}), FFN {hidden}."]
    notes = []
    if erf == "poly" and kind == "vit":
        notes.append("  erf is written as Eigen's f32 rational approximation (|err| < 5e-7):")
        notes.append("  dyt-cpu-pipeline does not lower math.erf (regenerate with --erf=math).")
    if softmax == "generic":
        notes.append("  Softmax is written out (max, exp(s - max), sum, divide): dyt-cpu-pipeline")
        notes.append("  does not lower linalg.softmax (regenerate with --softmax=linalg).")
    hdr = ["// " + l if l else "//" for l in what]
    hdr.append("//")
    form = "y = x W + b" if kind == "vit" else "y = x W"
    hdr.append(f"// Arguments of @{func}, in order (weights are [in, out]: {form}):")
    for i, (name, shape, desc) in enumerate(args):
        hdr.append(f"//   {i:2d} %{name:<10s} {ty(*shape):<22s} {desc}")
    hdr.append(f"// Result: {ty(*res)}.")
    hdr.append("//")
    hdr += ["//" + n[1:] if n.startswith(" ") else "// " + n for n in notes]
    if notes:
        hdr.append("//")
    hdr.append(f"// Generated by: {command}")
    hdr.append(f"// Lower it with: dyt-opt --convert-dyt-to-linalg examples/{out_name}")
    hdr.append(f"//            or: dyt-opt --dyt-cpu-pipeline examples/{out_name}")
    hdr.append(f"// Run it with:   dyt-run examples/{out_name} -e {func} --random --bench 3")
    sig = ",\n".join(f"    %{name}: {ty(*shape)}" for (name, shape, _) in args)
    text = "\n".join(hdr) + "\n\n" + MAPS + "\n\n"
    text += f"func.func @{func}(\n{sig}) -> {ty(*res)} {{\n"
    text += "\n".join(lines) + "\n}\n"
    return text


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", nargs="?", choices=["vit", "llama"])
    p.add_argument("--tokens", type=int)
    p.add_argument("--dim", type=int)
    p.add_argument("--heads", type=int)
    p.add_argument("--hidden", type=int, help="MLP (ViT) or FFN (LLaMA) width")
    p.add_argument("--erf", choices=["poly", "math"], default="poly")
    p.add_argument("--softmax", choices=["generic", "linalg"], default="generic")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--all", metavar="DIR",
                   help="write the four bundled examples into DIR")
    opts = p.parse_args()
    extra = ""
    if opts.erf != "poly":
        extra += f" --erf={opts.erf}"
    if opts.softmax != "generic":
        extra += f" --softmax={opts.softmax}"
    if opts.all:
        for name, (kind, t, d, h, hidden, fname) in CONFIGS.items():
            cmd = (f"python3 examples/gen_transformer_blocks.py {kind} --tokens {t} "
                   f"--dim {d} --heads {h} --hidden {hidden}{extra} -o examples/{fname}")
            text = render(kind, t, d, h, hidden, opts.erf, opts.softmax, fname, cmd)
            with open(os.path.join(opts.all, fname), "w") as out:
                out.write(text)
        return
    if not opts.kind or None in (opts.tokens, opts.dim, opts.heads, opts.hidden):
        p.error("give KIND --tokens --dim --heads --hidden, or --all DIR")
    fname = os.path.basename(opts.output) if opts.output else f"{opts.kind}_block.mlir"
    cmd = (f"python3 examples/gen_transformer_blocks.py {opts.kind} --tokens {opts.tokens} "
           f"--dim {opts.dim} --heads {opts.heads} --hidden {opts.hidden}{extra}"
           + (f" -o {opts.output}" if opts.output else ""))
    text = render(opts.kind, opts.tokens, opts.dim, opts.heads, opts.hidden, opts.erf,
                  opts.softmax, fname, cmd)
    if opts.output:
        with open(opts.output, "w") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
