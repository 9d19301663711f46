// RUN: dyt-opt -split-input-file -verify-diagnostics --dyt-replace-norms %s | FileCheck %s
// RUN: dyt-opt -split-input-file -verify-diagnostics --dyt-replace-norms='alpha=0.25 alpha-ffn=0.125' %s | FileCheck %s --check-prefix=OPT
// RUN: not dyt-opt -split-input-file --dyt-replace-norms='alpha-as-argument=true' %s 2>&1 | FileCheck %s --check-prefix=CALLED

// With alpha-as-argument the function with a caller fails (at the function's
// location); the others get their trailing alpha arguments (checked below).
// Diagnostics come out first, on stderr.
// CALLED: dyt-replace-norms.mlir:[[@LINE+143]]:1: error: alpha-as-argument would add arguments to 'callee', which is called in this module

// Per-role alphas with roles inferred on the example Transformer blocks:
// the first norm feeds Q/K/V (attention), the second gate/up or fc1 (FFN).
// RUN: dyt-opt --dyt-replace-norms='alpha-attn=0.8 alpha-ffn=0.2 alpha-final=0.3' %S/../../examples/llama_block_small.mlir | FileCheck %s --check-prefix=LLAMA
// RUN: dyt-opt --dyt-replace-norms='alpha-attn=0.8 alpha-ffn=0.2 alpha-final=0.3' %S/../../examples/vit_block_small.mlir | FileCheck %s --check-prefix=VIT
// RUN: dyt-opt --dyt-replace-norms='alpha-as-argument=true alpha-attn=0.8 alpha-ffn=0.2' %S/../../examples/vit_block_small.mlir | FileCheck %s --check-prefix=VIT-ARG

// Invalid options.
// RUN: not dyt-opt --dyt-replace-norms='alpha=0' %s 2>&1 | FileCheck %s --check-prefix=BAD-ALPHA
// RUN: not dyt-opt --dyt-replace-norms='alpha-attn=nan' %s 2>&1 | FileCheck %s --check-prefix=BAD-NAN
// BAD-ALPHA: error: dyt-replace-norms: alpha values must be finite and `alpha` non-zero (got alpha=0.000000e+00, alpha-attn=0.000000e+00, alpha-ffn=0.000000e+00, alpha-final=0.000000e+00)
// BAD-NAN: error: dyt-replace-norms: alpha values must be finite and `alpha` non-zero (got alpha=5.000000e-01, alpha-attn=nan,

// LLAMA-LABEL: func.func @llama_block(
// LLAMA-SAME:    %[[X:[^:]*]]: tensor<7x64xf32>, %{{[^:]*}}: tensor<7x16xf32>, %{{[^:]*}}: tensor<7x16xf32>, %[[G1:[^:]*]]: tensor<64xf32>,
// LLAMA-NOT:     dyt.rms_norm
// LLAMA:         %[[A1:.*]] = arith.constant 8.000000e-01 : f32
// LLAMA-NEXT:    %[[Z1:.*]] = arith.constant dense<0.000000e+00> : tensor<64xf32>
// LLAMA-NEXT:    %[[N1:.*]] = dyt.dyt %[[X]] alpha(%[[A1]] : f32) gamma(%[[G1]] : tensor<64xf32>) beta(%[[Z1]] : tensor<64xf32>) {dyt.role = "attention"} : tensor<7x64xf32> -> tensor<7x64xf32>
// LLAMA:         linalg.matmul ins(%[[N1]],
// LLAMA-NOT:     dyt.rms_norm
// LLAMA:         %[[A2:.*]] = arith.constant 2.000000e-01 : f32
// LLAMA-NEXT:    %[[Z2:.*]] = arith.constant dense<0.000000e+00> : tensor<64xf32>
// LLAMA-NEXT:    %[[N2:.*]] = dyt.dyt %{{.*}} alpha(%[[A2]] : f32) gamma(%{{.*}} : tensor<64xf32>) beta(%[[Z2]] : tensor<64xf32>) {dyt.role = "ffn"} : tensor<7x64xf32> -> tensor<7x64xf32>
// LLAMA:         linalg.matmul ins(%[[N2]],
// LLAMA-NOT:     dyt.
// LLAMA:         return

// LayerNorm keeps its beta; epsilon is dropped.
// VIT-LABEL: func.func @vit_block(
// VIT-SAME:    %[[X:[^:]*]]: tensor<17x64xf32>, %[[G1:[^:]*]]: tensor<64xf32>, %[[B1:[^:]*]]: tensor<64xf32>,
// VIT-NOT:     dyt.layer_norm
// VIT:         %[[A1:.*]] = arith.constant 8.000000e-01 : f32
// VIT-NEXT:    %[[N1:.*]] = dyt.dyt %[[X]] alpha(%[[A1]] : f32) gamma(%[[G1]] : tensor<64xf32>) beta(%[[B1]] : tensor<64xf32>) {dyt.role = "attention"} : tensor<17x64xf32> -> tensor<17x64xf32>
// VIT-NOT:     dyt.layer_norm
// VIT:         %[[A2:.*]] = arith.constant 2.000000e-01 : f32
// VIT-NEXT:    %[[N2:.*]] = dyt.dyt %{{.*}} alpha(%[[A2]] : f32) gamma(%{{.*}} : tensor<64xf32>) beta(%{{.*}} : tensor<64xf32>) {dyt.role = "ffn"} : tensor<17x64xf32> -> tensor<17x64xf32>
// VIT-NOT:     {{dyt\.|epsilon}}
// VIT:         return

// alpha-as-argument: one trailing f32 argument per norm, in program order.
// VIT-ARG-LABEL: func.func @vit_block(
// VIT-ARG-SAME:    %[[X:[^:]*]]: tensor<17x64xf32>, %[[G1:[^:]*]]: tensor<64xf32>, %[[B1:[^:]*]]: tensor<64xf32>,
// VIT-ARG-SAME:    %{{[^:]*}}: tensor<64xf32>,
// VIT-ARG-SAME:    %[[A1:[^:]*]]: f32 {dyt.alpha_init = 8.000000e-01 : f32, dyt.role = "attention"},
// VIT-ARG-SAME:    %[[A2:[^:]*]]: f32 {dyt.alpha_init = 2.000000e-01 : f32, dyt.role = "ffn"}) -> tensor<17x64xf32>
// VIT-ARG-NOT:     dyt.layer_norm
// VIT-ARG:         dyt.dyt %[[X]] alpha(%[[A1]] : f32) gamma(%[[G1]] : tensor<64xf32>) beta(%[[B1]] : tensor<64xf32>) {dyt.role = "attention"}
// VIT-ARG:         dyt.dyt %{{.*}} alpha(%[[A2]] : f32) gamma(%{{.*}} : tensor<64xf32>) beta(%{{.*}} : tensor<64xf32>) {dyt.role = "ffn"}
// VIT-ARG-NOT:     {{dyt\.|arith.constant 8.0|arith.constant 2.0}}
// VIT-ARG:         return

// A standalone LayerNorm whose result is returned is "final"; without
// per-role values its alpha is `alpha`.
// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x64xf32>, %[[G:[^:]*]]: tensor<64xf32>, %[[B:[^:]*]]: tensor<64xf32>)
// CHECK:         %[[A:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:         %[[Y:.*]] = dyt.dyt %[[X]] alpha(%[[A]] : f32) gamma(%[[G]] : tensor<64xf32>) beta(%[[B]] : tensor<64xf32>) {dyt.role = "final"} : tensor<4x64xf32> -> tensor<4x64xf32>
// CHECK-NOT:     dyt.layer_norm
// CHECK:         return %[[Y]]
// OPT-LABEL: func.func @layer_norm(
// OPT:         %[[A:.*]] = arith.constant 2.500000e-01 : f32
// OPT:         dyt.dyt %{{.*}} alpha(%[[A]] : f32) {{.*}} {dyt.role = "final"}
// CALLED-LABEL: func.func @layer_norm(
// CALLED-SAME:    %{{[^:]*}}: tensor<64xf32>, %[[A:[^:]*]]: f32 {dyt.alpha_init = 5.000000e-01 : f32, dyt.role = "final"})
// CALLED:         dyt.dyt %{{.*}} alpha(%[[A]] : f32)
func.func @layer_norm(%x: tensor<4x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<4x64xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<64xf32>) beta(%b : tensor<64xf32>) epsilon = 1.0e-06 : tensor<4x64xf32> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// RMSNorm: beta is a zero splat of gamma's type.
// CHECK-LABEL: func.func @rms_norm(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x5x32xbf16>, %[[G:[^:]*]]: tensor<32xbf16>)
// CHECK:         %[[A:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:         %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<32xbf16>
// CHECK:         %[[Y:.*]] = dyt.dyt %[[X]] alpha(%[[A]] : f32) gamma(%[[G]] : tensor<32xbf16>) beta(%[[Z]] : tensor<32xbf16>) {dyt.role = "final"} : tensor<2x5x32xbf16> -> tensor<2x5x32xbf16>
// CHECK-NOT:     dyt.rms_norm
// CHECK:         return %[[Y]]
func.func @rms_norm(%x: tensor<2x5x32xbf16>, %g: tensor<32xbf16>) -> tensor<2x5x32xbf16> {
  %y = dyt.rms_norm %x gamma(%g : tensor<32xbf16>) : tensor<2x5x32xbf16> -> tensor<2x5x32xbf16>
  return %y : tensor<2x5x32xbf16>
}

// -----

// A dynamic channel size: the zero beta is a tensor.splat sized by the
// input's last dim.
// CHECK-LABEL: func.func @rms_norm_dynamic(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x?xf32>, %[[G:[^:]*]]: tensor<?xf32>)
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[A:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG:     %[[ZS:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[C:.*]] = tensor.dim %[[X]], %[[C1]] : tensor<?x?xf32>
// CHECK:         %[[Z:.*]] = tensor.splat %[[ZS]][%[[C]]] : tensor<?xf32>
// CHECK:         %[[Y:.*]] = dyt.dyt %[[X]] alpha(%[[A]] : f32) gamma(%[[G]] : tensor<?xf32>) beta(%[[Z]] : tensor<?xf32>) {dyt.role = "final"} : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NOT:     dyt.rms_norm
// CHECK:         return %[[Y]]
func.func @rms_norm_dynamic(%x: tensor<?x?xf32>, %g: tensor<?xf32>) -> tensor<?x?xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<?xf32>) : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// A dyt.role attribute overrides the inferred role ("final" here).
// CHECK-LABEL: func.func @role_attribute(
// CHECK:         dyt.dyt {{.*}} {dyt.role = "ffn"}
// OPT-LABEL: func.func @role_attribute(
// OPT:         %[[A:.*]] = arith.constant 1.250000e-01 : f32
// OPT:         dyt.dyt %{{.*}} alpha(%[[A]] : f32) {{.*}} {dyt.role = "ffn"}
func.func @role_attribute(%x: tensor<4x64xf32>, %g: tensor<64xf32>) -> tensor<4x64xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<64xf32>) {dyt.role = "ffn"} : tensor<4x64xf32> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

func.func @invalid_role(%x: tensor<4x64xf32>, %g: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{'dyt.role' must be "attention", "ffn" or "final", got "mlp"}}
  %y = dyt.rms_norm %x gamma(%g : tensor<64xf32>) {dyt.role = "mlp"} : tensor<4x64xf32> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// No norm: nothing changes, and with alpha-as-argument no argument is added.
// CHECK-LABEL: func.func @no_norm(%{{[^:]*}}: tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    return
// CALLED-LABEL: func.func @no_norm(%{{[^:]*}}: tensor<4xf32>) -> tensor<4xf32>
func.func @no_norm(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// alpha-as-argument cannot change the signature of a function that is
// called in the module; without the option the norm is replaced as usual.
// CHECK-LABEL: func.func @callee(
// CHECK:         dyt.dyt
func.func @callee(%x: tensor<4x64xf32>, %g: tensor<64xf32>) -> tensor<4x64xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<64xf32>) : tensor<4x64xf32> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @caller(%x: tensor<4x64xf32>, %g: tensor<64xf32>) -> tensor<4x64xf32> {
  %y = func.call @callee(%x, %g) : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// An FFN norm whose next block's norm is not a dyt op (or is absent): only
// the contractions its projections reach first count, so the next block's
// Q K^T, reached through the residual, does not make it an attention norm.
// CHECK-LABEL: func.func @ffn_before_unraised_block(
// CHECK:         dyt.dyt {{.*}} {dyt.role = "ffn"}
func.func @ffn_before_unraised_block(%x: tensor<8x16xf32>, %g: tensor<16xf32>, %w1: tensor<16x16xf32>, %w2: tensor<16x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>) -> tensor<8x8xf32> {
  %n = dyt.rms_norm %x gamma(%g : tensor<16xf32>) : tensor<8x16xf32> -> tensor<8x16xf32>
  %e = tensor.empty() : tensor<8x16xf32>
  %cst = arith.constant 0.0 : f32
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  %h = linalg.matmul ins(%n, %w1 : tensor<8x16xf32>, tensor<16x16xf32>) outs(%z : tensor<8x16xf32>) -> tensor<8x16xf32>
  %t = math.tanh %h : tensor<8x16xf32>
  %d = linalg.matmul ins(%t, %w2 : tensor<8x16xf32>, tensor<16x16xf32>) outs(%z : tensor<8x16xf32>) -> tensor<8x16xf32>
  %r = arith.addf %x, %d : tensor<8x16xf32>
  %q = linalg.matmul ins(%r, %wq : tensor<8x16xf32>, tensor<16x16xf32>) outs(%z : tensor<8x16xf32>) -> tensor<8x16xf32>
  %k = linalg.matmul ins(%r, %wk : tensor<8x16xf32>, tensor<16x16xf32>) outs(%z : tensor<8x16xf32>) -> tensor<8x16xf32>
  %e2 = tensor.empty() : tensor<8x8xf32>
  %z2 = linalg.fill ins(%cst : f32) outs(%e2 : tensor<8x8xf32>) -> tensor<8x8xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%q, %k : tensor<8x16xf32>, tensor<8x16xf32>) outs(%z2 : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %s : tensor<8x8xf32>
}

// -----

// Cross-attention: the norm feeds Q only; K comes from the encoder's output
// through a projection (an activation, not a weight): attention.
// CHECK-LABEL: func.func @cross_attention(
// CHECK:         dyt.dyt {{.*}} {dyt.role = "attention"}
func.func @cross_attention(%x: tensor<8x16xf32>, %enc: tensor<5x16xf32>, %g: tensor<16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>) -> tensor<8x5xf32> {
  %n = dyt.rms_norm %x gamma(%g : tensor<16xf32>) : tensor<8x16xf32> -> tensor<8x16xf32>
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  %q = linalg.matmul ins(%n, %wq : tensor<8x16xf32>, tensor<16x16xf32>) outs(%z : tensor<8x16xf32>) -> tensor<8x16xf32>
  %ek = tensor.empty() : tensor<5x16xf32>
  %zk = linalg.fill ins(%cst : f32) outs(%ek : tensor<5x16xf32>) -> tensor<5x16xf32>
  %k = linalg.matmul ins(%enc, %wk : tensor<5x16xf32>, tensor<16x16xf32>) outs(%zk : tensor<5x16xf32>) -> tensor<5x16xf32>
  %es = tensor.empty() : tensor<8x5xf32>
  %zs = linalg.fill ins(%cst : f32) outs(%es : tensor<8x5xf32>) -> tensor<8x5xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%q, %k : tensor<8x16xf32>, tensor<5x16xf32>) outs(%zs : tensor<8x5xf32>) -> tensor<8x5xf32>
  return %s : tensor<8x5xf32>
}
