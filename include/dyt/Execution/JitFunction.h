//===- JitFunction.h - Compile a function and call it in-process -*- C++ -*-===//
//
// What dyt-run (and dyt-compare) do with a function of an MLIR file: lower it
// with a pipeline, JIT it with MLIR's ExecutionEngine (LLVM -O3, host CPU
// features), and call it on host buffers through its C interface.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_EXECUTION_JITFUNCTION_H
#define DYT_EXECUTION_JITFUNCTION_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
class OpPassManager;

namespace dyt {

/// Element types a host exchanges with a compiled function.
enum class HostElementType { F32, F16, BF16, I32, I64 };

const char *getHostElementTypeName(HostElementType type); // "f32", ...
size_t getHostElementTypeSize(HostElementType type);

/// One argument or result of a function's signature: a ranked tensor (a
/// memref at the ABI) with static or dynamic dims, or a scalar.
struct ValueSpec {
  HostElementType elementType;
  bool isTensor = false;
  SmallVector<int64_t> shape; // ShapedType::kDynamic for '?'

  /// "tensor<?x768xbf16>" or "f32".
  std::string str() const;
  /// Bytes of a value of this spec (8 for a scalar's slot); none when a dim
  /// is dynamic. Saturates at UINT64_MAX.
  std::optional<uint64_t> getStaticBytes() const;
};

/// What JitFunction::bench measured.
struct BenchTiming {
  double medianSeconds, minSeconds;
};

/// A value on the host: `shape` (empty for scalars and 0-d tensors) and the
/// elements in C order, in the element type's storage (16-bit floats as their
/// bit patterns).
struct HostValue {
  HostElementType elementType;
  std::vector<int64_t> shape;
  std::vector<char> data;

  int64_t numElements() const;
};

/// Runtime libraries lowered code may call into, from the same LLVM:
/// memrefCopy (strided copies) and the OpenMP runtime (parallel loops).
std::vector<std::string> getRuntimeLibraries();

class JitFunction {
public:
  ~JitFunction();

  /// Lowers `module` with `buildPipeline`, which must take it to the LLVM
  /// dialect, and JIT-compiles it, keeping `funcName` callable. The
  /// function's tensor arguments are marked read-only for bufferization:
  /// calls never modify the caller's buffers.
  /// `sharedLibs` are loaded into the JIT (e.g. libomp). On failure returns
  /// null and sets `error`; diagnostics go to the context's handler.
  /// `keepObjectCode` keeps a copy of the machine code for getCodeSize.
  static std::unique_ptr<JitFunction>
  compile(OwningOpRef<ModuleOp> module, StringRef funcName,
          function_ref<void(OpPassManager &)> buildPipeline,
          ArrayRef<std::string> sharedLibs, std::string &error,
          bool keepObjectCode = false);

  ArrayRef<ValueSpec> getArguments() const { return arguments; }
  ArrayRef<ValueSpec> getResults() const { return results; }

  /// Checks `args` against the signature (count, element type, rank, static
  /// dims: errors name the argument), calls the function and copies its
  /// results out. `seconds`, if given, receives the time of the call itself
  /// (what the compiled code takes, allocating its results included), not
  /// of checking arguments or copying results out.
  LogicalResult call(ArrayRef<HostValue> args, std::vector<HostValue> &out,
                     std::string &error, double *seconds = nullptr);

  /// Times `iterations` (>= 1) calls on `args`, each as `call` times it.
  /// Warming up is the caller's: every call counts.
  FailureOr<BenchTiming> bench(ArrayRef<HostValue> args, unsigned iterations,
                               std::string &error);

  /// Bytes of machine code (the object file's text sections) the module
  /// was compiled to: every function in it, and the C-interface wrapper of
  /// the entry. Needs `keepObjectCode` at compile time.
  FailureOr<uint64_t> getCodeSize(std::string &error) const;

private:
  JitFunction() = default;

  std::string name;
  SmallVector<ValueSpec> arguments, results;
  std::unique_ptr<ExecutionEngine> engine;
  bool objectCodeKept = false;
};

} // namespace dyt
} // namespace mlir

#endif // DYT_EXECUTION_JITFUNCTION_H
