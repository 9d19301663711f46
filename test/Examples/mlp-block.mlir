// The bundled examples (what scripts/demo.sh shows) keep lowering, and the
// DyT version keeps having no reduction.
// RUN: dyt-opt %S/../../examples/mlp_block_layernorm.mlir --convert-dyt-to-linalg | FileCheck %s --check-prefix=LN
// RUN: dyt-opt %S/../../examples/mlp_block_dyt.mlir --convert-dyt-to-linalg | FileCheck %s --check-prefix=DYT

// LN-LABEL: func @mlp_block
// LN-COUNT-2: "reduction"
// LN:         math.rsqrt
// LN:         linalg.matmul
// LN:         linalg.matmul
// LN-NOT:     dyt.

// DYT-LABEL: func @mlp_block
// DYT-NOT:     "reduction"
// DYT:         math.tanh
// DYT-NOT:     "reduction"
// DYT:         linalg.matmul
// DYT-NOT:     "reduction"
// DYT:         linalg.matmul
// DYT-NOT:     {{"reduction"|dyt\.}}
