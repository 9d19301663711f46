// dyt-run --check on a long contraction: the fast pipeline sums the K = 4096
// products of each element in another order than the reference's sequential
// loop. Compared element by element against |reference| alone, the few
// results that cancel to near 0 fail (5 of these 4096 did, by up to 1.4e-4
// against a tolerance of 1e-5 + 1e-4 * |reference|); with a contraction in
// the module the relative term is taken against at least the result's RMS.
// RUN: dyt-run %s -e matmul --random --check | FileCheck %s --check-prefix=MM
// MM: check: result #0: 4096 elements, max abs difference
//
// The bound still bites: with no tolerance at all the same run fails, and
// the message says which criterion it applied.
// RUN: not dyt-run %s -e matmul --random --check --rtol 0 --atol 0 2>&1 | FileCheck %s --check-prefix=STRICT
// STRICT: dyt-run: check failed: result #0 element {{[0-9]+}}: {{.*}} (fast) vs {{.*}} (reference), tolerance 0.{{0+}}e+00 + 0.{{0+}}e+00 * max(|reference|, rms(reference) = {{[0-9.e+-]+}}){{$}}
//
// A contraction reached through a call counts too.
// RUN: not dyt-run %s -e caller --random --check --rtol 0 --atol 0 2>&1 | FileCheck %s --check-prefix=STRICT
//
// Without a contraction in the function (or in a function it calls) the
// criterion stays element by element.
// RUN: not dyt-run %s -e elementwise --random --check --rtol 0 --atol 0 2>&1 | FileCheck %s --check-prefix=ELEM
// ELEM: dyt-run: check failed: result #0 element {{[0-9]+}}: {{.*}} (fast) vs {{.*}} (reference), tolerance 0.{{0+}}e+00 + 0.{{0+}}e+00 * |reference|{{$}}

func.func @matmul(%a: tensor<16x4096xf32>, %b: tensor<4096x256xf32>) -> tensor<16x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x256xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x256xf32>) -> tensor<16x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<16x4096xf32>, tensor<4096x256xf32>) outs(%f : tensor<16x256xf32>) -> tensor<16x256xf32>
  return %r : tensor<16x256xf32>
}

// The fast rational tanh differs from libm's tanhf in the last bits.
func.func @elementwise(%x: tensor<1000xf32>) -> tensor<1000xf32> {
  %t = math.tanh %x : tensor<1000xf32>
  return %t : tensor<1000xf32>
}

func.func @caller(%a: tensor<16x4096xf32>, %b: tensor<4096x256xf32>) -> tensor<16x256xf32> {
  %r = func.call @matmul(%a, %b) : (tensor<16x4096xf32>, tensor<4096x256xf32>) -> tensor<16x256xf32>
  return %r : tensor<16x256xf32>
}
