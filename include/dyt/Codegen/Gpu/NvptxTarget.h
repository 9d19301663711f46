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
#include "llvm/ADT/StringRef.h"

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

/// "+ptx78" for sm_90: the chip's first PTX version, or `minPtx` if that
/// is newer; empty for a chip LLVM does not know (which verifyNvptxTarget
/// then reports).
std::string getDefaultPtxFeatures(StringRef chip, unsigned minPtx = 0);

/// 90 for "sm_90", "sm_90a" or "90"; 0 when unreadable.
unsigned getSmVersion(StringRef chip);

/// What the kernels of a module need beyond what the chip does: LLVM stops
/// with "Cannot select" on an instruction the chip or PTX version lacks
/// (shfl.sync: sm_30 and PTX 6.0; tanh.approx.f32: sm_75).
struct NvptxRequirements {
  unsigned minPtx = 0; // 60 for PTX ISA 6.0
  unsigned minSm = 0;  // 75 for sm_75
  StringRef why;       // for the message: "warp shuffles"
};

/// Checks what LLVM would stop on or ignore: `chip` is a processor of the
/// NVPTX backend at least `required.minSm`; each of the comma-separated
/// `features` is +ptxNN or -ptxNN of a version the backend has (an sm_
/// feature would change the chip); the PTX version that results (LLVM
/// applies them in order and takes the highest still on, or the chip's
/// first when none is) is not older than the chip needs, nor than
/// `required.minPtx`. Reports the first problem through `emitError`.
LogicalResult
verifyNvptxTarget(StringRef chip, StringRef features,
                  const NvptxRequirements &required,
                  function_ref<InFlightDiagnostic()> emitError);

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_GPU_NVPTXTARGET_H
