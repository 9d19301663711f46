//===- ReachableFunctions.h - A function and what it calls -------*- C++ -*-===//
//
// dyt-run --check (does the entry reach a contraction?) and dyt-compare (the
// kernels and code of one function) look at an entry function together with
// every function it calls.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_EXECUTION_REACHABLEFUNCTIONS_H
#define DYT_EXECUTION_REACHABLEFUNCTIONS_H

#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace dyt {

/// @name of `module` and the functions it calls, directly or not, @name
/// first; empty if `module` has no symbol `name`.
SmallVector<Operation *> getReachableFunctions(ModuleOp module,
                                               StringRef name);

} // namespace dyt
} // namespace mlir

#endif // DYT_EXECUTION_REACHABLEFUNCTIONS_H
