// dyt-nvvm-pipeline: the PTX of each kernel kind, assembled by ptxas and
// checked for what makes it fast (issue: NVVM code generation).
// REQUIRES: ptxas
// RUN: dyt-opt %s --dyt-nvvm-pipeline > %t.mlir
// RUN: %extract_ptx --ptxas %ptxas --arch sm_90 %t.mlir | FileCheck %s --check-prefix=PTXAS
// RUN: %extract_ptx %t.mlir | FileCheck %s
// RUN: %extract_ptx %t.mlir | FileCheck %s --check-prefix=CONST
// RUN: %extract_ptx %t.mlir | FileCheck %s --check-prefix=STAGE
// RUN: %extract_ptx %t.mlir | FileCheck %s --check-prefix=ASYNC
// RUN: %extract_ptx %t.mlir | FileCheck %s --check-prefix=LDMATRIX
// RUN: FileCheck %s --check-prefix=CONSTHOST < %t.mlir
// RUN: %extract_ptx %t.mlir | FileCheck %s --check-prefix=ALIGN --implicit-check-not=".shared .align 2 " --implicit-check-not=".shared .align 4 "
// RUN: dyt-opt %s --dyt-nvvm-pipeline="fast-tanh=1" | %extract_ptx | FileCheck %s --check-prefix=FAST
// RUN: dyt-opt %s --dyt-nvvm-pipeline --mlir-disable-threading --mlir-print-ir-after=dyt-gpu-device-memory 2>&1 >/dev/null | FileCheck %s --check-prefix=HOST
// RUN: dyt-opt %s --dyt-nvvm-pipeline="format=bin chip=sm_80" | FileCheck %s --check-prefix=BIN
// RUN: dyt-opt %s --dyt-nvvm-pipeline="chip=sm_75" > %t.sm75.mlir
// RUN: %extract_ptx --ptxas %ptxas --arch sm_75 %t.sm75.mlir | FileCheck %s --check-prefix=PTXAS75
// RUN: %extract_ptx %t.sm75.mlir | FileCheck %s --check-prefix=SM75
// RUN: dyt-opt %s --dyt-nvvm-pipeline="tensor-cores=0" | %extract_ptx | FileCheck %s --check-prefix=NOTC

// PTXAS: ptxas: {{[0-9]+}} modules assembled for sm_90
// PTXAS75: ptxas: {{[0-9]+}} modules assembled for sm_75
// Static shared buffers are 16-byte aligned (dyt-gpu-align-workgroup-buffers):
// the tensor-core kernel's cp.async and ldmatrix take 16-byte aligned rows of
// its two-stage tiles (2 x 64 x 40 bf16).
// ALIGN: .shared .align 16 .b8 __wg_batched_kernel_0[10240];
// The default PTX version is the chip's first (LLVM stops on an older one).
// SM75: .version 6.3
// SM75: .target sm_75
// BIN: gpu.binary @dyt_f32_kernel  [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx70">, {{.*}}bin = "

// DyT: 128-bit loads and stores, gamma/beta loaded once per thread before
// the row loop, 64-bit element offsets, no integer division per element.
// CHECK-LABEL: .visible .entry dyt_f32_kernel(
// CHECK: .maxntid 256, 1, 1
// CHECK: ld.global.v4.b32
// CHECK: ld.global.v4.b32
// CHECK: $L__BB0_[[LOOP:[0-9]+]]:
// CHECK-NOT: div
// CHECK-NOT: rem
// CHECK: add.s64
// CHECK: ld.global.v4.b32
// CHECK: st.global.v4.b32
// CHECK: bra{{.*}} $L__BB0_[[LOOP]]
// FAST-LABEL: .visible .entry dyt_f32_kernel(
// FAST: tanh.approx.f32
// HOST-LABEL: func.func @dyt_f32(
// HOST: gpu.launch blocks({{.*}}) in ({{.*}} = %{{.*}}, {{.*}} = %{{.*}}, {{.*}}) threads({{.*}}) in ({{.*}} = %c256{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}})
func.func @dyt_f32(%x: tensor<8192x4096xf32>, %a: f32, %g: tensor<4096xf32>, %b: tensor<4096xf32>) -> tensor<8192x4096xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<4096xf32>) beta(%b : tensor<4096xf32>) : tensor<8192x4096xf32> -> tensor<8192x4096xf32>
  return %y : tensor<8192x4096xf32>
}

// bf16: eight values per 128-bit access, computed in f32.
// CHECK-LABEL: .visible .entry dyt_bf16_kernel(
// CHECK: ld.global.v4.b32
// CHECK: cvt.f32.bf16
// CHECK: cvt.rn.bf16x2.f32
// CHECK: st.global.v4.b32
func.func @dyt_bf16(%x: tensor<8x197x768xbf16>, %a: f32, %g: tensor<768xbf16>, %b: tensor<768xbf16>) -> tensor<8x197x768xbf16> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xbf16>) beta(%b : tensor<768xbf16>) : tensor<8x197x768xbf16> -> tensor<8x197x768xbf16>
  return %y : tensor<8x197x768xbf16>
}

// LayerNorm: a row per block, warp shuffles and shared memory for the
// sums, the row read once from global memory (kept in shared memory); the
// only other global loads are gamma and beta.
// The only shared variable is the dynamic one (partial sums and rows in
// it): a static one would be laid out over the rows.
// CHECK-NOT: .shared .align {{[0-9]+}} .b8 __wg
// CHECK-LABEL: .visible .entry layer_norm_kernel(
// CHECK-COUNT-1: ld.global.v4.b32
// CHECK: st.shared.v4.b32
// CHECK: shfl.sync.bfly.b32
// CHECK: bar.sync 0
// CHECK: ld.shared.v4.b32
// CHECK: shfl.sync.bfly.b32
// CHECK: rsqrt.approx
// CHECK: ld.shared.v4.b32
// CHECK: ld.global.v4.b32
// CHECK: ld.global.v4.b32
// CHECK-NOT: ld.global
// CHECK: st.global.v4.b32
func.func @layer_norm(%x: tensor<8192x4096xf32>, %g: tensor<4096xf32>, %b: tensor<4096xf32>) -> tensor<8192x4096xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<4096xf32>) beta(%b : tensor<4096xf32>) : tensor<8192x4096xf32> -> tensor<8192x4096xf32>
  return %y : tensor<8192x4096xf32>
}

// RMSNorm with a dynamic row length: the host picks the vector or scalar
// kernel and the cached or uncached one.
// CHECK-LABEL: .visible .entry rms_norm_dynamic_kernel(
// CHECK: shfl.sync.bfly.b32
// HOST-LABEL: func.func @rms_norm_dynamic(
// HOST: scf.if
// HOST: gpu.launch
// HOST: } else {
// HOST: gpu.launch
func.func @rms_norm_dynamic(%x: tensor<?x?xbf16>, %g: tensor<?xbf16>) -> tensor<?x?xbf16> {
  %y = dyt.rms_norm %x gamma(%g : tensor<?xbf16>) : tensor<?x?xbf16> -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}

// matmul -> bias -> DyT: ONE kernel, tiled through shared memory, DyT on
// the accumulators before the only store.
// CHECK-LABEL: .visible .entry linear_dyt_kernel(
// CHECK: ld.shared.b32
// CHECK: fma.rn.f32
// CHECK: bar.sync 0
// CHECK: ex2.approx
// CHECK: st.global.b32
// CHECK-NOT: .entry linear_dyt_kernel_0
// The slices are staged 16 bytes per thread (both operands are inputs read
// along a contiguous dim: x along k, W along n): one ld.global.v4 each.
// STAGE-LABEL: .visible .entry linear_dyt_kernel(
// STAGE-COUNT-2: ld.global.v4.b32
// FAST-LABEL: .visible .entry linear_dyt_kernel(
// FAST: tanh.approx.f32
// HOST-LABEL: func.func @linear_dyt(
// HOST-COUNT-1: gpu.launch
// HOST-NOT: gpu.launch
// HOST: return
func.func @linear_dyt(%x: tensor<197x768xf32>, %w: tensor<768x3072xf32>, %bias: tensor<3072xf32>, %a: f32, %g: tensor<3072xf32>, %b: tensor<3072xf32>) -> tensor<197x3072xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<197x3072xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<197x3072xf32>) -> tensor<197x3072xf32>
  %m = linalg.matmul ins(%x, %w : tensor<197x768xf32>, tensor<768x3072xf32>) outs(%f : tensor<197x3072xf32>) -> tensor<197x3072xf32>
  %bb = linalg.broadcast ins(%bias : tensor<3072xf32>) outs(%e : tensor<197x3072xf32>) dimensions = [0]
  %s = arith.addf %m, %bb : tensor<197x3072xf32>
  %y = dyt.dyt %s alpha(%a : f32) gamma(%g : tensor<3072xf32>) beta(%b : tensor<3072xf32>) : tensor<197x3072xf32> -> tensor<197x3072xf32>
  return %y : tensor<197x3072xf32>
}

// DyT -> matmul: ONE kernel; elementwise fusion puts the DyT into the
// contraction, and the kernel computes it as A's slice is staged.
// (LLVM places the staging blocks after the loop's: no order checked.)
// CHECK-LABEL: .visible .entry dyt_linear_kernel(
// CHECK-DAG: ex2.approx
// CHECK-DAG: st.shared.b32
// CHECK-DAG: bar.sync 0
// CHECK-DAG: fma.rn.f32
// CHECK-NOT: .entry dyt_linear_kernel_0
// HOST-LABEL: func.func @dyt_linear(
// HOST-COUNT-1: gpu.launch
// HOST-NOT: gpu.launch
// HOST: return
func.func @dyt_linear(%x: tensor<197x768xf32>, %a: f32, %g: tensor<768xf32>, %b: tensor<768xf32>, %w: tensor<768x3072xf32>) -> tensor<197x3072xf32> {
  %c0 = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xf32>) beta(%b : tensor<768xf32>) : tensor<197x768xf32> -> tensor<197x768xf32>
  %e = tensor.empty() : tensor<197x3072xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<197x3072xf32>) -> tensor<197x3072xf32>
  %m = linalg.matmul ins(%y, %w : tensor<197x768xf32>, tensor<768x3072xf32>) outs(%f : tensor<197x3072xf32>) -> tensor<197x3072xf32>
  return %m : tensor<197x3072xf32>
}

// x @ W^T (PyTorch's Linear) takes the same kernel; bf16 batch_matmul runs
// on tensor cores (sm_80 and later), 2 x 4 m16n8k16 products per warp and
// 16 of k, their operands read by ldmatrix (B, staged [k][n], transposed),
// double buffered: a group per slice, waited for before the slice's one
// barrier. On sm_75, or with tensor-cores=0, it takes the FMA kernel.
// CHECK-LABEL: .visible .entry linear_transposed_kernel(
// CHECK: ld.shared.b32
// CHECK: fma.rn.f32
// W^T is read along k, its contiguous dim, 16 bytes at a time too; the
// bf16 batch's rows of 17 and 9 are not multiples of 8: element by element
// (the vector path folds away).
// STAGE-LABEL: .visible .entry linear_transposed_kernel(
// STAGE-COUNT-2: ld.global.v4.b32
// STAGE-LABEL: .visible .entry batched_kernel(
// STAGE-NOT: ld.global.v4
// STAGE: mma.sync
// STAGE-NOT: ld.global.v4
// CHECK-LABEL: .visible .entry batched_kernel(
// CHECK: %ctaid.z
// CHECK: cp.async.commit_group;
// CHECK: cp.async.wait_group 0;
// CHECK-NEXT: bar.sync 0;
// CHECK-COUNT-2: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-COUNT-2: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// CHECK-COUNT-8: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK-COUNT-2: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-COUNT-2: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// CHECK-COUNT-8: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK-NOT: ld.shared
// CHECK-NOT: fma.rn.f32
// SM75-LABEL: .visible .entry batched_kernel(
// SM75-NOT: mma.sync
// SM75: fma.rn.f32
// SM75-NOT: mma.sync
// SM75: .entry
// NOTC-LABEL: .visible .entry batched_kernel(
// NOTC-NOT: mma.sync
// NOTC: fma.rn.f32
func.func @linear_transposed(%x: tensor<64x300xf32>, %w: tensor<257x300xf32>) -> tensor<64x257xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x257xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<64x257xf32>) -> tensor<64x257xf32>
  %m = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<64x300xf32>, tensor<257x300xf32>) outs(%f : tensor<64x257xf32>) -> tensor<64x257xf32>
  return %m : tensor<64x257xf32>
}
func.func @batched(%x: tensor<4x33x17xbf16>, %w: tensor<4x17x9xbf16>) -> tensor<4x33x9xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x33x9xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<4x33x9xf32>) -> tensor<4x33x9xf32>
  %m = linalg.batch_matmul ins(%x, %w : tensor<4x33x17xbf16>, tensor<4x17x9xbf16>) outs(%f : tensor<4x33x9xf32>) -> tensor<4x33x9xf32>
  return %m : tensor<4x33x9xf32>
}

// f16 Linear (x @ W^T) -> DyT: ONE kernel on tensor cores, DyT on the f32
// accumulators, f16 stores.
// CHECK-LABEL: .visible .entry linear_dyt_f16_kernel(
// CHECK: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// CHECK: ex2.approx
// CHECK: st.global.b16
// CHECK-NOT: .entry linear_dyt_f16_kernel_0
// Two 16-byte vectors of each operand per thread and slice (x along k, W
// along k as well), each one cp.async into a k-contiguous tile ([m][k] and
// [n][k]), for slice 0 before the loop and for the next slice in it: 8 in
// all; both tiles are read by ldmatrix without .trans, 8 of them. Nothing
// goes through registers on its way to shared memory but the edges, element
// by element. (Counted apart: LLVM lays the loop's blocks out in its own
// order.)
// STAGE-LABEL: .visible .entry linear_dyt_f16_kernel(
// STAGE-NOT: {{ld.global.v4|ldmatrix.*trans}}
// STAGE: cp.async.wait_group 0;
// STAGE-NEXT: bar.sync 0;
// STAGE-NOT: {{ld.global.v4|ldmatrix.*trans}}
// STAGE: {{^}}}
// ASYNC-LABEL: .visible .entry linear_dyt_f16_kernel(
// ASYNC-COUNT-8: cp.async.cg.shared.global [%rd{{[0-9]+}}], [%rd{{[0-9]+}}], 16;
// ASYNC-NOT: cp.async.cg
// ASYNC: {{^}}}
// LDMATRIX-LABEL: .visible .entry linear_dyt_f16_kernel(
// LDMATRIX-COUNT-8: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// LDMATRIX-NOT: ldmatrix
// LDMATRIX: {{^}}}
// HOST-LABEL: func.func @linear_dyt_f16(
// HOST-COUNT-1: gpu.launch
// HOST-NOT: gpu.launch
// HOST: return
func.func @linear_dyt_f16(%x: tensor<197x768xf16>, %w: tensor<3072x768xf16>, %a: f32, %g: tensor<3072xf16>, %b: tensor<3072xf16>) -> tensor<197x3072xf16> {
  %c0 = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<197x3072xf16>
  %f = linalg.fill ins(%c0 : f16) outs(%e : tensor<197x3072xf16>) -> tensor<197x3072xf16>
  %m = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<197x768xf16>, tensor<3072x768xf16>) outs(%f : tensor<197x3072xf16>) -> tensor<197x3072xf16>
  %y = dyt.dyt %m alpha(%a : f32) gamma(%g : tensor<3072xf16>) beta(%b : tensor<3072xf16>) : tensor<197x3072xf16> -> tensor<197x3072xf16>
  return %y : tensor<197x3072xf16>
}

// Constant gamma/beta: the splat gamma folds into the kernel, beta is a
// global of the kernel module (loaded with it, once) read with 128-bit
// loads; the host neither keeps a copy nor copies it to the device per call.
// CONST: .global .align 64 .b8 __constant_96xf32[384] = {0, 0, 0, 0, 0, 0, 128, 63,
// CONST-LABEL: .visible .entry constant_dyt_kernel(
// CONST: ld.global.nc.v4.b32
// CONSTHOST-NOT: llvm.mlir.global {{.*}}@__constant_96xf32
// CONSTHOST-LABEL: llvm.func @constant_dyt(
// CONSTHOST-NOT: mgpuMemcpy
// CONSTHOST: llvm.return
func.func @constant_dyt(%x: tensor<4x96xf32>, %a: f32) -> tensor<4x96xf32> {
  %g = arith.constant dense<1.5> : tensor<96xf32>
  %b = arith.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0, 64.0, 65.0, 66.0, 67.0, 68.0, 69.0, 70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 76.0, 77.0, 78.0, 79.0, 80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0, 87.0, 88.0, 89.0, 90.0, 91.0, 92.0, 93.0, 94.0, 95.0]> : tensor<96xf32>
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<4x96xf32> -> tensor<4x96xf32>
  return %y : tensor<4x96xf32>
}
