// The LLaMA decoder block of examples/: the files are what the generator
// writes, the full-size block lowers completely, and the scaled-down twin
// (7 tokens, width 64, 4 heads, FFN 176) matches a NumPy float64 model of
// the block (test/Examples/Inputs/block_reference.py: causal mask, RoPE,
// SwiGLU) on 1 and 2 threads; so does its DyT version (dyt-replace-norms,
// alpha 0.8 before attention and 0.2 before the FFN; the model uses DyT
// too), with dyt-fuse-matmul and without, and with the alphas passed as
// arguments (values other than their dyt.alpha_init).
// REQUIRES: numpy
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../examples/gen_transformer_blocks.py --all %t
// RUN: diff %t/llama_block.mlir %S/../../examples/llama_block.mlir
// RUN: diff %t/llama_block_small.mlir %S/../../examples/llama_block_small.mlir
// RUN: dyt-opt %S/../../examples/llama_block.mlir --convert-dyt-to-linalg | FileCheck %s --check-prefix=LIN
// RUN: dyt-opt %S/../../examples/llama_block.mlir --dyt-cpu-pipeline | FileCheck %s --check-prefix=LLVM
// RUN: %block_reference --kind llama %S/../../examples/llama_block_small.mlir --tokens 7 --dim 64 --heads 4 --hidden 176 | FileCheck %s
// RUN: %block_reference --kind llama %S/../../examples/llama_block_small.mlir --tokens 7 --dim 64 --heads 4 --hidden 176 --threads 2 --seed 2 | FileCheck %s
// RUN: %block_reference --kind llama %S/../../examples/llama_block_small.mlir --tokens 7 --dim 64 --heads 4 --hidden 176 --replace-norms "alpha-attn=0.8 alpha-ffn=0.2" | FileCheck %s
// RUN: %block_reference --kind llama %S/../../examples/llama_block_small.mlir --tokens 7 --dim 64 --heads 4 --hidden 176 --replace-norms "alpha-attn=0.8 alpha-ffn=0.2" --threads 2 --seed 2 | FileCheck %s
// RUN: %block_reference --kind llama %S/../../examples/llama_block_small.mlir --tokens 7 --dim 64 --heads 4 --hidden 176 --replace-norms "alpha-attn=0.8 alpha-ffn=0.2" --pipeline "dyt-cpu-pipeline{fuse-matmul=false}" | FileCheck %s
// RUN: %block_reference --kind llama %S/../../examples/llama_block_small.mlir --tokens 7 --dim 64 --heads 4 --hidden 176 --replace-norms "alpha-attn=0.8 alpha-ffn=0.2" --pipeline "dyt-cpu-pipeline{fuse-matmul=false parallel=true}" --threads 2 --seed 2 | FileCheck %s
// RUN: %block_reference --kind llama %S/../../examples/llama_block_small.mlir --tokens 7 --dim 64 --heads 4 --hidden 176 --replace-norms "alpha-attn=0.8 alpha-ffn=0.2 alpha-as-argument=true" --alpha-values "alpha-attn=1.3 alpha-ffn=0.05" | FileCheck %s
// RUN: %block_reference --kind llama %S/../../examples/llama_block_small.mlir --tokens 7 --dim 64 --heads 4 --hidden 176 --replace-norms "alpha-attn=0.8 alpha-ffn=0.2 alpha-as-argument=true" --alpha-values "alpha-attn=1.3 alpha-ffn=0.05" --threads 2 --seed 2 | FileCheck %s

// LIN-LABEL: func.func @llama_block
// LIN-NOT:     dyt.
// LIN-COUNT-2: math.rsqrt
// LIN-NOT:     dyt.

// LLVM-NOT:   {{linalg\.|tensor\.|dyt\.|unrealized_conversion_cast}}
// LLVM:       llvm.func @llama_block
// LLVM-NOT:   {{linalg\.|tensor\.|dyt\.|unrealized_conversion_cast}}

// CHECK: OK llama_block: 448 elements, max rel err
