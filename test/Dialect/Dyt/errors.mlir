// Every ill-formed case the verifiers reject, with the message naming the
// operand and the sizes/types involved.
// RUN: dyt-opt %s -split-input-file -verify-diagnostics

func.func @dyt_gamma_size(%x: tensor<2x64x7x7xf32>, %a: f32, %g: tensor<32xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{'dyt.dyt' op gamma size 32 must match the input's channel dim (dim 1 of 'tensor<2x64x7x7xf32>') of size 64}}
  %y = "dyt.dyt"(%x, %a, %g, %b) <{axis = 1 : i64}> : (tensor<2x64x7x7xf32>, f32, tensor<32xf32>, tensor<64xf32>) -> tensor<2x64x7x7xf32>
  return
}

// -----

func.func @dyt_beta_size(%x: tensor<4x16xf32>, %a: f32, %g: tensor<16xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{beta size 4 must match the input's channel dim (dim 1 of 'tensor<4x16xf32>') of size 16}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<16xf32>) beta(%b : tensor<4xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  return
}

// -----

func.func @dyt_gamma_rank(%x: tensor<4x16xf32>, %a: f32, %g: tensor<4x16xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{gamma must be a 1-d tensor, got 'tensor<4x16xf32>'}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<4x16xf32>) beta(%b : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  return
}

// -----

func.func @dyt_beta_not_tensor(%x: tensor<4x16xf32>, %a: f32, %g: tensor<16xf32>) {
  // expected-error @+1 {{beta must be a 1-d tensor, got 'f32'}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<16xf32>) beta(%a : f32) : tensor<4x16xf32> -> tensor<4x16xf32>
  return
}

// -----

func.func @dyt_gamma_element_type(%x: tensor<4x16xf32>, %a: f32, %g: tensor<16xf16>, %b: tensor<16xf32>) {
  // expected-error @+1 {{gamma element type 'f16' must match the input element type 'f32'}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<16xf16>) beta(%b : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  return
}

// -----

func.func @dyt_integer_input(%x: tensor<4x16xi32>, %a: f32, %g: tensor<16xi32>) {
  // expected-error @+1 {{input element type must be f32, f16 or bf16, got 'i32' (input type 'tensor<4x16xi32>')}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<16xi32>) beta(%g : tensor<16xi32>) : tensor<4x16xi32> -> tensor<4x16xi32>
  return
}

// -----

func.func @dyt_f64_input(%x: tensor<4xf64>, %a: f32, %g: tensor<4xf64>) {
  // expected-error @+1 {{input element type must be f32, f16 or bf16, got 'f64'}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<4xf64>) beta(%g : tensor<4xf64>) : tensor<4xf64> -> tensor<4xf64>
  return
}

// -----

func.func @dyt_unranked_input(%x: tensor<*xf32>, %a: f32, %g: tensor<4xf32>) {
  // expected-error @+1 {{input must be a ranked tensor, got unranked 'tensor<*xf32>'}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<4xf32>) beta(%g : tensor<4xf32>) : tensor<*xf32> -> tensor<*xf32>
  return
}

// -----

func.func @dyt_0d_input(%x: tensor<f32>, %a: f32, %g: tensor<1xf32>) {
  // expected-error @+1 {{input must have rank >= 1, got 0-d 'tensor<f32>'}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<1xf32>) beta(%g : tensor<1xf32>) : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @dyt_scalar_input(%x: f32, %a: f32, %g: tensor<1xf32>) {
  // expected-error @+1 {{input must be a ranked tensor of f32, f16 or bf16, got 'f32'}}
  %y = "dyt.dyt"(%x, %a, %g, %g) : (f32, f32, tensor<1xf32>, tensor<1xf32>) -> f32
  return
}

// -----

func.func @dyt_result_type(%x: tensor<4x16xf32>, %a: f32, %g: tensor<16xf32>) {
  // expected-error @+1 {{result type 'tensor<4x16xf16>' must be the input type 'tensor<4x16xf32>'}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<16xf32>) beta(%g : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf16>
  return
}

// -----

func.func @dyt_result_shape(%x: tensor<?x16xf32>, %a: f32, %g: tensor<16xf32>) {
  // expected-error @+1 {{result type 'tensor<4x16xf32>' must be the input type 'tensor<?x16xf32>'}}
  %y = "dyt.dyt"(%x, %a, %g, %g) : (tensor<?x16xf32>, f32, tensor<16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @dyt_axis_too_large(%x: tensor<2x64x7x7xf32>, %a: f32, %g: tensor<64xf32>) {
  // expected-error @+1 {{axis 4 is out of range for an input of rank 4 (expected -4 <= axis < 4)}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<64xf32>) beta(%g : tensor<64xf32>) axis = 4 : tensor<2x64x7x7xf32> -> tensor<2x64x7x7xf32>
  return
}

// -----

func.func @dyt_axis_too_small(%x: tensor<3x5xf32>, %a: f32, %g: tensor<5xf32>) {
  // expected-error @+1 {{axis -3 is out of range for an input of rank 2 (expected -2 <= axis < 2)}}
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<5xf32>) beta(%g : tensor<5xf32>) axis = -3 : tensor<3x5xf32> -> tensor<3x5xf32>
  return
}

// -----

func.func @dyt_alpha_two_elements(%x: tensor<3x5xf32>, %a: tensor<2xf32>, %g: tensor<5xf32>) {
  // expected-error @+1 {{alpha must be a scalar or a tensor with exactly one element (0-d or 1-d of size 1), got 'tensor<2xf32>'}}
  %y = dyt.dyt %x alpha(%a : tensor<2xf32>) gamma(%g : tensor<5xf32>) beta(%g : tensor<5xf32>) : tensor<3x5xf32> -> tensor<3x5xf32>
  return
}

// -----

func.func @dyt_alpha_dynamic(%x: tensor<3x5xf32>, %a: tensor<?xf32>, %g: tensor<5xf32>) {
  // expected-error @+1 {{alpha must be a scalar or a tensor with exactly one element (0-d or 1-d of size 1), got 'tensor<?xf32>'}}
  %y = dyt.dyt %x alpha(%a : tensor<?xf32>) gamma(%g : tensor<5xf32>) beta(%g : tensor<5xf32>) : tensor<3x5xf32> -> tensor<3x5xf32>
  return
}

// -----

func.func @dyt_alpha_integer(%x: tensor<3x5xf32>, %a: i32, %g: tensor<5xf32>) {
  // expected-error @+1 {{alpha must be a float scalar or a 0-d or 1-element 1-d tensor, got 'i32'}}
  %y = dyt.dyt %x alpha(%a : i32) gamma(%g : tensor<5xf32>) beta(%g : tensor<5xf32>) : tensor<3x5xf32> -> tensor<3x5xf32>
  return
}

// -----

func.func @dyt_alpha_element_type(%x: tensor<3x5xf16>, %a: bf16, %g: tensor<5xf16>) {
  // expected-error @+1 {{alpha element type must be f32 or the input element type 'f16', got 'bf16'}}
  %y = dyt.dyt %x alpha(%a : bf16) gamma(%g : tensor<5xf16>) beta(%g : tensor<5xf16>) : tensor<3x5xf16> -> tensor<3x5xf16>
  return
}

// -----

func.func @dyt_custom_form_missing_keyword(%x: tensor<3x5xf32>, %a: f32, %g: tensor<5xf32>) {
  // expected-error @+1 {{expected 'gamma'}}
  %y = dyt.dyt %x alpha(%a : f32) beta(%g : tensor<5xf32>) : tensor<3x5xf32> -> tensor<3x5xf32>
  return
}

// -----

func.func @layer_norm_epsilon_zero(%x: tensor<3x5xf32>, %g: tensor<5xf32>) {
  // expected-error @+1 {{'dyt.layer_norm' op epsilon must be a finite value > 0, got 0}}
  %y = dyt.layer_norm %x gamma(%g : tensor<5xf32>) beta(%g : tensor<5xf32>) epsilon = 0.0 : tensor<3x5xf32> -> tensor<3x5xf32>
  return
}

// -----

func.func @layer_norm_epsilon_negative(%x: tensor<3x5xf32>, %g: tensor<5xf32>) {
  // expected-error @+1 {{epsilon must be a finite value > 0, got -9.99999974E-6}}
  %y = "dyt.layer_norm"(%x, %g, %g) <{epsilon = -1.0e-5 : f32}> : (tensor<3x5xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @layer_norm_epsilon_nan(%x: tensor<3x5xf32>, %g: tensor<5xf32>) {
  // expected-error @+1 {{epsilon must be a finite value > 0, got NaN}}
  %y = "dyt.layer_norm"(%x, %g, %g) <{epsilon = 0x7FC00000 : f32}> : (tensor<3x5xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @layer_norm_gamma_size(%x: tensor<3x5xf32>, %g: tensor<3xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{'dyt.layer_norm' op gamma size 3 must match the input's last dim (dim 1 of 'tensor<3x5xf32>') of size 5}}
  %y = dyt.layer_norm %x gamma(%g : tensor<3xf32>) beta(%b : tensor<5xf32>) : tensor<3x5xf32> -> tensor<3x5xf32>
  return
}

// -----

func.func @layer_norm_beta_element_type(%x: tensor<3x5xbf16>, %g: tensor<5xbf16>, %b: tensor<5xf32>) {
  // expected-error @+1 {{beta element type 'f32' must match the input element type 'bf16'}}
  %y = dyt.layer_norm %x gamma(%g : tensor<5xbf16>) beta(%b : tensor<5xf32>) : tensor<3x5xbf16> -> tensor<3x5xbf16>
  return
}

// -----

func.func @layer_norm_result_type(%x: tensor<3x5xf32>, %g: tensor<5xf32>) {
  // expected-error @+1 {{result type 'tensor<3x6xf32>' must be the input type 'tensor<3x5xf32>'}}
  %y = dyt.layer_norm %x gamma(%g : tensor<5xf32>) beta(%g : tensor<5xf32>) : tensor<3x5xf32> -> tensor<3x6xf32>
  return
}

// -----

func.func @layer_norm_unranked(%x: tensor<*xf16>, %g: tensor<5xf16>) {
  // expected-error @+1 {{'dyt.layer_norm' op input must be a ranked tensor, got unranked 'tensor<*xf16>'}}
  %y = dyt.layer_norm %x gamma(%g : tensor<5xf16>) beta(%g : tensor<5xf16>) : tensor<*xf16> -> tensor<*xf16>
  return
}

// -----

func.func @rms_norm_0d(%x: tensor<f32>, %g: tensor<1xf32>) {
  // expected-error @+1 {{'dyt.rms_norm' op input must have rank >= 1, got 0-d 'tensor<f32>'}}
  %y = dyt.rms_norm %x gamma(%g : tensor<1xf32>) : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @rms_norm_integer(%x: tensor<2x8xi8>, %g: tensor<8xi8>) {
  // expected-error @+1 {{'dyt.rms_norm' op input element type must be f32, f16 or bf16, got 'i8'}}
  %y = dyt.rms_norm %x gamma(%g : tensor<8xi8>) : tensor<2x8xi8> -> tensor<2x8xi8>
  return
}

// -----

func.func @rms_norm_gamma_rank(%x: tensor<2x8xf32>, %g: tensor<f32>) {
  // expected-error @+1 {{'dyt.rms_norm' op gamma must be a 1-d tensor, got 'tensor<f32>'}}
  %y = dyt.rms_norm %x gamma(%g : tensor<f32>) : tensor<2x8xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @rms_norm_epsilon_inf(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'dyt.rms_norm' op epsilon must be a finite value > 0, got +Inf}}
  %y = "dyt.rms_norm"(%x, %g) <{epsilon = 0x7F800000 : f32}> : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @rms_norm_wrong_operand_count(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'dyt.rms_norm' op expected 2 operands, but found 3}}
  %y = "dyt.rms_norm"(%x, %g, %g) : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @rms_norm_sparse(%x: tensor<4x8xf32, #CSR>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'dyt.rms_norm' op input must be a tensor without an encoding, got 'tensor<4x8xf32, #sparse_tensor.encoding}}
  %y = dyt.rms_norm %x gamma(%g : tensor<8xf32>) : tensor<4x8xf32, #CSR> -> tensor<4x8xf32, #CSR>
  return
}
