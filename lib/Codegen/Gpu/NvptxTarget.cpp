//===- NvptxTarget.cpp - What LLVM's NVPTX backend needs of a target ------===//
//
// The first PTX ISA version of each chip is not in the backend's processor
// table (a processor implies only its sm_XY feature; the version is computed
// in NVPTXSubtarget, which is not public), so it is listed here. The table
// is LLVM 22's, read off `llc -mtriple=nvptx64 -mcpu=<chip>` (the version
// it prints without -mattr, and the oldest +ptxNN it does not stop on);
// test/Pipelines/dyt-nvvm-pipeline-chips.mlir checks every chip llc knows
// against it, so a new LLVM's chips or versions fail that test, not a user.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Gpu/NvptxTarget.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Target/LLVM/NVVM/Utils.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <memory>
#include <set>

using namespace mlir;

namespace {

struct ChipPtx {
  const char *chip;
  unsigned ptx;
};

// Every processor of LLVM 22's NVPTX backend, with its first PTX version.
constexpr ChipPtx kChips[] = {
    {"sm_20", 32},   {"sm_21", 32},   {"sm_30", 32},   {"sm_32", 40},
    {"sm_35", 32},   {"sm_37", 41},   {"sm_50", 40},   {"sm_52", 41},
    {"sm_53", 42},   {"sm_60", 50},   {"sm_61", 50},   {"sm_62", 50},
    {"sm_70", 60},   {"sm_72", 61},   {"sm_75", 63},   {"sm_80", 70},
    {"sm_86", 71},   {"sm_87", 74},   {"sm_88", 90},   {"sm_89", 78},
    {"sm_90", 78},   {"sm_90a", 80},  {"sm_100", 86},  {"sm_100a", 86},
    {"sm_100f", 88}, {"sm_101", 86},  {"sm_101a", 86}, {"sm_101f", 88},
    {"sm_103", 88},  {"sm_103a", 88}, {"sm_103f", 88}, {"sm_110", 90},
    {"sm_110a", 90}, {"sm_110f", 90}, {"sm_120", 87},  {"sm_120a", 87},
    {"sm_120f", 88}, {"sm_121", 88},  {"sm_121a", 88}, {"sm_121f", 88},
};

std::string formatPtxVersion(unsigned version) {
  return std::to_string(version / 10) + "." + std::to_string(version % 10);
}

/// The backend's subtarget description (no chip): its table of features.
/// Null if LLVM was built without the NVPTX target.
const llvm::MCSubtargetInfo *getNvptxSubtargetInfo() {
  static const std::unique_ptr<llvm::MCSubtargetInfo> info = [] {
    NVVM::SerializeGPUModuleBase::init();
    llvm::Triple triple("nvptx64-nvidia-cuda");
    std::string error;
    const llvm::Target *target =
        llvm::TargetRegistry::lookupTarget(triple, error);
    return std::unique_ptr<llvm::MCSubtargetInfo>(
        target ? target->createMCSubtargetInfo(triple, "", "") : nullptr);
  }();
  return info.get();
}

/// 78 for "ptx78"; std::nullopt for any other name.
std::optional<unsigned> parsePtxFeature(StringRef name) {
  unsigned version;
  if (!name.consume_front("ptx") || name.getAsInteger(10, version))
    return std::nullopt;
  return version;
}

} // namespace

std::optional<unsigned> mlir::dyt::getMinimumPtxVersion(StringRef chip) {
  for (const ChipPtx &entry : kChips)
    if (chip == entry.chip)
      return entry.ptx;
  return std::nullopt;
}

std::string mlir::dyt::getDefaultPtxFeatures(StringRef chip,
                                             unsigned minPtx) {
  std::optional<unsigned> version = getMinimumPtxVersion(chip);
  return version ? "+ptx" + std::to_string(std::max(*version, minPtx))
                 : std::string();
}

unsigned mlir::dyt::getSmVersion(StringRef chip) {
  unsigned version = 0;
  chip.drop_front(chip.starts_with("sm_") ? 3 : 0).consumeInteger(10, version);
  return version;
}

LogicalResult
mlir::dyt::verifyNvptxTarget(StringRef chip, StringRef features,
                             const NvptxRequirements &required,
                             function_ref<InFlightDiagnostic()> emitError) {
  std::optional<unsigned> minimum = getMinimumPtxVersion(chip);
  if (!minimum) {
    InFlightDiagnostic diag = emitError();
    diag << "chip '" << chip << "' is not a processor of LLVM's NVPTX "
         << "backend (it would compile for a default one); known:";
    for (const ChipPtx &entry : kChips)
      diag << " " << entry.chip;
    return diag;
  }
  if (getSmVersion(chip) < required.minSm)
    return emitError() << "chip '" << chip << "' is older than sm_"
                       << required.minSm << ", the oldest these kernels are "
                       << "built for (" << required.why << ")";
  const llvm::MCSubtargetInfo *info = getNvptxSubtargetInfo();
  // The PTX versions enabled when LLVM has applied the features in order
  // (a later -ptxNN turns an earlier +ptxNN off); it then takes the highest.
  std::set<unsigned> enabled;
  SmallVector<StringRef> items;
  features.split(items, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  // As LLVM splits them: at commas, nothing trimmed (" +ptx80" is not a
  // feature to it, and it would be ignored with a warning).
  for (StringRef feature : items) {
    bool enable = feature.front() == '+';
    if (!enable && feature.front() != '-')
      return emitError() << "feature '" << feature
                         << "' must start with '+' or '-' (e.g. +ptx"
                         << *minimum << ")";
    StringRef name = feature.drop_front();
    std::optional<unsigned> version = parsePtxFeature(name);
    bool known = info ? llvm::any_of(info->getAllProcessorFeatures(),
                                     [&](const llvm::SubtargetFeatureKV &kv) {
                                       return name == kv.Key;
                                     })
                      : version.has_value();
    if (!known || !version)
      return emitError()
             << "feature '" << name << "' is not a PTX version of LLVM's "
             << "NVPTX backend (ptxNN, e.g. ptx" << *minimum << ")"
             << (name.starts_with("sm_")
                     ? "; the architecture is the target's chip, and an sm_ "
                       "feature would raise the PTX version it needs"
                     : "");
    if (enable)
      enabled.insert(*version);
    else
      enabled.erase(*version);
  }
  // Without a +ptxNN LLVM takes the chip's first version.
  unsigned effective = enabled.empty() ? *minimum : *enabled.rbegin();
  if (effective < *minimum)
    return emitError() << "PTX ISA " << formatPtxVersion(effective)
                       << " (+ptx" << effective << ") does not have " << chip
                       << ", which needs PTX ISA "
                       << formatPtxVersion(*minimum) << " (+ptx" << *minimum
                       << ") or later";
  if (effective < required.minPtx)
    return emitError() << "PTX ISA " << formatPtxVersion(effective)
                       << " is older than "
                       << formatPtxVersion(required.minPtx)
                       << ", the oldest these kernels are built for ("
                       << required.why << ")";
  return success();
}
