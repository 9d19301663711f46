// A LayerNorm over 4 TB: dyt-compare --bench must refuse it before allocating.
func.func @huge(%x: tensor<1000000x1000000xf32>, %g: tensor<1000000xf32>, %b: tensor<1000000xf32>) -> tensor<1000000x1000000xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<1000000xf32>) beta(%b : tensor<1000000xf32>) : tensor<1000000x1000000xf32> -> tensor<1000000x1000000xf32>
  return %y : tensor<1000000x1000000xf32>
}
