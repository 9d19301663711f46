// dyt-compare --target nvvm without --bench: both variants through
// dyt-nvvm-pipeline (no GPU needed), the GPU's rows in place of the
// machine code size.
// REQUIRES: ptxas
// RUN: dyt-compare %s -e two_norms --target nvvm | FileCheck %s --check-prefix=TABLE
// RUN: dyt-compare %s -e two_norms --target nvvm --json | FileCheck %s --check-prefix=JSON
// RUN: dyt-compare %S/../../examples/vit_block_small.mlir --target nvvm --json | %python %S/Inputs/compare_json.py | FileCheck %s --check-prefix=OK

// TABLE: @two_norms: 1 LayerNorm, 1 RMSNorm -> DyT; target nvvm
// TABLE: kernels (linalg loop nests) 8 2 0.25x
// TABLE: row reductions 3 0 0.00x
// TABLE: GPU kernel launches {{[1-9][0-9]*}} {{[1-9][0-9]*}}
// TABLE: kernel code (gpu.binary, bytes) {{[1-9][0-9]*}} {{[1-9][0-9]*}}
// TABLE: (no machine code size on nvvm: the host code only launches the kernels)
// TABLE-NOT: machine code of
// TABLE-NOT: median time

// JSON: {"model": "{{.*}}", "function": "two_norms", "target": "nvvm", "variants": [{"name": "norm", "kernels": 8, "reductions": 3, {{.*}}"code_bytes": null, "kernel_launches": {{[1-9][0-9]*}}, "kernel_code_bytes": {{[1-9][0-9]*}}}, {"name": "dyt", "kernels": 2, "reductions": 0, {{.*}}"code_bytes": null, "kernel_launches": {{[1-9][0-9]*}}, "kernel_code_bytes": {{[1-9][0-9]*}}}]}

// OK: OK kernels

func.func @two_norms(%x: tensor<8x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) -> (tensor<8x96xf32>, tensor<8x96xf32>) {
  %l = dyt.layer_norm %x gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<8x96xf32> -> tensor<8x96xf32>
  %r = dyt.rms_norm %x gamma(%g : tensor<96xf32>) : tensor<8x96xf32> -> tensor<8x96xf32>
  return %l, %r : tensor<8x96xf32>, tensor<8x96xf32>
}
