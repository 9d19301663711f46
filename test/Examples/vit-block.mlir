// The ViT-B/16 encoder block of examples/: the files are what the generator
// writes, the full-size block lowers completely, and the scaled-down twin
// (17 tokens, width 64, 4 heads, MLP 256) matches a NumPy float64 model of
// the block (test/Examples/Inputs/block_reference.py) on 1 and 2 threads;
// so does its DyT version (dyt-replace-norms, alpha 0.5; the model uses
// DyT too), with DyT fused into fc1 (dyt-fuse-matmul) and without, and
// with alphas passed as arguments.
// REQUIRES: numpy
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../examples/gen_transformer_blocks.py --all %t
// RUN: diff %t/vit_b16_block.mlir %S/../../examples/vit_b16_block.mlir
// RUN: diff %t/vit_block_small.mlir %S/../../examples/vit_block_small.mlir
// RUN: dyt-opt %S/../../examples/vit_b16_block.mlir --convert-dyt-to-linalg | FileCheck %s --check-prefix=LIN
// RUN: dyt-opt %S/../../examples/vit_b16_block.mlir --dyt-cpu-pipeline | FileCheck %s --check-prefix=LLVM
// RUN: %block_reference --kind vit %S/../../examples/vit_block_small.mlir --tokens 17 --dim 64 --heads 4 --hidden 256 | FileCheck %s
// RUN: %block_reference --kind vit %S/../../examples/vit_block_small.mlir --tokens 17 --dim 64 --heads 4 --hidden 256 --threads 2 --seed 2 | FileCheck %s
// RUN: %block_reference --kind vit %S/../../examples/vit_block_small.mlir --tokens 17 --dim 64 --heads 4 --hidden 256 --replace-norms "alpha=0.5" | FileCheck %s
// RUN: %block_reference --kind vit %S/../../examples/vit_block_small.mlir --tokens 17 --dim 64 --heads 4 --hidden 256 --replace-norms "alpha=0.5" --threads 2 --seed 2 | FileCheck %s
// RUN: %block_reference --kind vit %S/../../examples/vit_block_small.mlir --tokens 17 --dim 64 --heads 4 --hidden 256 --replace-norms "alpha=0.5" --pipeline "dyt-cpu-pipeline{fuse-matmul=false}" | FileCheck %s
// RUN: %block_reference --kind vit %S/../../examples/vit_block_small.mlir --tokens 17 --dim 64 --heads 4 --hidden 256 --replace-norms "alpha=0.5" --pipeline "dyt-cpu-pipeline{fuse-matmul=false parallel=true}" --threads 2 --seed 2 | FileCheck %s
// RUN: %block_reference --kind vit %S/../../examples/vit_block_small.mlir --tokens 17 --dim 64 --heads 4 --hidden 256 --replace-norms "alpha-as-argument=true" --alpha-values "alpha-attn=0.9 alpha-ffn=0.3" | FileCheck %s

// LIN-LABEL: func.func @vit_block
// LIN-NOT:     dyt.
// LIN-COUNT-2: math.rsqrt
// LIN-NOT:     dyt.

// LLVM-NOT:   {{linalg\.|tensor\.|dyt\.|math\.erf|unrealized_conversion_cast}}
// LLVM:       llvm.func @vit_block
// LLVM-NOT:   {{linalg\.|tensor\.|dyt\.|math\.erf|unrealized_conversion_cast}}

// CHECK: OK vit_block: 1088 elements, max rel err
