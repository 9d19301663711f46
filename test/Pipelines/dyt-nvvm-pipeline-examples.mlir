// The Transformer blocks of examples/ (attention with softmax, GELU, RoPE,
// SwiGLU, LayerNorm/RMSNorm and their DyT versions) compile through
// dyt-nvvm-pipeline and every kernel assembles; the norms become row
// kernels (shuffles), the rest the mapped elementwise/matmul kernels.
// REQUIRES: ptxas
// RUN: dyt-opt %S/../../examples/vit_block_small.mlir --dyt-nvvm-pipeline | %extract_ptx --ptxas %ptxas | FileCheck %s
// RUN: dyt-opt %S/../../examples/llama_block_small.mlir --dyt-nvvm-pipeline | %extract_ptx --ptxas %ptxas | FileCheck %s
// RUN: dyt-opt %S/../../examples/vit_block_small.mlir --dyt-replace-norms --dyt-nvvm-pipeline | %extract_ptx | FileCheck %s --check-prefix=DYT
// CHECK: ptxas: {{[0-9]+}} modules assembled for sm_90
// After dyt-replace-norms no kernel reduces a norm's row: the only shuffles
// left would be softmax's, which takes upstream's mapping (no shuffles).
// DYT-NOT: shfl.sync
// DYT: .entry
