//===- RandomInputs.h - Seeded arguments for a compiled function -*- C++ -*-===//
//
// dyt-run --random and dyt-compare --bench call functions on seeded random
// arguments; both draw them here, so the same seed gives the same inputs.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_EXECUTION_RANDOMINPUTS_H
#define DYT_EXECUTION_RANDOMINPUTS_H

#include "dyt/Execution/JitFunction.h"

#include <random>

namespace mlir {
namespace dyt {

/// Stores `f` as one element of `type` (f32, or f16/bf16 rounded to nearest
/// even) at `out`.
void storeFloat(HostElementType type, float f, char *out);

/// A value of `spec` with floats uniform in [-2, 2] and integers in
/// [-10, 10]. Fails on a dynamic dim, setting `error` to "needs static
/// shapes: <what> is <type>" for the caller to prefix with its option.
FailureOr<HostValue> randomHostValue(const ValueSpec &spec,
                                     std::mt19937_64 &rng,
                                     const std::string &what,
                                     std::string &error);

} // namespace dyt
} // namespace mlir

#endif // DYT_EXECUTION_RANDOMINPUTS_H
