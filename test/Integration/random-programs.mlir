// Differential testing: a fixed-seed batch of random valid programs (chains
// of dyt.dyt / dyt.layer_norm / dyt.rms_norm / linalg.matmul / elementwise
// ops, ranks 1-4, sizes 0/1/odd/large, dynamic dims, f32/f16/bf16, any DyT
// axis), each run through `dyt-run --check`: dyt-cpu-pipeline against
// dyt-cpu-reference-pipeline on the same .npy inputs. For a soak run:
//   python3 test/Integration/Inputs/random_programs.py --soak --minutes 60 \
//     --dyt-run build/bin/dyt-run --seed 1000 --keep /tmp/failures
// REQUIRES: numpy
// RUN: %python %S/Inputs/random_programs.py --seed 1 --count 24 | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: random programs: 24 of 24 agree (seeds 1..24), 0 failed
