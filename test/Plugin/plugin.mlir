// The plugin loads into Debian's own mlir-opt: the dialect round-trips, and
// the lowering pass runs. mlir-opt builds its one-flag-per-pass options
// before it loads plugins, so a plugin's passes are named in --pass-pipeline
// (as upstream's own plugin tests do); `--convert-dyt-to-linalg` as a flag is
// dyt-opt's.
// RUN: mlir-opt %s --load-dialect-plugin=%dyt_plugin | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: mlir-opt %s --load-dialect-plugin=%dyt_plugin --load-pass-plugin=%dyt_plugin --pass-pipeline="builtin.module(convert-dyt-to-linalg)" | FileCheck %s
// The dialect plugin alone registers the passes too.
// RUN: mlir-opt %s --load-dialect-plugin=%dyt_plugin --pass-pipeline="builtin.module(func.func(convert-dyt-to-linalg))" | FileCheck %s
// Without the plugin, stock mlir-opt does not know the dialect.
// RUN: not mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN

// ROUNDTRIP-LABEL: func @block
// ROUNDTRIP:         dyt.layer_norm
// ROUNDTRIP:         dyt.dyt
// CHECK-LABEL: func @block
// CHECK-NOT:     dyt.
// CHECK:         linalg.generic
// CHECK:         math.rsqrt
// CHECK:         math.tanh
// NOPLUGIN: error: Dialect `dyt' not found for custom op 'dyt.layer_norm'
func.func @block(%x: tensor<4x16xf32>, %a: f32, %g: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %0 = dyt.layer_norm %x gamma(%g : tensor<16xf32>) beta(%b : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  %1 = dyt.dyt %0 alpha(%a : f32) gamma(%g : tensor<16xf32>) beta(%b : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  return %1 : tensor<4x16xf32>
}
