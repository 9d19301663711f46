// A pre-norm Transformer MLP block, with Dynamic Tanh:
//   y = x + W2 * gelu(W1 * DyT(x) + b1) + b2
// 16 tokens, model width 64, hidden width 256 (a scaled-down ViT MLP).
// Lower it with:  dyt-opt --convert-dyt-to-linalg mlp_block_dyt.mlir

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @mlp_block(%x: tensor<16x64xf32>,
                     %alpha: f32, %gamma: tensor<64xf32>, %beta: tensor<64xf32>,
                     %w1: tensor<64x256xf32>, %b1: tensor<256xf32>,
                     %w2: tensor<256x64xf32>, %b2: tensor<64xf32>) -> tensor<16x64xf32> {
  // n = DyT(x) = gamma * tanh(alpha * x) + beta: elementwise, no reduction.
  %n = dyt.dyt %x alpha(%alpha : f32) gamma(%gamma : tensor<64xf32>) beta(%beta : tensor<64xf32>)
         : tensor<16x64xf32> -> tensor<16x64xf32>
  // h = n * W1 + b1
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<16x256xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x256xf32>) -> tensor<16x256xf32>
  %h = linalg.matmul ins(%n, %w1 : tensor<16x64xf32>, tensor<64x256xf32>) outs(%z1 : tensor<16x256xf32>) -> tensor<16x256xf32>

  // a = gelu(h + b1), tanh approximation
  %a = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b1 : tensor<16x256xf32>, tensor<256xf32>) outs(%e1 : tensor<16x256xf32>) {
  ^bb0(%v: f32, %bias: f32, %out: f32):
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %c = arith.constant 0.7978845608 : f32
    %k = arith.constant 0.044715 : f32
    %u = arith.addf %v, %bias : f32
    %u2 = arith.mulf %u, %u : f32
    %u3 = arith.mulf %u2, %u : f32
    %ku3 = arith.mulf %k, %u3 : f32
    %inner = arith.addf %u, %ku3 : f32
    %scaled = arith.mulf %c, %inner : f32
    %t = math.tanh %scaled : f32
    %onept = arith.addf %one, %t : f32
    %hu = arith.mulf %half, %u : f32
    %g = arith.mulf %hu, %onept : f32
    linalg.yield %g : f32
  } -> tensor<16x256xf32>

  // y = x + a * W2 + b2
  %e2 = tensor.empty() : tensor<16x64xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<16x64xf32>) -> tensor<16x64xf32>
  %o = linalg.matmul ins(%a, %w2 : tensor<16x256xf32>, tensor<256x64xf32>) outs(%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #bias, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%o, %b2, %x : tensor<16x64xf32>, tensor<64xf32>, tensor<16x64xf32>) outs(%e2 : tensor<16x64xf32>) {
  ^bb0(%v: f32, %bias: f32, %res: f32, %out: f32):
    %vb = arith.addf %v, %bias : f32
    %r = arith.addf %vb, %res : f32
    linalg.yield %r : f32
  } -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}
