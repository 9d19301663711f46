//===- NvptxTarget.h - What LLVM's NVPTX backend needs of a target -*- C++ -*-===//
//
// LLVM's NVPTX backend stops the process (a fatal error, not a diagnostic)
// when asked for a PTX ISA version older than the chip, and only warns on a
// chip or feature it does not know. These helpers let the pipeline pick a
// valid default and let dyt-gpu-verify-nvvm-targets turn the rest into
// errors at the gpu.module's location.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_CODEGEN_GPU_NVPTXTARGET_H
#define DYT_CODEGEN_GPU_NVPTXTARGET_H

#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace mlir {
class InFlightDiagnostic;

namespace dyt {

/// The first PTX ISA version (78 for 7.8) that has `chip` ("sm_90",
/// "sm_90a", "sm_100f", ...): the version LLVM 22's NVPTX backend uses when
/// no +ptx feature is given and the oldest it accepts. std::nullopt for a
/// chip that backend does not know.
std::optional<unsigned> getMinimumPtxVersion(StringRef chip);

/// "+ptx78" for sm_90; empty for a chip LLVM does not know (which
/// verifyNvptxTarget then reports).
std::string getDefaultPtxFeatures(StringRef chip);

/// 90 for "sm_90", "sm_90a" or "90"; 0 when unreadable.
unsigned getSmVersion(StringRef chip);

/// Checks what LLVM would stop on or ignore: `chip` is a processor of the
/// NVPTX backend; each of the comma-separated `features` is +name or -name
/// of a feature the backend has; the PTX version asked for (the highest
/// +ptxNN, as the backend takes it) is not older than `chip` needs.
/// Reports the first problem through `emitError`.
LogicalResult
verifyNvptxTarget(StringRef chip, StringRef features,
                  function_ref<InFlightDiagnostic()> emitError);

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_GPU_NVPTXTARGET_H
