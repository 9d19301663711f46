// dyt-run's value kinds: integer tensors and scalars in and out, several
// results (returned as a struct), a scalar result, f16/bf16 .npy conversion.
// REQUIRES: numpy
// RUN: rm -rf %t && mkdir -p %t
// Our argument attributes (alpha-as-argument's dyt.alpha_init, dyt.role) are
// dropped before LLVM translation, which would warn about each.
// RUN: dyt-run %s -e annotated --random 2>&1 | FileCheck %s --check-prefix=ANNOTATED --allow-empty --implicit-check-not=warning
// RUN: %python -c "import numpy as np; np.save('%t/i.npy', np.arange(6, dtype=np.int32).reshape(2, 3)); np.save('%t/k.npy', np.array(7, np.int64)); np.save('%t/h.npy', np.array([1.5, -2.25], np.float16)); np.save('%t/b.npy', np.array([1.0, 3.0], np.float32))"
// RUN: dyt-run %s -e ints --input %t/i.npy --input %t/k.npy --output %t/o0.npy --output %t/o1.npy --output %t/o2.npy
// RUN: %python -c "import numpy as np; a, b, c = (np.load('%t/o%%d.npy' %% i) for i in range(3)); f = lambda v: ' '.join(map(str, v.ravel().tolist())); print(a.dtype, a.shape, f(a), '|', b.dtype, f(b), '|', c.dtype, c.shape, f(c))" | FileCheck %s --check-prefix=INTS
// RUN: dyt-run %s -e floats --input %t/h.npy --input %t/b.npy --output %t/f0.npy --output %t/f1.npy
// RUN: %python -c "import numpy as np; a, b = np.load('%t/f0.npy'), np.load('%t/f1.npy'); f = lambda v: ' '.join(map(str, v.ravel().tolist())); print(a.dtype, f(a), '|', b.dtype, f(b))" | FileCheck %s --check-prefix=FLOATS
// RUN: dyt-run %s -e ints --random --check | FileCheck %s --check-prefix=CHECK3
// --bench: the timed calls and, after each, a memcpy of the bytes the call
// writes (its tensor results: 2x3 i32 + 1 i64 = 32 bytes); a function with
// only a scalar result has no such peer.
// RUN: dyt-run %s -e ints --random --bench 3 --json | FileCheck %s --check-prefix=BENCH
// RUN: dyt-run %s -e scalar --random --bench 2 --threads 1 --json | FileCheck %s --check-prefix=NOCOPY
// --bench-against: another function of the module, on its own random
// inputs, timed after each call (the pair's ratio replaces the memcpy's).
// RUN: dyt-run %s -e ints --random --bench 2 --bench-against floats --json 2>/dev/null | FileCheck %s --check-prefix=AGAINST
// RUN: not dyt-run %s -e ints --bench 2 --bench-against floats 2>&1 | FileCheck %s --check-prefix=AGAINSTERR
// RUN: not dyt-run %s -e ints --random --bench 2 --bench-against nosuch 2>&1 | FileCheck %s --check-prefix=AGAINSTMISSING

// INTS: int32 (2, 3) 7 8 9 10 11 12 | int64 14 | int64 () 21
// FLOATS: float16 3.0 -4.5 | float32 2.0 6.0
// CHECK3-COUNT-3: check: result #{{[0-2]}}
// BENCH: bench: @ints: median {{[0-9.]+}} ms, min {{[0-9.]+}} ms over 3 runs, {{[0-9]+}} thread(s)
// BENCH-NEXT: bench: memcpy of the 32 result bytes, after each call: median {{[0-9.]+}} ms (memcpy/call, median of the pairs {{[0-9.]+}})
// BENCH-NEXT: {"function": "ints", "median_s": {{[0-9.e+-]+}}, "min_s": {{[0-9.e+-]+}}, "iterations": 3, "threads": {{[0-9]+}}, "copy_median_s": {{[0-9.e+-]+}}, "copy_ratio": {{[0-9.e+-]+}}}
// AGAINST: bench: @floats after each call: median {{[0-9.]+}} ms (@floats/@ints, median of the pairs {{[0-9.]+}})
// AGAINST-NEXT: {"function": "ints", {{.*}}"iterations": 2, "against": "floats", "against_median_s": {{[0-9.e+-]+}}, "against_ratio": {{[0-9.e+-]+}}, "threads": {{[0-9]+}}, "copy_median_s": null, "copy_ratio": null}
// AGAINSTERR: dyt-run: error: --bench-against needs --bench and --random
// AGAINSTMISSING: dyt-run: error: no function @nosuch with a body in the module
// NOCOPY-NOT: memcpy
// NOCOPY: {"function": "scalar", {{.*}}"iterations": 2, "threads": 1, "copy_median_s": null, "copy_ratio": null}

func.func @ints(%x: tensor<2x3xi32>, %k: i64) -> (tensor<2x3xi32>, tensor<1xi64>, i64) {
  %k32 = arith.trunci %k : i64 to i32
  %e = tensor.empty() : tensor<2x3xi32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x3xi32>) outs(%e : tensor<2x3xi32>) {
  ^bb0(%v: i32, %o: i32):
    %s = arith.addi %v, %k32 : i32
    linalg.yield %s : i32
  } -> tensor<2x3xi32>
  %two = arith.addi %k, %k : i64
  %t = tensor.from_elements %two : tensor<1xi64>
  %three = arith.addi %two, %k : i64
  return %y, %t, %three : tensor<2x3xi32>, tensor<1xi64>, i64
}

func.func @floats(%h: tensor<2xf16>, %b: tensor<2xbf16>) -> (tensor<2xf16>, tensor<2xbf16>) {
  %h2 = arith.addf %h, %h : tensor<2xf16>
  %b2 = arith.addf %b, %b : tensor<2xbf16>
  return %h2, %b2 : tensor<2xf16>, tensor<2xbf16>
}

// ANNOTATED-NOT: warning
func.func @annotated(%x: tensor<4xf32>, %alpha: f32 {dyt.alpha_init = 5.000000e-01 : f32, dyt.role = "ffn"}) -> tensor<4xf32> {
  %g = arith.constant dense<1.0> : tensor<4xf32>
  %b = arith.constant dense<0.0> : tensor<4xf32>
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<4xf32>) beta(%b : tensor<4xf32>) : tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

func.func @scalar(%x: f32) -> f32 {
  %y = arith.mulf %x, %x : f32
  return %y : f32
}
