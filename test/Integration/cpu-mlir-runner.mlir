// The lowered ops run under Debian's own mlir-opt and mlir-runner, with
// upstream's plain CPU route. Expected values were computed independently
// (Python's math module, double precision) from the same inputs.
// RUN: dyt-opt %s --convert-dyt-to-linalg \
// RUN: | mlir-opt --one-shot-bufferize="bufferize-function-boundaries" \
// RUN:     --buffer-deallocation-pipeline --convert-linalg-to-loops \
// RUN:     --expand-strided-metadata --lower-affine --convert-scf-to-cf \
// RUN:     --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_c_runner_utils,%mlir_runner_utils \
// RUN: | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[[0.0, 1.0, -2.0], [3.0, 0.5, -0.25]]> : tensor<2x3xf32>
  %a = arith.constant 0.5 : f32
  %g = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = arith.constant dense<[0.0, 0.1, 0.2]> : tensor<3xf32>

  // g * tanh(0.5 x) + b
  // CHECK:      sizes = [2, 3]
  // CHECK-NEXT: [0,   1.02423,   -2.08478],
  // CHECK-NEXT: [0.905148,   0.589837,   -0.173059]
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<3xf32>) beta(%b : tensor<3xf32>) : tensor<2x3xf32> -> tensor<2x3xf32>
  %yu = tensor.cast %y : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%yu) : (tensor<*xf32>) -> ()

  // (x - mean) / sqrt(var + 1e-5) * g + b
  // CHECK:      sizes = [2, 3]
  // CHECK-NEXT: [0.26726,   2.23808,   -3.8089],
  // CHECK-NEXT: [1.37944,   -0.739662,   -2.67884]
  %l = dyt.layer_norm %x gamma(%g : tensor<3xf32>) beta(%b : tensor<3xf32>) : tensor<2x3xf32> -> tensor<2x3xf32>
  %lu = tensor.cast %l : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%lu) : (tensor<*xf32>) -> ()

  // x / sqrt(mean(x^2) + 1e-6) * g
  // CHECK:      sizes = [2, 3]
  // CHECK-NEXT: [0,   1.54919,   -4.64758],
  // CHECK-NEXT: [1.70274,   0.56758,   -0.425685]
  %r = dyt.rms_norm %x gamma(%g : tensor<3xf32>) : tensor<2x3xf32> -> tensor<2x3xf32>
  %ru = tensor.cast %r : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%ru) : (tensor<*xf32>) -> ()
  return
}
