// dyt-opt and dyt-compare on bad input: a message naming what is wrong,
// exit 1 (`not` fails on a crash), no output file left behind. dyt-run's
// own cases (.npy files, memory) are in dyt-run-errors.mlir.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import random; r = random.Random(8); open('%t/garbage.mlir', 'wb').write(bytes(r.randrange(256) for _ in range(4096)))"
// RUN: %python -c "open('%t/nul.mlir', 'wb').write(b'func.func @f() {\x00 return }')"
// RUN: %python -c "open('%t/deep.mlir', 'w').write('\"test.op\"() ({ ' * 2000)"
// RUN: not dyt-opt %t/garbage.mlir -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=GARBAGE
// RUN: not test -e %t/out.mlir
// The lexer takes a NUL byte for the end of the buffer: what comes before it
// is the input.
// RUN: dyt-opt %t/nul.mlir | FileCheck %s --check-prefix=NUL
// RUN: not dyt-opt %t/deep.mlir --allow-unregistered-dialect -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=DEEP
// RUN: not test -e %t/out.mlir
// RUN: not dyt-opt %s --split-input-file --convert-dyt-to-linalg -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=VERIFY
// RUN: not test -e %t/out.mlir
// RUN: not dyt-opt %t/missing.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not dyt-opt %s --split-input-file -o %t/no-such-dir/out.mlir 2>&1 | FileCheck %s --check-prefix=OUTPUT
// RUN: not dyt-compare %t/garbage.mlir 2>&1 | FileCheck %s --check-prefix=COMPAREGARBAGE
// RUN: not dyt-compare %t/missing.mlir 2>&1 | FileCheck %s --check-prefix=COMPAREMISSING
// RUN: not dyt-compare %S/Inputs/huge-norm.mlir --bench 1 2>&1 | FileCheck %s --check-prefix=COMPAREHUGE

// GARBAGE: error:
// NUL: func.func @f()
// DEEP: error:
// VERIFY: error: 'dyt.rms_norm' op gamma size 3 must match
// MISSING: cannot open input file '{{.*}}missing.mlir'
// OUTPUT: cannot open output file '{{.*}}no-such-dir/out.mlir'
// COMPAREGARBAGE: dyt-compare: error: cannot parse
// COMPAREMISSING: dyt-compare: error: cannot parse
// COMPAREHUGE: dyt-compare: error: --bench argument #0 (tensor<1000000x1000000xf32>) needs 3.6 TiB of memory, only {{.*}} available

func.func @bad(%x: tensor<2x8xf32>, %g: tensor<3xf32>) -> tensor<2x8xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<3xf32>) : tensor<2x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
