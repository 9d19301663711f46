//===- Passes.h - Conversions out of the dyt dialect ------------*- C++ -*-===//

#ifndef DYT_CONVERSION_PASSES_H
#define DYT_CONVERSION_PASSES_H

#include "dyt/Conversion/DytToLinalg/DytToLinalg.h"

namespace mlir {
namespace dyt {

#define GEN_PASS_REGISTRATION
#include "dyt/Conversion/Passes.h.inc"

} // namespace dyt
} // namespace mlir

#endif // DYT_CONVERSION_PASSES_H
