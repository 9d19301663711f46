//===- KernelStats.h - Static cost of a function's linalg ops ---*- C++ -*-===//
//
// What dyt-compare reports per variant of a model, read off the function at
// the linalg level: each linalg op other than a
// fill is a kernel (a loop nest), and its bytes, flops and transcendental
// ops follow from its static iteration domain and its body.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_TOOLS_DYTCOMPARE_KERNELSTATS_H
#define DYT_TOOLS_DYTCOMPARE_KERNELSTATS_H

#include "mlir/IR/Operation.h"

#include <optional>

namespace mlir {
namespace dyt {

struct KernelStats {
  int64_t kernels = 0;
  /// Kernels with a reduction loop that are not contractions: the row
  /// reductions (mean, variance, sum of squares, softmax's max and sum).
  int64_t reductions = 0;
  /// Unset when a shape is dynamic.
  std::optional<int64_t> bytes = 0, flops = 0, transcendentals = 0;
};

/// The stats of the linalg ops in `funcs`. `bytes` counts every input once
/// and every output once, twice when its old value is read (an
/// accumulator); `flops` every float arith/math op of a body once per
/// iteration; `transcendentals` the math ops among them (tanh, exp, rsqrt,
/// sqrt, erf, ...).
KernelStats computeKernelStats(ArrayRef<Operation *> funcs);

} // namespace dyt
} // namespace mlir

#endif // DYT_TOOLS_DYTCOMPARE_KERNELSTATS_H
