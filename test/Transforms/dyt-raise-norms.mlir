// Tests of dyt-raise-norms: LayerNorm, RMSNorm and DyT written out in
// linalg-on-tensors ops are raised to one dyt.layer_norm / dyt.rms_norm /
// dyt.dyt. First the real torch-mlir (and tosa-to-linalg) IR of
// Inputs/torch-mlir/ (see its README.md), then hand-written forms and
// look-alikes in this file.
//
// Positive inputs: after the pass (and canonicalize/cse, which only remove
// the scalar constants the raised bodies captured, and fold the TOSA route's
// expand_shape/collapse_shape pairs), exactly one dyt op is left, on the
// function's arguments or parameter constants, and nothing else of the norm.
// Epsilon is printed only when it differs from the op's default (layer_norm
// 1e-5, rms_norm 1e-6), so a raised 1e-5 LayerNorm and a raised 1e-6 RMSNorm
// print no `epsilon =`.
//
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_f32_args.mlir | FileCheck %s --check-prefix=LN-ARGS -DT=f32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_manual_f32_args.mlir | FileCheck %s --check-prefix=LN-ARGS -DT=f32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_f16_args.mlir | FileCheck %s --check-prefix=LN-ARGS -DT=f16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_bf16_args.mlir | FileCheck %s --check-prefix=LN-ARGS -DT=bf16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_f32_args.tosa-linalg.mlir | FileCheck %s --check-prefix=LN-ARGS -DT=f32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_f32_params.mlir | FileCheck %s --check-prefix=LN-PARAMS -DT=f32 -DTT=float32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_f16_params.mlir | FileCheck %s --check-prefix=LN-PARAMS -DT=f16 -DTT=float16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_bf16_params.mlir | FileCheck %s --check-prefix=LN-PARAMS -DT=bf16 -DTT=bfloat16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_eps1e-6_f32_args.mlir | FileCheck %s --check-prefix=LN-EPS6-ARGS
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_eps1e-6_f32_params.mlir | FileCheck %s --check-prefix=LN-EPS6-PARAMS
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/layernorm_f32_params.tosa-linalg.mlir | FileCheck %s --check-prefix=LN-TOSA-PARAMS
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/llama_rmsnorm_f32_args.mlir | FileCheck %s --check-prefix=RMS-ARGS -DT=f32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/llama_rmsnorm_bf16_args.mlir | FileCheck %s --check-prefix=RMS-ARGS -DT=bf16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/torch_rmsnorm_f32_args.mlir | FileCheck %s --check-prefix=RMS-ARGS -DT=f32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/llama_rmsnorm_f32_args.tosa-linalg.mlir | FileCheck %s --check-prefix=RMS-ARGS -DT=f32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/llama_rmsnorm_f32_params.mlir | FileCheck %s --check-prefix=RMS-PARAMS -DT=f32 -DTT=float32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/llama_rmsnorm_f16_params.mlir | FileCheck %s --check-prefix=RMS-PARAMS -DT=f16 -DTT=float16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/llama_rmsnorm_bf16_params.mlir | FileCheck %s --check-prefix=RMS-PARAMS -DT=bf16 -DTT=bfloat16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/torch_rmsnorm_f32_params.mlir | FileCheck %s --check-prefix=RMS-PARAMS -DT=f32 -DTT=float32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/torch_rmsnorm_bf16_params.mlir | FileCheck %s --check-prefix=RMS-PARAMS -DT=bf16 -DTT=bfloat16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/llama_rmsnorm_f32_params.tosa-linalg.mlir | FileCheck %s --check-prefix=RMS-TOSA-PARAMS
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/dyt_f32_args.mlir | FileCheck %s --check-prefix=DYT-ARGS -DT=f32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/dyt_bf16_args.mlir | FileCheck %s --check-prefix=DYT-ARGS -DT=bf16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/dyt_f32_args.tosa-linalg.mlir | FileCheck %s --check-prefix=DYT-ARGS -DT=f32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/dyt_f32_params.mlir | FileCheck %s --check-prefix=DYT-PARAMS -DT=f32 -DTT=float32
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/dyt_f16_params.mlir | FileCheck %s --check-prefix=DYT-PARAMS -DT=f16 -DTT=float16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/dyt_bf16_params.mlir | FileCheck %s --check-prefix=DYT-PARAMS -DT=bf16 -DTT=bfloat16
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms),canonicalize,cse)' %S/Inputs/torch-mlir/dyt_f32_params.tosa-linalg.mlir | FileCheck %s --check-prefix=DYT-TOSA-PARAMS
//
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/Inputs/torch-mlir/neg_norm_over_dim0.mlir | FileCheck %s --check-prefix=NEG
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/Inputs/torch-mlir/neg_norm_over_middle_dim.mlir | FileCheck %s --check-prefix=NEG
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/Inputs/torch-mlir/neg_layernorm_eps_after_sqrt.mlir | FileCheck %s --check-prefix=NEG
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/Inputs/torch-mlir/neg_layernorm_unbiased_var.mlir | FileCheck %s --check-prefix=NEG
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/Inputs/torch-mlir/neg_rmsnorm_no_eps.mlir | FileCheck %s --check-prefix=NEG
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/Inputs/torch-mlir/neg_dyt_vector_alpha.mlir | FileCheck %s --check-prefix=NEG
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/Inputs/torch-mlir/torch_rmsnorm_epsnone_f32_params.mlir | FileCheck %s --check-prefix=NEG
// RUN: dyt-opt --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %S/Inputs/torch-mlir/neg_layernorm_full_gamma.mlir | FileCheck %s --check-prefix=FULL-GAMMA
//
// RUN: dyt-opt -split-input-file --pass-pipeline='builtin.module(func.func(dyt-raise-norms))' %s | FileCheck %s

// The primitive ops of the norm: none may be left around the raised op.
// LN-ARGS-LABEL: func.func @main(
// LN-ARGS-SAME:    %[[X:[^:]*]]: tensor<2x5x32x[[T]]>, %[[G:[^:]*]]: tensor<32x[[T]]>, %[[B:[^:]*]]: tensor<32x[[T]]>)
// LN-ARGS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// LN-ARGS:       %[[Y:.*]] = dyt.layer_norm %[[X]] gamma(%[[G]] : tensor<32x[[T]]>) beta(%[[B]] : tensor<32x[[T]]>) : tensor<2x5x32x[[T]]> -> tensor<2x5x32x[[T]]>
// LN-ARGS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// LN-ARGS:       return %[[Y]] : tensor<2x5x32x[[T]]>

// nn.LayerNorm's weight is the resource `..._torch.T`, its bias `..._torch.T_1`.
// LN-PARAMS-LABEL: func.func @main(
// LN-PARAMS-SAME:   %[[X:[^:]*]]: tensor<2x5x32x[[T]]>)
// LN-PARAMS-DAG:   %[[B:.*]] = arith.constant dense_resource<torch_tensor_32_torch.[[TT]]_1> : tensor<32x[[T]]>
// LN-PARAMS-DAG:   %[[G:.*]] = arith.constant dense_resource<torch_tensor_32_torch.[[TT]]> : tensor<32x[[T]]>
// LN-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// LN-PARAMS:       %[[Y:.*]] = dyt.layer_norm %[[X]] gamma(%[[G]] : tensor<32x[[T]]>) beta(%[[B]] : tensor<32x[[T]]>) : tensor<2x5x32x[[T]]> -> tensor<2x5x32x[[T]]>
// LN-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// LN-PARAMS:       return %[[Y]]

// eps = 1e-6 (f64 9.9999999999999995E-7 in the IR) is kept, as f32.
// LN-EPS6-ARGS-LABEL: func.func @main(
// LN-EPS6-ARGS-SAME:    %[[X:[^:]*]]: tensor<2x5x32xf32>, %[[G:[^:]*]]: tensor<32xf32>, %[[B:[^:]*]]: tensor<32xf32>)
// LN-EPS6-ARGS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// LN-EPS6-ARGS:       %[[Y:.*]] = dyt.layer_norm %[[X]] gamma(%[[G]] : tensor<32xf32>) beta(%[[B]] : tensor<32xf32>) epsilon = 9.99999997E-7 : tensor<2x5x32xf32> -> tensor<2x5x32xf32>
// LN-EPS6-ARGS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// LN-EPS6-ARGS:       return %[[Y]]

// LN-EPS6-PARAMS-LABEL: func.func @main(
// LN-EPS6-PARAMS-SAME:   %[[X:[^:]*]]: tensor<2x5x32xf32>)
// LN-EPS6-PARAMS-DAG:   %[[B:.*]] = arith.constant dense_resource<torch_tensor_32_torch.float32_1> : tensor<32xf32>
// LN-EPS6-PARAMS-DAG:   %[[G:.*]] = arith.constant dense_resource<torch_tensor_32_torch.float32> : tensor<32xf32>
// LN-EPS6-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// LN-EPS6-PARAMS:       %[[Y:.*]] = dyt.layer_norm %[[X]] gamma(%[[G]] : tensor<32xf32>) beta(%[[B]] : tensor<32xf32>) epsilon = 9.99999997E-7 : tensor<2x5x32xf32> -> tensor<2x5x32xf32>
// LN-EPS6-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// LN-EPS6-PARAMS:       return %[[Y]]

// TOSA route: the tensor<1x1x32> parameters are collapsed to tensor<32>; the
// f32 eps 9.99999974E-6 is the default 1e-5f.
// LN-TOSA-PARAMS-LABEL: func.func @main(
// LN-TOSA-PARAMS-SAME:   %[[X:[^:]*]]: tensor<2x5x32xf32>)
// LN-TOSA-PARAMS-DAG:   %[[GC:.*]] = arith.constant dense_resource<torch_tensor_32_torch.float32> : tensor<1x1x32xf32>
// LN-TOSA-PARAMS-DAG:   %[[BC:.*]] = arith.constant dense_resource<torch_tensor_32_torch.float32_1> : tensor<1x1x32xf32>
// LN-TOSA-PARAMS-DAG:   %[[G:.*]] = tensor.collapse_shape %[[GC]] {{\[\[}}0, 1, 2]] : tensor<1x1x32xf32> into tensor<32xf32>
// LN-TOSA-PARAMS-DAG:   %[[B:.*]] = tensor.collapse_shape %[[BC]] {{\[\[}}0, 1, 2]] : tensor<1x1x32xf32> into tensor<32xf32>
// LN-TOSA-PARAMS-NOT:   {{linalg\.|math\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// LN-TOSA-PARAMS:       %[[Y:.*]] = dyt.layer_norm %[[X]] gamma(%[[G]] : tensor<32xf32>) beta(%[[B]] : tensor<32xf32>) : tensor<2x5x32xf32> -> tensor<2x5x32xf32>
// LN-TOSA-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// LN-TOSA-PARAMS:       return %[[Y]]

// RMSNorm (HF LlamaRMSNorm with fpowi/powf, torch's nn.RMSNorm with x*x):
// eps 1e-6 is rms_norm's default. In f16/bf16 LlamaRMSNorm multiplies by the
// weight after the truncf, torch's bf16 RMSNorm runs all in bf16: both are
// one rms_norm of the 16-bit type.
// RMS-ARGS-LABEL: func.func @main(
// RMS-ARGS-SAME:   %[[X:[^:]*]]: tensor<2x5x32x[[T]]>, %[[G:[^:]*]]: tensor<32x[[T]]>)
// RMS-ARGS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// RMS-ARGS:       %[[Y:.*]] = dyt.rms_norm %[[X]] gamma(%[[G]] : tensor<32x[[T]]>) : tensor<2x5x32x[[T]]> -> tensor<2x5x32x[[T]]>
// RMS-ARGS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// RMS-ARGS:       return %[[Y]]

// RMS-PARAMS-LABEL: func.func @main(
// RMS-PARAMS-SAME:   %[[X:[^:]*]]: tensor<2x5x32x[[T]]>)
// RMS-PARAMS:       %[[G:.*]] = arith.constant dense_resource<torch_tensor_32_torch.[[TT]]> : tensor<32x[[T]]>
// RMS-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// RMS-PARAMS:       %[[Y:.*]] = dyt.rms_norm %[[X]] gamma(%[[G]] : tensor<32x[[T]]>) : tensor<2x5x32x[[T]]> -> tensor<2x5x32x[[T]]>
// RMS-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// RMS-PARAMS:       return %[[Y]]

// RMS-TOSA-PARAMS-LABEL: func.func @main(
// RMS-TOSA-PARAMS-SAME:   %[[X:[^:]*]]: tensor<2x5x32xf32>)
// RMS-TOSA-PARAMS:       %[[GC:.*]] = arith.constant dense_resource<torch_tensor_32_torch.float32> : tensor<1x1x32xf32>
// RMS-TOSA-PARAMS:       %[[G:.*]] = tensor.collapse_shape %[[GC]] {{\[\[}}0, 1, 2]] : tensor<1x1x32xf32> into tensor<32xf32>
// RMS-TOSA-PARAMS-NOT:   {{linalg\.|math\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// RMS-TOSA-PARAMS:       %[[Y:.*]] = dyt.rms_norm %[[X]] gamma(%[[G]] : tensor<32xf32>) : tensor<2x5x32xf32> -> tensor<2x5x32xf32>
// RMS-TOSA-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// RMS-TOSA-PARAMS:       return %[[Y]]

// DyT: alpha is the one-element tensor the module reads through map (0).
// DYT-ARGS-LABEL: func.func @main(
// DYT-ARGS-SAME:    %[[X:[^:]*]]: tensor<2x5x32x[[T]]>, %[[A:[^:]*]]: tensor<1x[[T]]>, %[[G:[^:]*]]: tensor<32x[[T]]>, %[[B:[^:]*]]: tensor<32x[[T]]>)
// DYT-ARGS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// DYT-ARGS:       %[[Y:.*]] = dyt.dyt %[[X]] alpha(%[[A]] : tensor<1x[[T]]>) gamma(%[[G]] : tensor<32x[[T]]>) beta(%[[B]] : tensor<32x[[T]]>) : tensor<2x5x32x[[T]]> -> tensor<2x5x32x[[T]]>
// DYT-ARGS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// DYT-ARGS:       return %[[Y]]

// The dense<5.0e-01> : tensor<1xT> alpha (inline splat) is a constant: the
// dyt's alpha is that value as an f32 scalar.
// DYT-PARAMS-LABEL: func.func @main(
// DYT-PARAMS-SAME:   %[[X:[^:]*]]: tensor<2x5x32x[[T]]>)
// DYT-PARAMS-DAG:   %[[B:.*]] = arith.constant dense_resource<torch_tensor_32_torch.[[TT]]_1> : tensor<32x[[T]]>
// DYT-PARAMS-DAG:   %[[G:.*]] = arith.constant dense_resource<torch_tensor_32_torch.[[TT]]> : tensor<32x[[T]]>
// DYT-PARAMS-DAG:   %[[A:.*]] = arith.constant 5.000000e-01 : f32
// DYT-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// DYT-PARAMS:       %[[Y:.*]] = dyt.dyt %[[X]] alpha(%[[A]] : f32) gamma(%[[G]] : tensor<32x[[T]]>) beta(%[[B]] : tensor<32x[[T]]>) : tensor<2x5x32x[[T]]> -> tensor<2x5x32x[[T]]>
// DYT-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// DYT-PARAMS:       return %[[Y]]

// TOSA route, constant parameters: canonicalize folds the collapsed
// tensor<1x1x1xf32> alpha splat into an f32 scalar.
// DYT-TOSA-PARAMS-LABEL: func.func @main(
// DYT-TOSA-PARAMS-SAME:   %[[X:[^:]*]]: tensor<2x5x32xf32>)
// DYT-TOSA-PARAMS-DAG:   %[[A:.*]] = arith.constant 5.000000e-01 : f32
// DYT-TOSA-PARAMS-DAG:   %[[GC:.*]] = arith.constant dense_resource<torch_tensor_32_torch.float32> : tensor<1x1x32xf32>
// DYT-TOSA-PARAMS-DAG:   %[[BC:.*]] = arith.constant dense_resource<torch_tensor_32_torch.float32_1> : tensor<1x1x32xf32>
// DYT-TOSA-PARAMS-DAG:   %[[G:.*]] = tensor.collapse_shape %[[GC]] {{\[\[}}0, 1, 2]] : tensor<1x1x32xf32> into tensor<32xf32>
// DYT-TOSA-PARAMS-DAG:   %[[B:.*]] = tensor.collapse_shape %[[BC]] {{\[\[}}0, 1, 2]] : tensor<1x1x32xf32> into tensor<32xf32>
// DYT-TOSA-PARAMS-NOT:   {{linalg\.|math\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// DYT-TOSA-PARAMS:       %[[Y:.*]] = dyt.dyt %[[X]] alpha(%[[A]] : f32) gamma(%[[G]] : tensor<32xf32>) beta(%[[B]] : tensor<32xf32>) : tensor<2x5x32xf32> -> tensor<2x5x32xf32>
// DYT-TOSA-PARAMS-NOT:   {{linalg\.|math\.|tensor\.|dyt\.|arith\.(addf|subf|mulf|divf|extf|truncf)}}
// DYT-TOSA-PARAMS:       return %[[Y]]

// Look-alikes from torch-mlir (neg_*.mlir: reductions over dim 0 or the
// middle dim, eps added after the sqrt, unbiased variance (divisor 31), no
// eps in RMSNorm, per-channel DyT alpha) stay as they are: no dyt op.
// torch_rmsnorm_epsnone_f32_params is nn.RMSNorm(32) with eps=None: eager
// PyTorch adds finfo(f32).eps, but torch-mlir drops the epsilon altogether,
// so the IR is an RMSNorm without eps (the same shape as neg_rmsnorm_no_eps)
// and must not become a dyt.rms_norm (whose epsilon must be > 0).
// NEG-LABEL: func.func @main
// NEG-NOT:   dyt.
// NEG:       linalg.generic
// NEG-NOT:   dyt.
// NEG:       return

// neg_layernorm_full_gamma: the affine part multiplies and adds full-shape
// tensors, which are not per-channel. The core is raised as a LayerNorm
// with a splat gamma of 1 and beta of 0; the full-shape mulf/addf stay.
// FULL-GAMMA-LABEL: func.func @main(
// FULL-GAMMA-SAME:    %[[X:[^:]*]]: tensor<2x5x32xf32>, %[[G:[^:]*]]: tensor<2x5x32xf32>, %[[B:[^:]*]]: tensor<2x5x32xf32>)
// FULL-GAMMA-DAG:   %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<32xf32>
// FULL-GAMMA-DAG:   %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<32xf32>
// FULL-GAMMA-NOT:   {{math\.|linalg\.|dyt\.}}
// FULL-GAMMA:       %[[N:.*]] = dyt.layer_norm %[[X]] gamma(%[[ONE]] : tensor<32xf32>) beta(%[[ZERO]] : tensor<32xf32>) : tensor<2x5x32xf32> -> tensor<2x5x32xf32>
// FULL-GAMMA-NOT:   {{math\.|dyt\.}}
// FULL-GAMMA:       %[[M:.*]] = linalg.generic {{.*}} ins(%[[N]], %[[G]] : tensor<2x5x32xf32>, tensor<2x5x32xf32>)
// FULL-GAMMA:         arith.mulf
// FULL-GAMMA:       %[[Y:.*]] = linalg.generic {{.*}} ins(%[[M]], %[[B]] : tensor<2x5x32xf32>, tensor<2x5x32xf32>)
// FULL-GAMMA:         arith.addf
// FULL-GAMMA-NOT:   {{math\.|linalg\.generic|dyt\.}}
// FULL-GAMMA:       return %[[Y]]

//===----------------------------------------------------------------------===//
// Hand-written forms (no canonicalize: the ops of the raised norm must be
// erased by the pass itself; only the scalar constants the bodies captured
// are left).
//===----------------------------------------------------------------------===//

// LayerNorm's statistics and its whole `(x - m) * r * g + b` fused into
// three generics (the variance's reduction recomputes the mean inline).
// CHECK-LABEL: func.func @fused_layer_norm(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x64xf32>, %[[G:[^:]*]]: tensor<64xf32>, %[[B:[^:]*]]: tensor<64xf32>)
// CHECK-NOT:     {{linalg\.|math\.|tensor\.|dyt\.}}
// CHECK:         %[[Y:.*]] = dyt.layer_norm %[[X]] gamma(%[[G]] : tensor<64xf32>) beta(%[[B]] : tensor<64xf32>) : tensor<4x64xf32> -> tensor<4x64xf32>
// CHECK-NOT:     {{linalg\.|math\.|tensor\.|dyt\.}}
// CHECK:         return %[[Y]]

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#ch = affine_map<(d0, d1) -> (d1)>
func.func @fused_layer_norm(%x: tensor<4x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<4x64xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %c = arith.constant 6.400000e+01 : f32
  %eps = arith.constant 1.000000e-05 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x64xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %in, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #row, #row], iterator_types = ["parallel", "reduction"]} ins(%x, %s : tensor<4x64xf32>, tensor<4xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %si: f32, %acc: f32):
    %m = arith.divf %si, %c : f32
    %d = arith.subf %in, %m : f32
    %q = arith.mulf %d, %d : f32
    %r = arith.addf %q, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #row, #ch, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %s, %s2, %g, %b : tensor<4x64xf32>, tensor<4xf32>, tensor<4xf32>, tensor<64xf32>, tensor<64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%in: f32, %si: f32, %s2i: f32, %gi: f32, %bi: f32, %o: f32):
    %m = arith.divf %si, %c : f32
    %v = arith.divf %s2i, %c : f32
    %ve = arith.addf %v, %eps : f32
    %r = math.rsqrt %ve : f32
    %d = arith.subf %in, %m : f32
    %n = arith.mulf %d, %r : f32
    %ng = arith.mulf %n, %gi : f32
    %nb = arith.addf %ng, %bi : f32
    linalg.yield %nb : f32
  } -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// Rank 4, RMSNorm as `x / sqrt(sum(powf(x, 2)) * (1/C) + eps)`, gamma first
// in the product; eps 1e-5 in f32 is not rms_norm's default, so it prints.
// CHECK-LABEL: func.func @rank4_rms_norm_div_sqrt(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x3x4x16xf32>, %[[G:[^:]*]]: tensor<16xf32>)
// CHECK-NOT:     {{linalg\.|math\.|tensor\.|dyt\.}}
// CHECK:         %[[Y:.*]] = dyt.rms_norm %[[X]] gamma(%[[G]] : tensor<16xf32>) epsilon = 9.99999974E-6 : tensor<2x3x4x16xf32> -> tensor<2x3x4x16xf32>
// CHECK-NOT:     {{linalg\.|math\.|tensor\.|dyt\.}}
// CHECK:         return %[[Y]]

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#ch4 = affine_map<(d0, d1, d2, d3) -> (d3)>
#sc4 = affine_map<(d0, d1, d2, d3) -> ()>
func.func @rank4_rms_norm_div_sqrt(%x: tensor<2x3x4x16xf32>, %g: tensor<16xf32>) -> tensor<2x3x4x16xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %two = arith.constant 2.000000e+00 : f32
  %inv = arith.constant 6.250000e-02 : f32
  %eps = arith.constant 1.000000e-05 : f32
  %e1 = tensor.empty() : tensor<2x3x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %s = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x : tensor<2x3x4x16xf32>) outs(%z : tensor<2x3x4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = math.powf %in, %two : f32
    %r = arith.addf %acc, %sq : f32
    linalg.yield %r : f32
  } -> tensor<2x3x4xf32>
  %e = tensor.empty() : tensor<2x3x4x16xf32>
  %y = linalg.generic {indexing_maps = [#id4, #row4, #ch4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %s, %g : tensor<2x3x4x16xf32>, tensor<2x3x4xf32>, tensor<16xf32>) outs(%e : tensor<2x3x4x16xf32>) {
  ^bb0(%in: f32, %si: f32, %gi: f32, %o: f32):
    %ms = arith.mulf %si, %inv : f32
    %ve = arith.addf %eps, %ms : f32
    %sd = math.sqrt %ve : f32
    %n = arith.divf %in, %sd : f32
    %ng = arith.mulf %gi, %n : f32
    linalg.yield %ng : f32
  } -> tensor<2x3x4x16xf32>
  return %y : tensor<2x3x4x16xf32>
}

// -----

// A dynamic leading dim, `(1 / sqrt(v)) * xc`, no affine part: gamma and
// beta are splats of 1 and 0 of the static channel size.
// CHECK-LABEL: func.func @dynamic_layer_norm_one_over_sqrt(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x64xf32>)
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<64xf32>
// CHECK-NOT:     {{linalg\.|math\.|tensor\.|dyt\.}}
// CHECK:         %[[Y:.*]] = dyt.layer_norm %[[X]] gamma(%[[ONE]] : tensor<64xf32>) beta(%[[ZERO]] : tensor<64xf32>) : tensor<?x64xf32> -> tensor<?x64xf32>
// CHECK-NOT:     {{linalg\.|math\.|tensor\.|dyt\.}}
// CHECK:         return %[[Y]]

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
func.func @dynamic_layer_norm_one_over_sqrt(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.000000e+00 : f32
  %one = arith.constant 1.000000e+00 : f32
  %c = arith.constant 6.400000e+01 : f32
  %eps = arith.constant 1.000000e-05 : f32
  %n = tensor.dim %x, %c0 : tensor<?x64xf32>
  %e1 = tensor.empty(%n) : tensor<?x1xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %s = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<?x64xf32>) outs(%z : tensor<?x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %in, %acc : f32
    linalg.yield %r : f32
  } -> tensor<?x1xf32>
  %e = tensor.empty(%n) : tensor<?x64xf32>
  %xc = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %s : tensor<?x64xf32>, tensor<?x1xf32>) outs(%e : tensor<?x64xf32>) {
  ^bb0(%in: f32, %si: f32, %o: f32):
    %m = arith.divf %si, %c : f32
    %d = arith.subf %in, %m : f32
    linalg.yield %d : f32
  } -> tensor<?x64xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%xc : tensor<?x64xf32>) outs(%z : tensor<?x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %q = arith.mulf %in, %in : f32
    %r = arith.addf %q, %acc : f32
    linalg.yield %r : f32
  } -> tensor<?x1xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%xc, %s2 : tensor<?x64xf32>, tensor<?x1xf32>) outs(%e : tensor<?x64xf32>) {
  ^bb0(%in: f32, %vi: f32, %o: f32):
    %v = arith.divf %vi, %c : f32
    %ve = arith.addf %v, %eps : f32
    %sd = math.sqrt %ve : f32
    %r = arith.divf %one, %sd : f32
    %nn = arith.mulf %r, %in : f32
    linalg.yield %nn : f32
  } -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

// DyT with an f32 scalar alpha captured by the body (computed outside the
// generic), on bf16 with the math in f32 between extf/truncf.
// CHECK-LABEL: func.func @dyt_extracted_scalar_alpha(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x64xbf16>, %[[AT:[^:]*]]: tensor<f32>, %[[G:[^:]*]]: tensor<64xbf16>, %[[B:[^:]*]]: tensor<64xbf16>)
// CHECK:         %[[A:.*]] = tensor.extract %[[AT]][] : tensor<f32>
// CHECK-NOT:     {{linalg\.|math\.|dyt\.|arith\.}}
// CHECK:         %[[Y:.*]] = dyt.dyt %[[X]] alpha(%[[A]] : f32) gamma(%[[G]] : tensor<64xbf16>) beta(%[[B]] : tensor<64xbf16>) : tensor<4x64xbf16> -> tensor<4x64xbf16>
// CHECK-NOT:     {{linalg\.|math\.|dyt\.|arith\.}}
// CHECK:         return %[[Y]]

#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
func.func @dyt_extracted_scalar_alpha(%x: tensor<4x64xbf16>, %a: tensor<f32>, %g: tensor<64xbf16>, %b: tensor<64xbf16>) -> tensor<4x64xbf16> {
  %alpha = tensor.extract %a[] : tensor<f32>
  %e = tensor.empty() : tensor<4x64xbf16>
  %y = linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %g, %b : tensor<4x64xbf16>, tensor<64xbf16>, tensor<64xbf16>) outs(%e : tensor<4x64xbf16>) {
  ^bb0(%xi: bf16, %gi: bf16, %bi: bf16, %o: bf16):
    %x32 = arith.extf %xi : bf16 to f32
    %ax = arith.mulf %x32, %alpha : f32
    %t = math.tanh %ax : f32
    %g32 = arith.extf %gi : bf16 to f32
    %b32 = arith.extf %bi : bf16 to f32
    %tg = arith.mulf %g32, %t : f32
    %r = arith.addf %b32, %tg : f32
    %r16 = arith.truncf %r : f32 to bf16
    linalg.yield %r16 : bf16
  } -> tensor<4x64xbf16>
  return %y : tensor<4x64xbf16>
}

// -----

// RMSNorm whose mean divides by 63, not C = 64: left alone.
// CHECK-LABEL: func.func @wrong_divisor(
// CHECK-NOT:     dyt.
// CHECK:         linalg.generic
// CHECK-NOT:     dyt.
// CHECK:         return

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#ch = affine_map<(d0, d1) -> (d1)>
func.func @wrong_divisor(%x: tensor<4x64xf32>, %g: tensor<64xf32>) -> tensor<4x64xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %c = arith.constant 6.300000e+01 : f32
  %eps = arith.constant 1.000000e-06 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x64xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %q = arith.mulf %in, %in : f32
    %r = arith.addf %q, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %s, %g : tensor<4x64xf32>, tensor<4xf32>, tensor<64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%in: f32, %si: f32, %gi: f32, %o: f32):
    %m = arith.divf %si, %c : f32
    %ve = arith.addf %m, %eps : f32
    %r = math.rsqrt %ve : f32
    %n = arith.mulf %in, %r : f32
    %ng = arith.mulf %n, %gi : f32
    linalg.yield %ng : f32
  } -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// The sum runs over dim 0 (x read transposed): left alone.
// CHECK-LABEL: func.func @reduction_over_dim0(
// CHECK-NOT:     dyt.
// CHECK:         linalg.generic
// CHECK-NOT:     dyt.
// CHECK:         return

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
#ch = affine_map<(d0, d1) -> (d1)>
func.func @reduction_over_dim0(%x: tensor<64x64xf32>, %g: tensor<64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %c = arith.constant 6.400000e+01 : f32
  %eps = arith.constant 1.000000e-06 : f32
  %e1 = tensor.empty() : tensor<64xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<64x64xf32>) outs(%z : tensor<64xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %q = arith.mulf %in, %in : f32
    %r = arith.addf %q, %acc : f32
    linalg.yield %r : f32
  } -> tensor<64xf32>
  %e = tensor.empty() : tensor<64x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #col, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %s, %g : tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%in: f32, %si: f32, %gi: f32, %o: f32):
    %m = arith.divf %si, %c : f32
    %ve = arith.addf %m, %eps : f32
    %r = math.rsqrt %ve : f32
    %n = arith.mulf %in, %r : f32
    %ng = arith.mulf %n, %gi : f32
    linalg.yield %ng : f32
  } -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}

// -----

// DyT whose alpha varies per channel: left alone.
// CHECK-LABEL: func.func @per_channel_alpha(
// CHECK-NOT:     dyt.
// CHECK:         linalg.generic
// CHECK-NOT:     dyt.
// CHECK:         return

#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
func.func @per_channel_alpha(%x: tensor<4x64xf32>, %a: tensor<64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<4x64xf32> {
  %e = tensor.empty() : tensor<4x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #ch, #ch, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %a, %g, %b : tensor<4x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%xi: f32, %ai: f32, %gi: f32, %bi: f32, %o: f32):
    %ax = arith.mulf %ai, %xi : f32
    %t = math.tanh %ax : f32
    %tg = arith.mulf %t, %gi : f32
    %r = arith.addf %tg, %bi : f32
    linalg.yield %r : f32
  } -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// tanh(alpha * x) without gamma is too common to be a DyT: left alone.
// CHECK-LABEL: func.func @bare_tanh(
// CHECK-NOT:     dyt.
// CHECK:         linalg.generic
// CHECK-NOT:     dyt.
// CHECK:         return

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @bare_tanh(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %alpha = arith.constant 5.000000e-01 : f32
  %e = tensor.empty() : tensor<4x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%xi: f32, %o: f32):
    %ax = arith.mulf %alpha, %xi : f32
    %t = math.tanh %ax : f32
    linalg.yield %t : f32
  } -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// GELU's tanh approximation: left alone.
// CHECK-LABEL: func.func @gelu_tanh(
// CHECK-NOT:     dyt.
// CHECK:         linalg.generic
// CHECK-NOT:     dyt.
// CHECK:         return

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @gelu_tanh(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %half = arith.constant 5.000000e-01 : f32
  %one = arith.constant 1.000000e+00 : f32
  %k = arith.constant 0.797884583 : f32
  %c = arith.constant 4.471500e-02 : f32
  %e = tensor.empty() : tensor<4x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%xi: f32, %o: f32):
    %x2 = arith.mulf %xi, %xi : f32
    %x3 = arith.mulf %x2, %xi : f32
    %cx3 = arith.mulf %c, %x3 : f32
    %in = arith.addf %xi, %cx3 : f32
    %kin = arith.mulf %k, %in : f32
    %t = math.tanh %kin : f32
    %t1 = arith.addf %one, %t : f32
    %hx = arith.mulf %half, %xi : f32
    %r = arith.mulf %hx, %t1 : f32
    linalg.yield %r : f32
  } -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// The mean is also a result of the function. The LayerNorm (no affine
// part) is raised; the ops that compute the mean are kept for the other
// user (its sum and divide), the rest of the norm is erased.
// CHECK-LABEL: func.func @mean_used_elsewhere(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x64xf32>)
// CHECK:         %[[FILL:.*]] = linalg.fill
// CHECK:         %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x64xf32>) outs(%[[FILL]] : tensor<4xf32>)
// CHECK:         %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<4xf32>)
// CHECK:           arith.divf
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<64xf32>
// CHECK-NOT:     {{linalg\.|math\.}}
// CHECK:         %[[Y:.*]] = dyt.layer_norm %[[X]] gamma(%[[ONE]] : tensor<64xf32>) beta(%[[ZERO]] : tensor<64xf32>) : tensor<4x64xf32> -> tensor<4x64xf32>
// CHECK-NOT:     {{linalg\.|math\.}}
// CHECK:         return %[[Y]], %[[MEAN]] : tensor<4x64xf32>, tensor<4xf32>

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @mean_used_elsewhere(%x: tensor<4x64xf32>) -> (tensor<4x64xf32>, tensor<4xf32>) {
  %zero = arith.constant 0.000000e+00 : f32
  %c = arith.constant 6.400000e+01 : f32
  %eps = arith.constant 1.000000e-05 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x64xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %in, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %mean = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%s : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %m = arith.divf %in, %c : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x64xf32>
  %xc = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %mean : tensor<4x64xf32>, tensor<4xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%in: f32, %mi: f32, %o: f32):
    %d = arith.subf %in, %mi : f32
    linalg.yield %d : f32
  } -> tensor<4x64xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%xc : tensor<4x64xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %q = arith.mulf %in, %in : f32
    %r = arith.addf %q, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%xc, %s2 : tensor<4x64xf32>, tensor<4xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%in: f32, %vi: f32, %o: f32):
    %v = arith.divf %vi, %c : f32
    %ve = arith.addf %v, %eps : f32
    %r = math.rsqrt %ve : f32
    %n = arith.mulf %in, %r : f32
    linalg.yield %n : f32
  } -> tensor<4x64xf32>
  return %y, %mean : tensor<4x64xf32>, tensor<4xf32>
}

// -----

// RMSNorm has no beta: a per-channel add after it is not absorbed. The
// RMSNorm under it is raised; the add stays.
// CHECK-LABEL: func.func @rms_norm_with_beta(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x64xf32>, %[[G:[^:]*]]: tensor<64xf32>, %[[B:[^:]*]]: tensor<64xf32>)
// CHECK-NOT:     {{linalg\.|math\.}}
// CHECK:         %[[N:.*]] = dyt.rms_norm %[[X]] gamma(%[[G]] : tensor<64xf32>) : tensor<4x64xf32> -> tensor<4x64xf32>
// CHECK:         %[[Y:.*]] = linalg.generic {{.*}} ins(%[[N]], %[[B]] : tensor<4x64xf32>, tensor<64xf32>)
// CHECK:           arith.addf
// CHECK-NOT:     {{linalg\.generic|math\.|dyt\.}}
// CHECK:         return %[[Y]]

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#ch = affine_map<(d0, d1) -> (d1)>
func.func @rms_norm_with_beta(%x: tensor<4x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<4x64xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %c = arith.constant 6.400000e+01 : f32
  %eps = arith.constant 1.000000e-06 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x64xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %q = arith.mulf %in, %in : f32
    %r = arith.addf %q, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x64xf32>
  %h = linalg.generic {indexing_maps = [#id, #row, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %s, %g : tensor<4x64xf32>, tensor<4xf32>, tensor<64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%in: f32, %si: f32, %gi: f32, %o: f32):
    %m = arith.divf %si, %c : f32
    %ve = arith.addf %m, %eps : f32
    %r = math.rsqrt %ve : f32
    %n = arith.mulf %in, %r : f32
    %ng = arith.mulf %n, %gi : f32
    linalg.yield %ng : f32
  } -> tensor<4x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%h, %b : tensor<4x64xf32>, tensor<64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%in: f32, %bi: f32, %o: f32):
    %r = arith.addf %in, %bi : f32
    linalg.yield %r : f32
  } -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// Regression: a DyT whose alpha is an f32 function argument captured by
// the generic's body (a value from outside the body is uniform).
// CHECK-LABEL: func.func @dyt_scalar_arg_alpha(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x64xf32>, %[[A:[^:]*]]: f32, %[[G:[^:]*]]: tensor<64xf32>, %[[B:[^:]*]]: tensor<64xf32>)
// CHECK:         %[[Y:.*]] = dyt.dyt %[[X]] alpha(%[[A]] : f32) gamma(%[[G]] : tensor<64xf32>) beta(%[[B]] : tensor<64xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[Y]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
func.func @dyt_scalar_arg_alpha(%x: tensor<4x64xf32>, %a: f32, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<4x64xf32> {
  %e = tensor.empty() : tensor<4x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %g, %b : tensor<4x64xf32>, tensor<64xf32>, tensor<64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%xi: f32, %gi: f32, %bi: f32, %o: f32):
    %ax = arith.mulf %a, %xi : f32
    %t = math.tanh %ax : f32
    %tg = arith.mulf %t, %gi : f32
    %r = arith.addf %tg, %bi : f32
    linalg.yield %r : f32
  } -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// Regression: an f64 scalar alpha argument (truncf'd to f32 in the body)
// becomes an f32 alpha through arith.truncf.
// CHECK-LABEL: func.func @dyt_f64_alpha(
// CHECK-SAME:    %[[A64:[^:]*]]: f64
// CHECK:         %[[A:.*]] = arith.truncf %[[A64]] : f64 to f32
// CHECK:         dyt.dyt %{{.*}} alpha(%[[A]] : f32)
#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
func.func @dyt_f64_alpha(%x: tensor<4x64xf32>, %a: f64, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<4x64xf32> {
  %e = tensor.empty() : tensor<4x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %g, %b : tensor<4x64xf32>, tensor<64xf32>, tensor<64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%xi: f32, %gi: f32, %bi: f32, %o: f32):
    %a32 = arith.truncf %a : f64 to f32
    %ax = arith.mulf %a32, %xi : f32
    %t = math.tanh %ax : f32
    %tg = arith.mulf %t, %gi : f32
    %r = arith.addf %tg, %bi : f32
    linalg.yield %r : f32
  } -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// Channels-first DyT (NCHW, as ConvNeXt writes it: weight[:, None, None]):
// gamma and beta vary along dim 1 only, read from Cx1x1 tensors, which are
// collapsed to 1-d; the dyt op gets axis = 1.
// CHECK-LABEL: func.func @dyt_nchw(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x8x5x5xf32>, %[[A:[^:]*]]: tensor<1xf32>, %[[G:[^:]*]]: tensor<8x1x1xf32>, %[[B:[^:]*]]: tensor<8x1x1xf32>)
// CHECK-DAG:     %[[G1:.*]] = tensor.collapse_shape %[[G]] {{\[}}[0, 1, 2]] : tensor<8x1x1xf32> into tensor<8xf32>
// CHECK-DAG:     %[[B1:.*]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1, 2]] : tensor<8x1x1xf32> into tensor<8xf32>
// CHECK:         %[[Y:.*]] = dyt.dyt %[[X]] alpha(%[[A]] : tensor<1xf32>) gamma(%[[G1]] : tensor<8xf32>) beta(%[[B1]] : tensor<8xf32>) axis = 1
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[Y]]
#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#alpha = affine_map<(d0, d1, d2, d3) -> (0)>
#chan = affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>
func.func @dyt_nchw(%x: tensor<2x8x5x5xf32>, %a: tensor<1xf32>, %g: tensor<8x1x1xf32>, %b: tensor<8x1x1xf32>) -> tensor<2x8x5x5xf32> {
  %e = tensor.empty() : tensor<2x8x5x5xf32>
  %y = linalg.generic {indexing_maps = [#nchw, #alpha, #chan, #chan, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %a, %g, %b : tensor<2x8x5x5xf32>, tensor<1xf32>, tensor<8x1x1xf32>, tensor<8x1x1xf32>) outs(%e : tensor<2x8x5x5xf32>) {
  ^bb0(%xi: f32, %ai: f32, %gi: f32, %bi: f32, %o: f32):
    %ax = arith.mulf %ai, %xi : f32
    %t = math.tanh %ax : f32
    %tg = arith.mulf %t, %gi : f32
    %r = arith.addf %tg, %bi : f32
    linalg.yield %r : f32
  } -> tensor<2x8x5x5xf32>
  return %y : tensor<2x8x5x5xf32>
}

// -----

// gamma along dim 1 and beta along dim 2 are not one DyT's parameters.
// CHECK-LABEL: func.func @dyt_mixed_channel_dims(
// CHECK-NOT:     dyt.dyt
// CHECK:         linalg.generic
#g1 = affine_map<(d0, d1, d2, d3) -> (d1)>
#b2 = affine_map<(d0, d1, d2, d3) -> (d2)>
#nchw2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @dyt_mixed_channel_dims(%x: tensor<2x8x8x5xf32>, %a: f32, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x8x8x5xf32> {
  %e = tensor.empty() : tensor<2x8x8x5xf32>
  %y = linalg.generic {indexing_maps = [#nchw2, #g1, #b2, #nchw2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %g, %b : tensor<2x8x8x5xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<2x8x8x5xf32>) {
  ^bb0(%xi: f32, %gi: f32, %bi: f32, %o: f32):
    %ax = arith.mulf %a, %xi : f32
    %t = math.tanh %ax : f32
    %tg = arith.mulf %t, %gi : f32
    %r = arith.addf %tg, %bi : f32
    linalg.yield %r : f32
  } -> tensor<2x8x8x5xf32>
  return %y : tensor<2x8x8x5xf32>
}

// -----

// Regression: an f32 LayerNorm whose result is then rounded to bf16
// (`.to(torch.bfloat16)` after the norm) is normalised in f32 and the result
// rounded, not computed on rounded inputs.
// CHECK-LABEL: func.func @layer_norm_then_bf16(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x32xf32>, %[[G:[^:]*]]: tensor<32xf32>, %[[B:[^:]*]]: tensor<32xf32>)
// CHECK:         %[[N:.*]] = dyt.layer_norm %[[X]] gamma(%[[G]] : tensor<32xf32>) beta(%[[B]] : tensor<32xf32>) : tensor<4x32xf32> -> tensor<4x32xf32>
// CHECK:         %[[R:.*]] = arith.truncf %[[N]] : tensor<4x32xf32> to tensor<4x32xbf16>
// CHECK:         return %[[R]]
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
#c2 = affine_map<(d0, d1) -> (d1)>
func.func @layer_norm_then_bf16(%x: tensor<4x32xf32>, %g: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<4x32xbf16> {
  %zero = arith.constant 0.0 : f32
  %c = arith.constant 32.0 : f32
  %eps = arith.constant 1.0e-05 : f32
  %e1 = tensor.empty() : tensor<4x1xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %s = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x32xf32>) outs(%z : tensor<4x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<4x1xf32>
  %e = tensor.empty() : tensor<4x32xf32>
  %xc = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%x, %s : tensor<4x32xf32>, tensor<4x1xf32>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%in: f32, %sum: f32, %o: f32):
    %m = arith.divf %sum, %c : f32
    %d = arith.subf %in, %m : f32
    linalg.yield %d : f32
  } -> tensor<4x32xf32>
  %v = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%xc : tensor<4x32xf32>) outs(%z : tensor<4x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %a = arith.addf %sq, %acc : f32
    linalg.yield %a : f32
  } -> tensor<4x1xf32>
  %eb = tensor.empty() : tensor<4x32xbf16>
  %y = linalg.generic {indexing_maps = [#id2, #row, #c2, #c2, #id2], iterator_types = ["parallel", "parallel"]} ins(%xc, %v, %g, %b : tensor<4x32xf32>, tensor<4x1xf32>, tensor<32xf32>, tensor<32xf32>) outs(%eb : tensor<4x32xbf16>) {
  ^bb0(%in: f32, %var: f32, %gi: f32, %bi: f32, %o: bf16):
    %mv = arith.divf %var, %c : f32
    %ve = arith.addf %mv, %eps : f32
    %r = math.rsqrt %ve : f32
    %n = arith.mulf %in, %r : f32
    %ng = arith.mulf %n, %gi : f32
    %nb = arith.addf %ng, %bi : f32
    %t = arith.truncf %nb : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<4x32xbf16>
  return %y : tensor<4x32xbf16>
}

// -----

// Regression: gamma read reversed (gamma[7 - c]) varies along the channel
// but is not gamma[c]: not raised.
// CHECK-LABEL: func.func @dyt_reversed_gamma(
// CHECK-NOT:     dyt.dyt
#idr = affine_map<(d0, d1) -> (d0, d1)>
#rev = affine_map<(d0, d1) -> (7 - d1)>
#chr = affine_map<(d0, d1) -> (d1)>
func.func @dyt_reversed_gamma(%x: tensor<4x8xf32>, %a: f32, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#idr, #rev, #chr, #idr], iterator_types = ["parallel", "parallel"]} ins(%x, %g, %b : tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%xi: f32, %gi: f32, %bi: f32, %o: f32):
    %ax = arith.mulf %a, %xi : f32
    %t = math.tanh %ax : f32
    %tg = arith.mulf %t, %gi : f32
    %r = arith.addf %tg, %bi : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Regression: a 0-d alpha tensor (nn.Parameter(torch.tensor(0.5))) is used
// as it is.
// CHECK-LABEL: func.func @dyt_0d_alpha(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x8xf32>, %[[A:[^:]*]]: tensor<f32>
// CHECK:         dyt.dyt %[[X]] alpha(%[[A]] : tensor<f32>)
#id0 = affine_map<(d0, d1) -> (d0, d1)>
#sc0 = affine_map<(d0, d1) -> ()>
#ch0 = affine_map<(d0, d1) -> (d1)>
func.func @dyt_0d_alpha(%x: tensor<4x8xf32>, %a: tensor<f32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#id0, #sc0, #ch0, #ch0, #id0], iterator_types = ["parallel", "parallel"]} ins(%x, %a, %g, %b : tensor<4x8xf32>, tensor<f32>, tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%xi: f32, %ai: f32, %gi: f32, %bi: f32, %o: f32):
    %ax = arith.mulf %ai, %xi : f32
    %t = math.tanh %ax : f32
    %tg = arith.mulf %t, %gi : f32
    %r = arith.addf %tg, %bi : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Regression: ops nested in an erased dead op (an unused scf.if feeding the
// raised generic) are not visited afterwards.
// CHECK-LABEL: func.func @dead_region_input(
// CHECK-NOT:     scf.if
// CHECK:         dyt.dyt
#idu = affine_map<(d0, d1) -> (d0, d1)>
#chu = affine_map<(d0, d1) -> (d1)>
func.func @dead_region_input(%x: tensor<4x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, %a: f32, %c: i1, %z: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %j = scf.if %c -> tensor<4x8xf32> {
    %q = arith.addf %z, %z : tensor<4x8xf32>
    %q2 = arith.mulf %q, %q : tensor<4x8xf32>
    scf.yield %q2 : tensor<4x8xf32>
  } else {
    scf.yield %z : tensor<4x8xf32>
  }
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#idu, #chu, #chu, #idu, #idu], iterator_types = ["parallel", "parallel"]}
      ins(%x, %g, %b, %j : tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%xi: f32, %gi: f32, %bi: f32, %ji: f32, %o: f32):
    %m = arith.mulf %a, %xi : f32
    %t = math.tanh %m : f32
    %s = arith.mulf %t, %gi : f32
    %y = arith.addf %s, %bi : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
