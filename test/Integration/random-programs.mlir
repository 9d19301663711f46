// Differential testing: a fixed-seed batch of random valid programs (chains
// of dyt.dyt / dyt.layer_norm / dyt.rms_norm / linalg.matmul / elementwise
// ops, ranks 1-4, sizes 0/1/odd/large, dynamic dims, f32/f16/bf16, any DyT
// axis), each run through `dyt-run --check`: dyt-cpu-pipeline against
// dyt-cpu-reference-pipeline on the same .npy inputs. For a soak run:
//   python3 test/Integration/Inputs/random_programs.py --soak --minutes 60 \
//     --dyt-run build/bin/dyt-run --seed 1000 --keep /tmp/failures
// adding --pipeline 'dyt-cpu-pipeline{vector-bits=512}' to run the code an
// AVX-512 host gets (LLVM splits the vectors on any x86 host).
// REQUIRES: numpy
// RUN: %python %S/Inputs/random_programs.py --seed 1 --count 24 | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: random programs: 24 of 24 agree (seeds 1..24), 0 failed
// The code an AVX-512 host compiles (rows split at every odd width):
// RUN: %python %S/Inputs/random_programs.py --seed 1001 --count 16 --pipeline 'dyt-cpu-pipeline{vector-bits=512}' | FileCheck %s --check-prefix=W512
// W512-NOT: FAIL
// W512: random programs: 16 of 16 agree (seeds 1001..1016), 0 failed
