// RUN: dyt-opt %s --convert-dyt-to-linalg -split-input-file | FileCheck %s
// The output is plain upstream MLIR: Debian's own mlir-opt parses and
// verifies it, and no dyt op is left.
// RUN: dyt-opt %s --convert-dyt-to-linalg | mlir-opt | FileCheck %s --check-prefix=UPSTREAM
// UPSTREAM-NOT: = dyt.
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(convert-dyt-to-linalg))" | FileCheck %s --check-prefix=NESTED

// CHECK-DAG:   #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[LAST3:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func @dyt_channels_last
// CHECK-SAME:    (%[[X:.*]]: tensor<8x197x768xf32>, %[[A:.*]]: f32, %[[G:.*]]: tensor<768xf32>, %[[B:.*]]: tensor<768xf32>)
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<8x197x768xf32>
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID3]], #[[LAST3]], #[[LAST3]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:        ins(%[[X]], %[[G]], %[[B]] : tensor<8x197x768xf32>, tensor<768xf32>, tensor<768xf32>) outs(%[[E]] : tensor<8x197x768xf32>)
// CHECK:         ^bb0(%[[IN:.*]]: f32, %[[GI:.*]]: f32, %[[BI:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[S:.*]] = arith.mulf %[[A]], %[[IN]] : f32
// CHECK-NEXT:      %[[T:.*]] = math.tanh %[[S]] : f32
// CHECK-NEXT:      %[[M:.*]] = arith.mulf %[[T]], %[[GI]] : f32
// CHECK-NEXT:      %[[Y:.*]] = arith.addf %[[M]], %[[BI]] : f32
// CHECK-NEXT:      linalg.yield %[[Y]] : f32
// CHECK:         return %[[R]]
func.func @dyt_channels_last(%x: tensor<8x197x768xf32>, %a: f32, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<8x197x768xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xf32>) beta(%b : tensor<768xf32>) : tensor<8x197x768xf32> -> tensor<8x197x768xf32>
  return %y : tensor<8x197x768xf32>
}

// -----

// NCHW (ConvNeXt): gamma and beta broadcast along dim 1; alpha, a 1-element
// tensor, is read once before the loop nest.
// CHECK-DAG:   #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func @dyt_nchw
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK:         %[[A:.*]] = tensor.extract %{{.*}}[%[[C0]]] : tensor<1xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[ID4]], #[[CH]], #[[CH]], #[[ID4]]]
// CHECK:           arith.mulf %[[A]], %{{.*}} : f32
func.func @dyt_nchw(%x: tensor<2x64x7x7xf32>, %a: tensor<1xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<2x64x7x7xf32> {
  %y = "dyt.dyt"(%x, %a, %g, %b) <{axis = 1 : i64}> : (tensor<2x64x7x7xf32>, tensor<1xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x64x7x7xf32>
  return %y : tensor<2x64x7x7xf32>
}

// -----

// bf16 with dynamic dims: the output's sizes are read from the input, every
// element is widened to f32 and the result rounded once; a bf16 alpha is
// widened once, outside the loop.
// CHECK-LABEL: func @dyt_bf16_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x?x64xbf16>, %[[A:.*]]: bf16,
// CHECK:         %[[AF:.*]] = arith.extf %[[A]] : bf16 to f32
// CHECK-DAG:     %[[D0:.*]] = tensor.dim %[[X]], %c0
// CHECK-DAG:     %[[D1:.*]] = tensor.dim %[[X]], %c1
// CHECK:         %[[E:.*]] = tensor.empty(%[[D0]], %[[D1]]) : tensor<?x?x64xbf16>
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[IN:.*]]: bf16, %[[GI:.*]]: bf16, %[[BI:.*]]: bf16, %{{.*}}: bf16):
// CHECK-NEXT:      %[[XF:.*]] = arith.extf %[[IN]] : bf16 to f32
// CHECK-NEXT:      %[[S:.*]] = arith.mulf %[[AF]], %[[XF]] : f32
// CHECK-NEXT:      math.tanh %[[S]] : f32
// CHECK-NEXT:      arith.extf %[[GI]] : bf16 to f32
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      arith.extf %[[BI]] : bf16 to f32
// CHECK-NEXT:      %[[Y:.*]] = arith.addf
// CHECK-NEXT:      %[[R:.*]] = arith.truncf %[[Y]] : f32 to bf16
// CHECK-NEXT:      linalg.yield %[[R]] : bf16
func.func @dyt_bf16_dynamic(%x: tensor<?x?x64xbf16>, %a: bf16, %g: tensor<64xbf16>, %b: tensor<64xbf16>) -> tensor<?x?x64xbf16> {
  %y = dyt.dyt %x alpha(%a : bf16) gamma(%g : tensor<64xbf16>) beta(%b : tensor<64xbf16>) : tensor<?x?x64xbf16> -> tensor<?x?x64xbf16>
  return %y : tensor<?x?x64xbf16>
}

// -----

// The paper's variants: LLaMA (no beta: splat 0, or -0) costs no add; DiT (no
// affine: gamma splat 1, beta splat 0) costs neither multiply nor add; other
// splats are scalar constants in the body, not broadcast loads.
// CHECK-LABEL: func @dyt_splat_parameters
// LLaMA:
// CHECK:         linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4x16xf32>, tensor<16xf32>)
// CHECK:           math.tanh
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      linalg.yield
// LLaMA with beta = -0:
// CHECK:         linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4x16xf32>, tensor<16xf32>)
// CHECK:           math.tanh
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      linalg.yield
// DiT:
// CHECK:         linalg.generic {{.*}} ins(%{{.*}} : tensor<4x16xf32>)
// CHECK:           %[[T:.*]] = math.tanh
// CHECK-NEXT:      linalg.yield %[[T]]
// Splats that are not identities:
// CHECK-DAG:     %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-DAG:     %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:         linalg.generic {{.*}} ins(%{{.*}} : tensor<4x16xf32>)
// CHECK:           math.tanh
// CHECK-NEXT:      arith.mulf %{{.*}}, %[[TWO]]
// CHECK-NEXT:      arith.addf %{{.*}}, %[[HALF]]
func.func @dyt_splat_parameters(%x: tensor<4x16xf32>, %a: f32, %g: tensor<16xf32>)
    -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>) {
  %zero = arith.constant dense<0.0> : tensor<16xf32>
  %negzero = arith.constant dense<-0.0> : tensor<16xf32>
  %one = arith.constant dense<1.0> : tensor<16xf32>
  %two = arith.constant dense<2.0> : tensor<16xf32>
  %half = arith.constant dense<0.5> : tensor<16xf32>
  %0 = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<16xf32>) beta(%zero : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  %1 = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<16xf32>) beta(%negzero : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  %2 = dyt.dyt %x alpha(%a : f32) gamma(%one : tensor<16xf32>) beta(%zero : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  %3 = dyt.dyt %x alpha(%a : f32) gamma(%two : tensor<16xf32>) beta(%half : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  return %0, %1, %2, %3 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// LayerNorm: sum, mean, sum of squared deviations, rstd, normalisation.
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG:   #[[ROWID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[LAST:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func @layer_norm
// CHECK-SAME:    (%[[X:.*]]: tensor<8x197x768xf32>, %[[G:.*]]: tensor<768xf32>, %[[B:.*]]: tensor<768xf32>)
// CHECK-DAG:     %[[N:.*]] = arith.constant 7.680000e+02 : f32
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<8x197xf32>)
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[X]] : tensor<8x197x768xf32>) outs(%[[INIT]] : tensor<8x197xf32>)
// CHECK:           arith.addf
// CHECK:         %[[MEAN:.*]] = linalg.generic {indexing_maps = [#[[ROWID]], #[[ROWID]]], iterator_types = ["parallel", "parallel"]} ins(%[[SUM]]
// CHECK:           arith.divf %{{.*}}, %[[N]]
// CHECK:         %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[X]], %[[MEAN]] : tensor<8x197x768xf32>, tensor<8x197xf32>)
// CHECK:           %[[D:.*]] = arith.subf
// CHECK-NEXT:      %[[D2:.*]] = arith.mulf %[[D]], %[[D]]
// CHECK-NEXT:      arith.addf %{{.*}}, %[[D2]]
// CHECK:         %[[RSTD:.*]] = linalg.generic {{.*}} ins(%[[SQ]]
// CHECK:           %[[V:.*]] = arith.divf %{{.*}}, %[[N]]
// CHECK-NEXT:      %[[VE:.*]] = arith.addf %[[V]], %[[EPS]]
// CHECK-NEXT:      math.rsqrt %[[VE]]
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[LAST]], #[[LAST]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:        ins(%[[X]], %[[MEAN]], %[[RSTD]], %[[G]], %[[B]] :
// CHECK:           arith.subf
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      arith.addf
func.func @layer_norm(%x: tensor<8x197x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<8x197x768xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<768xf32>) beta(%b : tensor<768xf32>) : tensor<8x197x768xf32> -> tensor<8x197x768xf32>
  return %y : tensor<8x197x768xf32>
}

// -----

// A dynamic row length is read at run time; f16 statistics are f32; gamma's
// and beta's sizes, which the verifier could not compare, are asserted.
// CHECK-LABEL: func @layer_norm_f16_dynamic
// CHECK-SAME:    (%[[X:[a-z0-9]+]]: tensor<?x?xf16>, %[[G:[a-z0-9]+]]: tensor<?xf16>
// CHECK:         %[[C1:.*]] = arith.constant 1 : index
// CHECK:         %[[DIM:.*]] = tensor.dim %[[X]], %[[C1]] : tensor<?x?xf16>
// CHECK:         %[[GD:.*]] = tensor.dim %[[G]], %{{.*}} : tensor<?xf16>
// CHECK:         %[[EQ:.*]] = arith.cmpi eq, %[[GD]], %[[DIM]] : index
// CHECK:         cf.assert %[[EQ]], "dyt.layer_norm: gamma size differs from the input's last dim"
// CHECK:         %[[I:.*]] = arith.index_castui %[[DIM]] : index to i64
// CHECK:         %[[N:.*]] = arith.uitofp %[[I]] : i64 to f32
// CHECK:         linalg.generic {{.*}} ins(%[[X]] : tensor<?x?xf16>) outs(%{{.*}} : tensor<?xf32>)
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:         arith.divf %{{.*}}, %[[N]] : f32
// CHECK:         arith.truncf %{{.*}} : f32 to f16
func.func @layer_norm_f16_dynamic(%x: tensor<?x?xf16>, %g: tensor<?xf16>, %b: tensor<?xf16>) -> tensor<?x?xf16> {
  %y = dyt.layer_norm %x gamma(%g : tensor<?xf16>) beta(%b : tensor<?xf16>) : tensor<?x?xf16> -> tensor<?x?xf16>
  return %y : tensor<?x?xf16>
}

// -----

// RMSNorm: one reduction (sum of squares), rstd, scaling; no mean, no shift.
// CHECK-LABEL: func @rms_norm_bf16
// CHECK-DAG:     %[[EPS:.*]] = arith.constant 9.99999997E-7 : f32
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:           %[[XF:.*]] = arith.extf %{{.*}} : bf16 to f32
// CHECK-NEXT:      %[[SQ:.*]] = arith.mulf %[[XF]], %[[XF]]
// CHECK-NEXT:      arith.addf %{{.*}}, %[[SQ]]
// CHECK:         math.rsqrt
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-NOT:       arith.subf
// CHECK:           arith.mulf
// CHECK-NEXT:      arith.extf
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      arith.truncf
// CHECK-NOT:     linalg.generic
func.func @rms_norm_bf16(%x: tensor<1x7x4096xbf16>, %g: tensor<4096xbf16>) -> tensor<1x7x4096xbf16> {
  %y = dyt.rms_norm %x gamma(%g : tensor<4096xbf16>) : tensor<1x7x4096xbf16> -> tensor<1x7x4096xbf16>
  return %y : tensor<1x7x4096xbf16>
}

// -----

// A rank-1 input has one row: its statistics are 0-d tensors.
// CHECK-DAG:   #[[TO0D:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func @rms_norm_rank1
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<f32>)
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #[[TO0D]]], iterator_types = ["reduction"]}
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = []} ins(%{{.*}} : tensor<f32>)
func.func @rms_norm_rank1(%x: tensor<7xf32>, %g: tensor<7xf32>) -> tensor<7xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<7xf32>) : tensor<7xf32> -> tensor<7xf32>
  return %y : tensor<7xf32>
}

// -----

// Negative: IR without dyt ops is left exactly as it was.
// CHECK-LABEL: func @no_dyt_ops
// CHECK-NEXT:    %[[T:.*]] = math.tanh %arg0 : tensor<4xf32>
// CHECK-NEXT:    return %[[T]]
func.func @no_dyt_ops(%x: tensor<4xf32>) -> tensor<4xf32> {
  %t = math.tanh %x : tensor<4xf32>
  return %t : tensor<4xf32>
}

// -----

// The pass has no anchor: it runs on whatever op it is nested under (the
// NESTED run line schedules it on func.func only).
// CHECK-LABEL: func @on_functions_only
// CHECK-NOT:     dyt.dyt
// NESTED-LABEL: func @on_functions_only
// NESTED:         linalg.generic
// NESTED-NOT:     dyt.dyt
func.func @on_functions_only(%x: tensor<3xf32>, %a: f32, %g: tensor<3xf32>) -> tensor<3xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<3xf32>) beta(%g : tensor<3xf32>) : tensor<3xf32> -> tensor<3xf32>
  return %y : tensor<3xf32>
}
