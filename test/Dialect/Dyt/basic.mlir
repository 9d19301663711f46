// Round trip of every op of the dyt dialect: custom form, generic form and
// bytecode all print back to the same custom form.
// RUN: dyt-opt %s | dyt-opt | FileCheck %s
// RUN: dyt-opt %s --mlir-print-op-generic | dyt-opt | FileCheck %s
// RUN: dyt-opt %s --emit-bytecode | dyt-opt | FileCheck %s

// CHECK-LABEL: func @dyt_channels_last
// CHECK:         dyt.dyt %{{.*}} alpha(%{{.*}} : f32) gamma(%{{.*}} : tensor<768xf32>) beta(%{{.*}} : tensor<768xf32>) : tensor<8x197x768xf32> -> tensor<8x197x768xf32>
func.func @dyt_channels_last(%x: tensor<8x197x768xf32>, %a: f32, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<8x197x768xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xf32>) beta(%b : tensor<768xf32>) : tensor<8x197x768xf32> -> tensor<8x197x768xf32>
  return %y : tensor<8x197x768xf32>
}

// The generic form of the issue's contract, NCHW with a 1-element alpha.
// CHECK-LABEL: func @dyt_generic_nchw
// CHECK:         dyt.dyt %{{.*}} alpha(%{{.*}} : tensor<1xf32>) gamma(%{{.*}} : tensor<64xf32>) beta(%{{.*}} : tensor<64xf32>) axis = 1 : tensor<2x64x7x7xf32> -> tensor<2x64x7x7xf32>
func.func @dyt_generic_nchw(%x: tensor<2x64x7x7xf32>, %a: tensor<1xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<2x64x7x7xf32> {
  %y = "dyt.dyt"(%x, %a, %g, %b) <{axis = 1 : i64}> : (tensor<2x64x7x7xf32>, tensor<1xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x64x7x7xf32>
  return %y : tensor<2x64x7x7xf32>
}

// An explicit default axis is elided; a negative one is kept as written
// (the canonicalizer normalises it).
// CHECK-LABEL: func @dyt_axis_spellings
// CHECK:         dyt.dyt {{.*}} beta(%{{.*}} : tensor<5xf32>) : tensor<3x5xf32>
// CHECK:         dyt.dyt {{.*}} axis = -2 : tensor<3x5x4xf32>
func.func @dyt_axis_spellings(%x: tensor<3x5xf32>, %x3: tensor<3x5x4xf32>, %a: f32, %g: tensor<5xf32>) -> (tensor<3x5xf32>, tensor<3x5x4xf32>) {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<5xf32>) beta(%g : tensor<5xf32>) axis = -1 : tensor<3x5xf32> -> tensor<3x5xf32>
  %z = dyt.dyt %x3 alpha(%a : f32) gamma(%g : tensor<5xf32>) beta(%g : tensor<5xf32>) axis = -2 : tensor<3x5x4xf32> -> tensor<3x5x4xf32>
  return %y, %z : tensor<3x5xf32>, tensor<3x5x4xf32>
}

// CHECK-LABEL: func @dyt_dynamic_16bit
// CHECK:         dyt.dyt %{{.*}} alpha(%{{.*}} : f16) gamma(%{{.*}} : tensor<?xf16>) beta(%{{.*}} : tensor<768xf16>) : tensor<?x?x768xf16> -> tensor<?x?x768xf16>
// CHECK:         dyt.dyt %{{.*}} alpha(%{{.*}} : tensor<f32>) gamma(%{{.*}} : tensor<?xbf16>) beta(%{{.*}} : tensor<?xbf16>) : tensor<?xbf16> -> tensor<?xbf16>
func.func @dyt_dynamic_16bit(%x: tensor<?x?x768xf16>, %a: f16, %g: tensor<?xf16>, %b: tensor<768xf16>,
                             %v: tensor<?xbf16>, %a0: tensor<f32>, %gv: tensor<?xbf16>) -> (tensor<?x?x768xf16>, tensor<?xbf16>) {
  %y = dyt.dyt %x alpha(%a : f16) gamma(%g : tensor<?xf16>) beta(%b : tensor<768xf16>) : tensor<?x?x768xf16> -> tensor<?x?x768xf16>
  %w = dyt.dyt %v alpha(%a0 : tensor<f32>) gamma(%gv : tensor<?xbf16>) beta(%gv : tensor<?xbf16>) : tensor<?xbf16> -> tensor<?xbf16>
  return %y, %w : tensor<?x?x768xf16>, tensor<?xbf16>
}

// CHECK-LABEL: func @layer_norm
// CHECK:         dyt.layer_norm %{{.*}} gamma(%{{.*}} : tensor<768xf32>) beta(%{{.*}} : tensor<768xf32>) : tensor<8x197x768xf32> -> tensor<8x197x768xf32>
// CHECK:         dyt.layer_norm %{{.*}} gamma(%{{.*}} : tensor<768xbf16>) beta(%{{.*}} : tensor<768xbf16>) epsilon = 9.99999997E-7 : tensor<?x768xbf16> -> tensor<?x768xbf16>
func.func @layer_norm(%x: tensor<8x197x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>,
                      %h: tensor<?x768xbf16>, %gh: tensor<768xbf16>, %bh: tensor<768xbf16>) -> (tensor<8x197x768xf32>, tensor<?x768xbf16>) {
  %y = dyt.layer_norm %x gamma(%g : tensor<768xf32>) beta(%b : tensor<768xf32>) : tensor<8x197x768xf32> -> tensor<8x197x768xf32>
  %z = dyt.layer_norm %h gamma(%gh : tensor<768xbf16>) beta(%bh : tensor<768xbf16>) epsilon = 1.0e-6 : tensor<?x768xbf16> -> tensor<?x768xbf16>
  return %y, %z : tensor<8x197x768xf32>, tensor<?x768xbf16>
}

// The default epsilon, written out in the generic form, is elided.
// CHECK-LABEL: func @rms_norm
// CHECK:         dyt.rms_norm %{{.*}} gamma(%{{.*}} : tensor<4096xf16>) : tensor<1x7x4096xf16> -> tensor<1x7x4096xf16>
// CHECK:         dyt.rms_norm %{{.*}} gamma(%{{.*}} : tensor<?xf32>) epsilon = 9.99999974E-6 : tensor<?x?xf32> -> tensor<?x?xf32>
func.func @rms_norm(%x: tensor<1x7x4096xf16>, %g: tensor<4096xf16>, %d: tensor<?x?xf32>, %gd: tensor<?xf32>) -> (tensor<1x7x4096xf16>, tensor<?x?xf32>) {
  %y = "dyt.rms_norm"(%x, %g) <{epsilon = 1.0e-6 : f32}> : (tensor<1x7x4096xf16>, tensor<4096xf16>) -> tensor<1x7x4096xf16>
  %z = dyt.rms_norm %d gamma(%gd : tensor<?xf32>) epsilon = 1.0e-5 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y, %z : tensor<1x7x4096xf16>, tensor<?x?xf32>
}
