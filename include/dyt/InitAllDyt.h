//===- InitAllDyt.h - The one registration header for every tool -*- C++ -*-===//
//
// dyt-opt, the mlir-opt plugin, the unit tests (and dyt-run / dyt-compare)
// register what they know through these functions only, so the tools cannot
// drift apart: a new dialect or pass is added here once and every tool sees it.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_INITALLDYT_H
#define DYT_INITALLDYT_H

namespace mlir {
class DialectRegistry;

namespace dyt {

/// Registers the dialects defined by this project.
void registerDytDialects(DialectRegistry &registry);

/// Registers this project's passes and pass pipelines with the global pass
/// registry (what `-pass-name` and `--pass-pipeline` see).
void registerDytPasses();

/// A stand-alone tool's registration: every upstream dialect, extension and
/// pass, plus this project's.
void registerAllDialectsAndExtensions(DialectRegistry &registry);
void registerAllPasses();

} // namespace dyt
} // namespace mlir

#endif // DYT_INITALLDYT_H
