//===- CpuKernel.h - A 1-D kernel compiled by dyt-cpu-pipeline, for tests --===//
//
// The numeric tests of unittests/Codegen compile a function of one 1-D
// tensor with the CPU pipeline into the JIT and call it on host buffers.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_UNITTESTS_CODEGEN_CPUKERNEL_H
#define DYT_UNITTESTS_CODEGEN_CPUKERNEL_H

#include "dyt/Execution/JitFunction.h"
#include "dyt/InitAllDyt.h"
#include "dyt/Pipelines/CpuPipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <cstring>
#include <optional>

namespace mlir::dyt::unittest {

/// Compiles function `name` of `source` with the default dyt-cpu-pipeline;
/// null, with the reason in `error`, if that fails.
inline std::unique_ptr<JitFunction>
compileWithCpuPipeline(MLIRContext &context, const char *source,
                       StringRef name, std::string &error) {
  DialectRegistry registry;
  registerAllDialectsAndExtensions(registry);
  context.appendDialectRegistry(registry);
  return JitFunction::compile(
      parseSourceString<ModuleOp>(source, &context), name,
      [](OpPassManager &pm) {
        buildDytCpuPipeline(pm, DytCpuPipelineOptions());
      },
      {}, error);
}

/// Calls `jit` on the 1-D tensor of `count` elements of `type` at `data`;
/// the bytes of its first result, or nullopt with the reason in `error`.
inline std::optional<std::vector<char>>
callOn1D(JitFunction &jit, HostElementType type, const void *data,
         size_t count, std::string &error) {
  HostValue arg{type, {int64_t(count)}, {}};
  arg.data.resize(count * getHostElementTypeSize(type));
  std::memcpy(arg.data.data(), data, arg.data.size());
  std::vector<HostValue> results;
  if (failed(jit.call({arg}, results, error)))
    return std::nullopt;
  return std::move(results[0].data);
}

} // namespace mlir::dyt::unittest

#endif // DYT_UNITTESTS_CODEGEN_CPUKERNEL_H
