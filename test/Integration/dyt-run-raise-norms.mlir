// dyt-raise-norms keeps the meaning of torch-mlir's norms: the original IR
// (through dyt-cpu-reference-pipeline) and the raised IR (through the default
// dyt-cpu-pipeline) run on the same seeded random inputs and must agree within
// the tolerance of the element type (compare_npy.py: f32 1e-5, f16 2^-9, bf16
// 2^-6 of max|a|; torch-mlir's bf16 chains round at every step, dyt ops once).
// The RAISED check makes sure the second run really runs a dyt op.
// dyt-run's --random has no special values (inf/nan), so none are tried here.
// REQUIRES: numpy
// RUN: rm -rf %t && mkdir -p %t
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/layernorm_f32_params.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 1 --output %t/layernorm_f32_params.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/layernorm_f32_params.mlir -o %t/layernorm_f32_params.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=layer_norm < %t/layernorm_f32_params.mlir
// RUN: dyt-run %t/layernorm_f32_params.mlir -e main --random --seed 1 --output %t/layernorm_f32_params.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/layernorm_f32_params.a.npy %t/layernorm_f32_params.b.npy --dtype f32 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/layernorm_manual_f32_args.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 2 --output %t/layernorm_manual_f32_args.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/layernorm_manual_f32_args.mlir -o %t/layernorm_manual_f32_args.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=layer_norm < %t/layernorm_manual_f32_args.mlir
// RUN: dyt-run %t/layernorm_manual_f32_args.mlir -e main --random --seed 2 --output %t/layernorm_manual_f32_args.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/layernorm_manual_f32_args.a.npy %t/layernorm_manual_f32_args.b.npy --dtype f32 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/layernorm_eps1e-6_f32_args.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 3 --output %t/layernorm_eps1e-6_f32_args.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/layernorm_eps1e-6_f32_args.mlir -o %t/layernorm_eps1e-6_f32_args.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=layer_norm < %t/layernorm_eps1e-6_f32_args.mlir
// RUN: dyt-run %t/layernorm_eps1e-6_f32_args.mlir -e main --random --seed 3 --output %t/layernorm_eps1e-6_f32_args.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/layernorm_eps1e-6_f32_args.a.npy %t/layernorm_eps1e-6_f32_args.b.npy --dtype f32 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/layernorm_f16_params.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 4 --output %t/layernorm_f16_params.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/layernorm_f16_params.mlir -o %t/layernorm_f16_params.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=layer_norm < %t/layernorm_f16_params.mlir
// RUN: dyt-run %t/layernorm_f16_params.mlir -e main --random --seed 4 --output %t/layernorm_f16_params.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/layernorm_f16_params.a.npy %t/layernorm_f16_params.b.npy --dtype f16 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/layernorm_bf16_args.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 5 --output %t/layernorm_bf16_args.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/layernorm_bf16_args.mlir -o %t/layernorm_bf16_args.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=layer_norm < %t/layernorm_bf16_args.mlir
// RUN: dyt-run %t/layernorm_bf16_args.mlir -e main --random --seed 5 --output %t/layernorm_bf16_args.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/layernorm_bf16_args.a.npy %t/layernorm_bf16_args.b.npy --dtype bf16 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_f32_args.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 6 --output %t/llama_rmsnorm_f32_args.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_f32_args.mlir -o %t/llama_rmsnorm_f32_args.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=rms_norm < %t/llama_rmsnorm_f32_args.mlir
// RUN: dyt-run %t/llama_rmsnorm_f32_args.mlir -e main --random --seed 6 --output %t/llama_rmsnorm_f32_args.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/llama_rmsnorm_f32_args.a.npy %t/llama_rmsnorm_f32_args.b.npy --dtype f32 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_f16_params.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 7 --output %t/llama_rmsnorm_f16_params.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_f16_params.mlir -o %t/llama_rmsnorm_f16_params.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=rms_norm < %t/llama_rmsnorm_f16_params.mlir
// RUN: dyt-run %t/llama_rmsnorm_f16_params.mlir -e main --random --seed 7 --output %t/llama_rmsnorm_f16_params.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/llama_rmsnorm_f16_params.a.npy %t/llama_rmsnorm_f16_params.b.npy --dtype f16 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_bf16_params.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 8 --output %t/llama_rmsnorm_bf16_params.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_bf16_params.mlir -o %t/llama_rmsnorm_bf16_params.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=rms_norm < %t/llama_rmsnorm_bf16_params.mlir
// RUN: dyt-run %t/llama_rmsnorm_bf16_params.mlir -e main --random --seed 8 --output %t/llama_rmsnorm_bf16_params.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/llama_rmsnorm_bf16_params.a.npy %t/llama_rmsnorm_bf16_params.b.npy --dtype bf16 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/torch_rmsnorm_bf16_params.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 9 --output %t/torch_rmsnorm_bf16_params.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/torch_rmsnorm_bf16_params.mlir -o %t/torch_rmsnorm_bf16_params.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=rms_norm < %t/torch_rmsnorm_bf16_params.mlir
// RUN: dyt-run %t/torch_rmsnorm_bf16_params.mlir -e main --random --seed 9 --output %t/torch_rmsnorm_bf16_params.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/torch_rmsnorm_bf16_params.a.npy %t/torch_rmsnorm_bf16_params.b.npy --dtype bf16 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/dyt_f32_args.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 10 --output %t/dyt_f32_args.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/dyt_f32_args.mlir -o %t/dyt_f32_args.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=dyt < %t/dyt_f32_args.mlir
// RUN: dyt-run %t/dyt_f32_args.mlir -e main --random --seed 10 --output %t/dyt_f32_args.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/dyt_f32_args.a.npy %t/dyt_f32_args.b.npy --dtype f32 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/dyt_f16_params.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 11 --output %t/dyt_f16_params.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/dyt_f16_params.mlir -o %t/dyt_f16_params.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=dyt < %t/dyt_f16_params.mlir
// RUN: dyt-run %t/dyt_f16_params.mlir -e main --random --seed 11 --output %t/dyt_f16_params.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/dyt_f16_params.a.npy %t/dyt_f16_params.b.npy --dtype f16 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/dyt_bf16_params.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 12 --output %t/dyt_bf16_params.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/dyt_bf16_params.mlir -o %t/dyt_bf16_params.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=dyt < %t/dyt_bf16_params.mlir
// RUN: dyt-run %t/dyt_bf16_params.mlir -e main --random --seed 12 --output %t/dyt_bf16_params.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/dyt_bf16_params.a.npy %t/dyt_bf16_params.b.npy --dtype bf16 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/layernorm_f32_args.tosa-linalg.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 13 --output %t/layernorm_f32_args.tosa-linalg.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/layernorm_f32_args.tosa-linalg.mlir -o %t/layernorm_f32_args.tosa-linalg.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=layer_norm < %t/layernorm_f32_args.tosa-linalg.mlir
// RUN: dyt-run %t/layernorm_f32_args.tosa-linalg.mlir -e main --random --seed 13 --output %t/layernorm_f32_args.tosa-linalg.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/layernorm_f32_args.tosa-linalg.a.npy %t/layernorm_f32_args.tosa-linalg.b.npy --dtype f32 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_f32_params.tosa-linalg.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 14 --output %t/llama_rmsnorm_f32_params.tosa-linalg.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_f32_params.tosa-linalg.mlir -o %t/llama_rmsnorm_f32_params.tosa-linalg.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=rms_norm < %t/llama_rmsnorm_f32_params.tosa-linalg.mlir
// RUN: dyt-run %t/llama_rmsnorm_f32_params.tosa-linalg.mlir -e main --random --seed 14 --output %t/llama_rmsnorm_f32_params.tosa-linalg.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/llama_rmsnorm_f32_params.tosa-linalg.a.npy %t/llama_rmsnorm_f32_params.tosa-linalg.b.npy --dtype f32 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/dyt_f32_params.tosa-linalg.mlir -e main --pipeline=dyt-cpu-reference-pipeline --random --seed 15 --output %t/dyt_f32_params.tosa-linalg.a.npy
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/../Transforms/Inputs/torch-mlir/dyt_f32_params.tosa-linalg.mlir -o %t/dyt_f32_params.tosa-linalg.mlir
// RUN: FileCheck %s --check-prefix=RAISED -DOP=dyt < %t/dyt_f32_params.tosa-linalg.mlir
// RUN: dyt-run %t/dyt_f32_params.tosa-linalg.mlir -e main --random --seed 15 --output %t/dyt_f32_params.tosa-linalg.b.npy
// RUN: %python %S/Inputs/compare_npy.py %t/dyt_f32_params.tosa-linalg.a.npy %t/dyt_f32_params.tosa-linalg.b.npy --dtype f32 | FileCheck %s --check-prefix=OK

// RAISED-NOT: linalg.generic
// RAISED:     dyt.[[OP]]
// RAISED-NOT: linalg.generic

// OK: OK {{.*}}.a.npy {{.*}}.b.npy: 320 elements, max abs diff
