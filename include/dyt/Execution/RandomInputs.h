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
/// [-10, 10]. Its dynamic dims take their sizes from the front of
/// `dynamicDims`, which it advances past them. Fails when `dynamicDims`
/// runs out (none given: "needs static shapes: <what> is <type>"), or on a
/// negative size, setting `error` for the caller to prefix with its option.
FailureOr<HostValue> randomHostValue(const ValueSpec &spec,
                                     std::mt19937_64 &rng,
                                     const std::string &what,
                                     std::string &error,
                                     ArrayRef<int64_t> &dynamicDims);

/// randomHostValue for a `spec` of static shape.
inline FailureOr<HostValue> randomHostValue(const ValueSpec &spec,
                                            std::mt19937_64 &rng,
                                            const std::string &what,
                                            std::string &error) {
  ArrayRef<int64_t> none;
  return randomHostValue(spec, rng, what, error, none);
}

} // namespace dyt
} // namespace mlir

#endif // DYT_EXECUTION_RANDOMINPUTS_H
