//===- DytToLinalg.h - dyt to linalg conversion -----------------*- C++ -*-===//

#ifndef DYT_CONVERSION_DYTTOLINALG_DYTTOLINALG_H
#define DYT_CONVERSION_DYTTOLINALG_DYTTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class ConversionTarget;
class RewritePatternSet;

namespace dyt {

#define GEN_PASS_DECL_CONVERTDYTTOLINALGPASS
#include "dyt/Conversion/Passes.h.inc"

/// Adds the patterns that lower dyt.dyt, dyt.layer_norm and dyt.rms_norm to
/// linalg on tensors, for use in a caller's own conversion.
void populateDytToLinalgConversionPatterns(RewritePatternSet &patterns);

/// Marks the dyt dialect illegal and what the patterns produce legal.
void configureDytToLinalgConversionTarget(ConversionTarget &target);

} // namespace dyt
} // namespace mlir

#endif // DYT_CONVERSION_DYTTOLINALG_DYTTOLINALG_H
