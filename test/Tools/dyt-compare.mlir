// dyt-compare on the bundled blocks and on a torch-mlir LayerNorm: the DyT
// variant has fewer kernels and row reductions than the norm variant.
// RUN: dyt-compare %S/../../examples/vit_block_small.mlir --json --bench 3 | FileCheck %s --check-prefix=VIT
// RUN: dyt-compare %S/../../examples/vit_block_small.mlir --json | %python %S/Inputs/compare_json.py | FileCheck %s --check-prefix=OK
// RUN: dyt-compare %S/../../examples/llama_block_small.mlir --json --replace-options="alpha-attn=0.8 alpha-ffn=0.2" | %python %S/Inputs/compare_json.py | FileCheck %s --check-prefix=OK
// RUN: dyt-compare %S/../Transforms/Inputs/torch-mlir/layernorm_f32_args.mlir --json | %python %S/Inputs/compare_json.py | FileCheck %s --check-prefix=OK
// RUN: dyt-compare %s -e two_norms | FileCheck %s --check-prefix=TABLE
// RUN: not dyt-compare %s -e no_norm 2>&1 | FileCheck %s --check-prefix=NONORM
// RUN: not dyt-compare %s 2>&1 | FileCheck %s --check-prefix=SEVERAL
// (--target nvvm: dyt-compare-nvvm.mlir, dyt-run-gpu-fake-driver.mlir and
// dyt-run-gpu-errors.mlir.)
// RUN: not dyt-compare %s -e two_norms --target tpu 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not dyt-compare %s -e missing 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not dyt-compare %s -e two_norms --replace-options="alpha=0" 2>&1 | FileCheck %s --check-prefix=ALPHA
// RUN: dyt-compare %s -e dynamic --json | FileCheck %s --check-prefix=DYNAMIC
// RUN: dyt-compare %s -e calls_block --json | FileCheck %s --check-prefix=CALLS
// RUN: not dyt-compare %s -e dynamic --bench 2 2>&1 | FileCheck %s --check-prefix=DYNBENCH

// VIT: dyt-compare: {{.*}}vit_block_small.mlir @vit_block: 2 LayerNorm, 0 RMSNorm -> DyT; target cpu
// VIT: median time of 3 calls (ms)
// VIT: {"model": "{{.*}}", "function": "vit_block", "target": "cpu", "variants": [{"name": "norm", "kernels": {{[0-9]+}}, "reductions": {{[0-9]+}}, "bytes": {{[0-9]+}}, "flops": {{[0-9]+}}, "transcendentals": {{[0-9]+}}, "code_bytes": {{[0-9]+}}, "median_s": {{.*}}}, {"name": "dyt", {{.*}}"median_s": {{.*}}}]}

// OK: OK kernels

// One LayerNorm and one RMSNorm, as convert-dyt-to-linalg lowers them (3 row
// reductions among 8 kernels), against two DyTs (2 kernels, no reduction).
// TABLE: @two_norms: 1 LayerNorm, 1 RMSNorm -> DyT
// TABLE: kernels (linalg loop nests) 8 2 0.25x
// TABLE: row reductions 3 0 0.00x
// TABLE: bytes read + written (static)
// TABLE: flops
// TABLE: transcendental ops
// TABLE: machine code of @two_norms (.text)

// NONORM: dyt-compare: error: no LayerNorm or RMSNorm in
// SEVERAL: dyt-compare: error: {{.*}} has several public functions; pick one with -e
// TARGET: dyt-compare: error: unknown --target 'tpu' (cpu or nvvm)
// MISSING: dyt-compare: error: no function @missing with a body
// ALPHA: alpha values must be finite and `alpha` non-zero
// ALPHA: dyt-compare: error: dyt-replace-norms failed

func.func @two_norms(%x: tensor<8x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) -> (tensor<8x96xf32>, tensor<8x96xf32>) {
  %l = dyt.layer_norm %x gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<8x96xf32> -> tensor<8x96xf32>
  %r = dyt.rms_norm %x gamma(%g : tensor<96xf32>) : tensor<8x96xf32> -> tensor<8x96xf32>
  return %l, %r : tensor<8x96xf32>, tensor<8x96xf32>
}

// Sizes that only the run time knows: no static byte or flop count.
// DYNAMIC: @dynamic: 1 LayerNorm, 0 RMSNorm -> DyT
// DYNAMIC: bytes read + written (static) ? ?
// DYNAMIC: flops ? ?
// DYNAMIC: "variants": [{"name": "norm", "kernels": {{[0-9]+}}, "reductions": 2, "bytes": null, "flops": null, "transcendentals": null
// DYNBENCH: dyt-compare: error: --bench needs static shapes: argument #0 is tensor<?x96xf32>
func.func @dynamic(%x: tensor<?x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) -> tensor<?x96xf32> {
  %l = dyt.layer_norm %x gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<?x96xf32> -> tensor<?x96xf32>
  return %l : tensor<?x96xf32>
}

// The norm in a private callee counts: @calls_block and what it calls are
// compared (and compiled, for the code size), not the rest of the module.
// CALLS: @calls_block: 1 LayerNorm, 0 RMSNorm -> DyT
// CALLS: "function": "calls_block", "target": "cpu", "variants": [{"name": "norm", "kernels": {{[0-9]+}}, "reductions": 2,
// CALLS-SAME: {"name": "dyt", "kernels": 1, "reductions": 0,
func.func private @block(%x: tensor<8x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) -> tensor<8x96xf32> {
  %l = dyt.layer_norm %x gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<8x96xf32> -> tensor<8x96xf32>
  return %l : tensor<8x96xf32>
}

func.func @calls_block(%x: tensor<8x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) -> tensor<8x96xf32> {
  %y = func.call @block(%x, %g, %b) : (tensor<8x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<8x96xf32>
  return %y : tensor<8x96xf32>
}

func.func @no_norm(%x: tensor<8x96xf32>) -> tensor<8x96xf32> {
  return %x : tensor<8x96xf32>
}
