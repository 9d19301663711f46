//===- JitFunction.h - Compile a function and call it in-process -*- C++ -*-===//
//
// What dyt-run (and dyt-compare) do with a function of an MLIR file: lower it
// with a pipeline, JIT it with MLIR's ExecutionEngine (LLVM -O3, host CPU
// features), and call it on host values through its C interface: on host
// buffers (CPU code), or on device buffers the values are copied to and
// from (host code of dyt-nvvm-pipeline, which launches GPU kernels).
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

/// Where a compiled function's tensors live: host memory (CPU code), or
/// CUDA device memory (dyt-nvvm-pipeline's host code, run with
/// libdyt_cuda_runtime.so).
enum class Device { Cpu, Gpu };

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
  /// With a peer: the peer's median time, and the median over iterations of
  /// (peer time / call time), each pair measured back to back.
  std::optional<double> peerMedianSeconds, peerRatio;
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
/// memrefCopy (strided copies) and the OpenMP runtime (parallel loops); for
/// the GPU also this project's CUDA runtime, libdyt_cuda_runtime.so (the mgpu*
/// functions), from the lib/ folder beside the tool's bin/, else from the
/// build tree it was built in.
std::vector<std::string> getRuntimeLibraries(Device device = Device::Cpu);

/// "sm_XY" of the CUDA device, for dyt-nvvm-pipeline's `chip`; "" unless
/// dyt::cuda::initialize succeeded.
std::string getGpuChip();

/// The median and the minimum of `seconds` (not empty).
BenchTiming summarizeTimes(std::vector<double> seconds);

/// The peer a GPU benchmark is measured against: `iterations` (>= 1)
/// device-to-device copies of `bytes`, each timed with CUDA events as
/// JitFunction::bench times a call on the GPU. Needs `bytes` > 0 and an
/// initialized CUDA runtime.
FailureOr<BenchTiming> benchDeviceCopy(uint64_t bytes, unsigned iterations,
                                       std::string &error);

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
  /// With Device::Gpu the pipeline must be dyt-nvvm-pipeline's kind (host
  /// code on device buffers), `sharedLibs` must hold the CUDA runtime
  /// (getRuntimeLibraries(Device::Gpu)), and compile loads the kernels
  /// (the module's global constructors): the CUDA runtime's errors there
  /// fail it.
  static std::unique_ptr<JitFunction>
  compile(OwningOpRef<ModuleOp> module, StringRef funcName,
          function_ref<void(OpPassManager &)> buildPipeline,
          ArrayRef<std::string> sharedLibs, std::string &error,
          bool keepObjectCode = false, Device device = Device::Cpu);

  ArrayRef<ValueSpec> getArguments() const { return arguments; }
  ArrayRef<ValueSpec> getResults() const { return results; }

  Device getDevice() const { return device; }

  /// Checks `args` against the signature (count, element type, rank, static
  /// dims: errors name the argument), calls the function and copies its
  /// results out. `seconds`, if given, receives the time of the call itself
  /// (what the compiled code takes, allocating its results included), not
  /// of checking arguments or copying them in and results out. On the
  /// GPU, tensors are copied to fresh device buffers and results back, the
  /// call is timed with CUDA events, and an error the CUDA runtime reports
  /// fails it.
  LogicalResult call(ArrayRef<HostValue> args, std::vector<HostValue> &out,
                     std::string &error, double *seconds = nullptr);

  /// Times `iterations` (>= 1) calls on `args`, each as `call` times it;
  /// the arguments are checked and copied (to the device) once, before.
  /// Warming up is the caller's: every call counts. A `peer` (host code,
  /// e.g. a memcpy of the bytes the call writes) runs and is timed right
  /// after each call: interleaved, a burst of load from elsewhere on the
  /// machine slows both sides of a pair, so their ratio holds where two
  /// separate series of runs would not. With a peer, one untimed call and
  /// peer run come first.
  FailureOr<BenchTiming> bench(ArrayRef<HostValue> args, unsigned iterations,
                               std::string &error,
                               llvm::function_ref<void()> peer = nullptr);

  /// As bench, with `other` (a function compiled for the same device) on
  /// `otherArgs` as the peer, each of its calls timed as `call` times it:
  /// e.g. matmul + DyT against the matmul alone, pair by pair.
  FailureOr<BenchTiming> benchAgainst(ArrayRef<HostValue> args,
                                      JitFunction &other,
                                      ArrayRef<HostValue> otherArgs,
                                      unsigned iterations, std::string &error);

  /// Bytes of machine code (the object file's text sections) the module
  /// was compiled to: every function in it, and the C-interface wrapper of
  /// the entry. Needs `keepObjectCode` at compile time.
  FailureOr<uint64_t> getCodeSize(std::string &error) const;

private:
  JitFunction() = default;

  std::string name;
  SmallVector<ValueSpec> arguments, results;
  std::unique_ptr<ExecutionEngine> engine;
  Device device = Device::Cpu;
  bool objectCodeKept = false;
};

} // namespace dyt
} // namespace mlir

#endif // DYT_EXECUTION_JITFUNCTION_H
