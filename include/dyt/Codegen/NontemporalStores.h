//===- NontemporalStores.h - Streaming stores of a kernel's results -*- C++ -*-===//
//
// dyt-cpu-lower-vectors{nontemporal-result-stores}: which vector stores into
// a function's results stream past the caches, and under what run-time
// condition when the shapes are dynamic.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_CODEGEN_NONTEMPORALSTORES_H
#define DYT_CODEGEN_NONTEMPORALSTORES_H

#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir {
namespace dyt {

/// Marks vector stores into the buffers `func` returns, and never reads, as
/// non-temporal where they are (or, under a run-time check, will be) at
/// least 16 bytes aligned; see the pass description in Passes.td.
void markResultStoresNontemporal(FunctionOpInterface func);

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_NONTEMPORALSTORES_H
