//===- JitFunction.cpp - Compile a function and call it in-process ---------===//
//
// The function is given `llvm.emit_c_interface`, so after lowering it has a
// C wrapper `_mlir_ciface_<name>` with this ABI:
//   - a ranked memref argument is a pointer to its descriptor
//     {allocated, aligned, offset, sizes[rank], strides[rank]}, a scalar is
//     passed by value;
//   - one memref result is written through a pointer passed first; several
//     results are a struct (descriptors inline, scalars inline, natural C
//     alignment) written through a pointer passed first; one scalar result is
//     returned by value.
// ExecutionEngine::invokePacked calls the wrapper with a pointer to each
// argument and, for a returned scalar, a last pointer to store it through.
//
// The same ABI holds for dyt-nvvm-pipeline's host code, except that every
// memref is device memory: arguments are copied to device buffers first and
// results, which the callee allocated with the CUDA runtime, back after.
// CallMemory is what differs between the two; Invocation is the call.
//
//===----------------------------------------------------------------------===//

#include "dyt/Execution/JitFunction.h"

#include "dyt/Codegen/Passes.h"

#include "dyt/Runtime/CudaRuntime.h"
#include "dyt/Runtime/Memory.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>

using namespace mlir;
using namespace mlir::dyt;
namespace cuda = ::dyt::cuda;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

const char *mlir::dyt::getHostElementTypeName(HostElementType type) {
  switch (type) {
  case HostElementType::F32:
    return "f32";
  case HostElementType::F16:
    return "f16";
  case HostElementType::BF16:
    return "bf16";
  case HostElementType::I32:
    return "i32";
  case HostElementType::I64:
    return "i64";
  }
  llvm_unreachable("unknown element type");
}

size_t mlir::dyt::getHostElementTypeSize(HostElementType type) {
  switch (type) {
  case HostElementType::F16:
  case HostElementType::BF16:
    return 2;
  case HostElementType::F32:
  case HostElementType::I32:
    return 4;
  case HostElementType::I64:
    return 8;
  }
  llvm_unreachable("unknown element type");
}

std::string ValueSpec::str() const {
  if (!isTensor)
    return getHostElementTypeName(elementType);
  std::string text = "tensor<";
  for (int64_t d : shape)
    text += (ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d)) +
            "x";
  return text + getHostElementTypeName(elementType) + ">";
}

int64_t HostValue::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

static std::optional<HostElementType> toHostElementType(Type type) {
  if (type.isF32())
    return HostElementType::F32;
  if (type.isF16())
    return HostElementType::F16;
  if (type.isBF16())
    return HostElementType::BF16;
  if (type.isSignlessInteger(32))
    return HostElementType::I32;
  if (type.isSignlessInteger(64))
    return HostElementType::I64;
  return std::nullopt;
}

static std::optional<ValueSpec> toValueSpec(Type type) {
  ValueSpec spec;
  Type elementType = type;
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    spec.isTensor = true;
    spec.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    elementType = tensor.getElementType();
  }
  std::optional<HostElementType> host = toHostElementType(elementType);
  if (!host)
    return std::nullopt;
  spec.elementType = *host;
  return spec;
}

/// The specs of `types` (a signature's inputs or results), or an error that
/// names the first one the host cannot exchange.
static LogicalResult collectSpecs(TypeRange types, StringRef role,
                                  StringRef verb, StringRef funcName,
                                  SmallVector<ValueSpec> &specs,
                                  std::string &error) {
  for (auto [index, type] : llvm::enumerate(types)) {
    std::optional<ValueSpec> spec = toValueSpec(type);
    if (!spec) {
      llvm::raw_string_ostream os(error);
      os << role << " #" << index << " of @" << funcName << " has type "
         << type << ": only ranked tensors and scalars of f32, f16, bf16, "
         << "i32 and i64 can be " << verb;
      return failure();
    }
    specs.push_back(*spec);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Memref descriptors and the result struct
//===----------------------------------------------------------------------===//

namespace {

/// {allocated, aligned, offset, sizes[rank], strides[rank]} as 64-bit words.
size_t descriptorWords(size_t rank) { return 3 + 2 * rank; }

/// Byte offsets of each result in the struct that several results are
/// returned in, and its size: the C layout LLVM gives the struct.
struct ResultLayout {
  SmallVector<size_t> offsets;
  size_t size = 0;
};

ResultLayout layoutResults(ArrayRef<ValueSpec> results) {
  ResultLayout layout;
  size_t offset = 0, maxAlign = 1;
  for (const ValueSpec &spec : results) {
    size_t size = spec.isTensor ? 8 * descriptorWords(spec.shape.size())
                                : getHostElementTypeSize(spec.elementType);
    size_t align = spec.isTensor ? 8 : size;
    offset = (offset + align - 1) / align * align;
    layout.offsets.push_back(offset);
    offset += size;
    maxAlign = std::max(maxAlign, align);
  }
  layout.size = (offset + maxAlign - 1) / maxAlign * maxAlign;
  return layout;
}

/// Copies a (possibly strided) memref out of `words` into a C-order host
/// value.
HostValue readMemref(const ValueSpec &spec, const int64_t *words) {
  size_t rank = spec.shape.size();
  HostValue value{spec.elementType, {}, {}};
  value.shape.assign(words + 3, words + 3 + rank);
  const int64_t *strides = words + 3 + rank;
  size_t elementSize = getHostElementTypeSize(spec.elementType);
  int64_t n = value.numElements();
  value.data.resize(n * elementSize);
  const char *base = reinterpret_cast<const char *>(words[1]) +
                     words[2] * static_cast<int64_t>(elementSize);
  // The usual case, a row-major buffer: one copy.
  bool contiguous = true;
  int64_t expected = 1;
  for (size_t d = rank; d-- > 0;) {
    contiguous &= value.shape[d] == 1 || strides[d] == expected;
    expected *= value.shape[d];
  }
  if (contiguous) {
    if (n)
      std::memcpy(value.data.data(), base, n * elementSize);
    return value;
  }
  SmallVector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t offset = 0;
    for (size_t d = 0; d < rank; ++d)
      offset += index[d] * strides[d];
    std::memcpy(&value.data[i * elementSize], base + offset * elementSize,
                elementSize);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < value.shape[d])
        break;
      index[d] = 0;
    }
  }
  return value;
}

} // namespace

//===----------------------------------------------------------------------===//
// JitFunction
//===----------------------------------------------------------------------===//

JitFunction::~JitFunction() = default;

std::unique_ptr<JitFunction>
JitFunction::compile(OwningOpRef<ModuleOp> module, StringRef funcName,
                     function_ref<void(OpPassManager &)> buildPipeline,
                     ArrayRef<std::string> sharedLibs, std::string &error,
                     bool keepObjectCode, Device device) {
  static std::once_flag initTarget;
  std::call_once(initTarget, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });

  auto func = module->lookupSymbol<func::FuncOp>(funcName);
  if (!func || func.isExternal()) {
    error = "no function @" + funcName.str() + " with a body in the module";
    return nullptr;
  }
  if (device == Device::Gpu && !cuda::initialize(error))
    return nullptr;
  std::unique_ptr<JitFunction> jit(new JitFunction());
  jit->name = funcName.str();
  jit->device = device;
  FunctionType type = func.getFunctionType();
  if (failed(collectSpecs(type.getInputs(), "argument", "passed", funcName,
                          jit->arguments, error)) ||
      failed(collectSpecs(type.getResults(), "result", "returned", funcName,
                          jit->results, error)))
    return nullptr;
  MLIRContext *context = module->getContext();
  func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(context));
  // The caller's buffers are inputs, not scratch space: bufferization must
  // not write into them (it would, e.g., accumulate a matmul into its `outs`
  // argument), or a second call would see different inputs.
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
    if (isa<TensorType>(func.getArgument(i).getType()))
      func.setArgAttr(i, "bufferization.writable", BoolAttr::get(context, false));
    // Our own argument attributes (dyt.alpha_init, dyt.role) describe the
    // model, not the code: LLVM's translation would warn about each.
    if (DictionaryAttr attrs = func.getArgAttrDict(i))
      for (NamedAttribute attr : attrs)
        if (attr.getName().strref().starts_with("dyt."))
          func.removeArgAttr(i, attr.getName());
  }

  PassManager pm(module->getContext());
  buildPipeline(pm);
  if (failed(pm.run(*module))) {
    error = "lowering @" + funcName.str() + " to the LLVM dialect failed";
    return nullptr;
  }

  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) {
    error = "cannot target the host: " + llvm::toString(builder.takeError());
    return nullptr;
  }
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  // Features LLVM's x86 backend miscompiles bf16 with (a fatal error);
  // the pipelines assume they are off (hostHasBf16Conversion).
  if (builder->getTargetTriple().isX86())
    for (StringRef feature : dyt::getHostFeaturesToDisable())
      builder->getFeatures().AddFeature(feature, /*Enable=*/false);
  auto targetMachine = builder->createTargetMachine();
  if (!targetMachine) {
    error = "cannot target the host: " +
            llvm::toString(targetMachine.takeError());
    return nullptr;
  }
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3,
                                               /*sizeLevel=*/0,
                                               targetMachine->get());
  SmallVector<StringRef> libs(sharedLibs.begin(), sharedLibs.end());
  ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  options.sharedLibPaths = libs;
  options.enableObjectDump = keepObjectCode;
  jit->objectCodeKept = keepObjectCode;
  auto engine =
      ExecutionEngine::create(*module, options, std::move(*targetMachine));
  if (!engine) {
    error = "JIT compilation failed: " + llvm::toString(engine.takeError());
    return nullptr;
  }
  jit->engine = std::move(*engine);
  if (device == Device::Gpu) {
    // The global constructors load the gpu.binary's kernels (the driver
    // compiles PTX there); the runtime records what fails.
    cuda::takeLastError();
    jit->engine->initialize();
    std::string loadError = cuda::takeLastError();
    if (!loadError.empty()) {
      error = "loading the GPU kernels of @" + funcName.str() +
              " failed: " + loadError;
      return nullptr;
    }
  }
  return jit;
}

//===----------------------------------------------------------------------===//
// Where a call's buffers live
//===----------------------------------------------------------------------===//

namespace {

/// The memory a call's tensors live in, and how a call is timed there.
class CallMemory {
public:
  virtual ~CallMemory() = default;
  /// A buffer holding `arg`'s elements for the callee to read.
  virtual FailureOr<void *> passArgument(const HostValue &arg,
                                         std::string &error) const = 0;
  /// Frees what passArgument returned.
  virtual LogicalResult releaseArgument(void *buffer,
                                        std::string &error) const = 0;
  /// The memref `words` describes, copied to the host in C order.
  virtual FailureOr<HostValue> readResult(const ValueSpec &spec,
                                          const int64_t *words,
                                          std::string &error) const = 0;
  /// Frees a buffer the callee allocated.
  virtual LogicalResult releaseResult(void *allocated,
                                      std::string &error) const = 0;
  /// Runs `invoke`, timing it into `seconds` if given, and fails with
  /// what went wrong in it.
  virtual LogicalResult run(function_ref<LogicalResult()> invoke,
                            double *seconds, std::string &error) const = 0;
};

/// CPU code: the callee reads the caller's host buffers and returns
/// malloc'ed ones.
class HostMemory final : public CallMemory {
public:
  FailureOr<void *> passArgument(const HostValue &arg,
                                 std::string &) const override {
    return const_cast<char *>(arg.data.data());
  }
  LogicalResult releaseArgument(void *, std::string &) const override {
    return success();
  }
  FailureOr<HostValue> readResult(const ValueSpec &spec, const int64_t *words,
                                  std::string &) const override {
    return readMemref(spec, words);
  }
  LogicalResult releaseResult(void *allocated, std::string &) const override {
    std::free(allocated);
    return success();
  }
  LogicalResult run(function_ref<LogicalResult()> invoke, double *seconds,
                    std::string &) const override {
    auto start = std::chrono::steady_clock::now();
    LogicalResult status = invoke();
    if (seconds)
      *seconds = std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - start)
                     .count();
    return status;
  }
};

/// dyt-nvvm-pipeline's host code: tensors in CUDA device memory, results
/// allocated by the runtime (its stream-ordered pool, or cuMemAlloc), GPU
/// time measured with events.
class CudaMemory final : public CallMemory {
public:
  FailureOr<void *> passArgument(const HostValue &arg,
                                 std::string &error) const override {
    void *buffer = cuda::allocate(arg.data.size(), error);
    if (!buffer && !arg.data.empty())
      return failure();
    std::string ignored;
    if (!cuda::copyToDevice(buffer, arg.data.data(), arg.data.size(), error)) {
      cuda::release(buffer, ignored);
      return failure();
    }
    return buffer;
  }
  LogicalResult releaseArgument(void *buffer,
                                std::string &error) const override {
    return success(cuda::release(buffer, error));
  }
  /// The span from the first element to the last, copied to a host staging
  /// buffer, read as the CPU path reads a result (strides respected).
  FailureOr<HostValue> readResult(const ValueSpec &spec, const int64_t *words,
                                  std::string &error) const override {
    size_t rank = spec.shape.size();
    size_t elementSize = getHostElementTypeSize(spec.elementType);
    int64_t lastIndex = 0;
    bool empty = false;
    for (size_t d = 0; d < rank; ++d) {
      empty |= words[3 + d] == 0;
      lastIndex += (words[3 + d] - 1) * words[3 + rank + d];
    }
    std::vector<char> staging(empty ? 0 : (lastIndex + 1) * elementSize);
    const char *first = reinterpret_cast<const char *>(words[1]) +
                        words[2] * static_cast<int64_t>(elementSize);
    if (!cuda::copyToHost(staging.data(), first, staging.size(), error))
      return failure();
    std::vector<int64_t> staged(words, words + descriptorWords(rank));
    staged[1] = reinterpret_cast<int64_t>(staging.data());
    staged[2] = 0;
    return readMemref(spec, staged.data());
  }
  LogicalResult releaseResult(void *allocated,
                              std::string &error) const override {
    return success(cuda::release(allocated, error));
  }
  /// The mgpu* functions never fail the call: they record their first error
  /// for takeLastError.
  LogicalResult run(function_ref<LogicalResult()> invoke, double *seconds,
                    std::string &error) const override {
    LogicalResult status = success();
    std::vector<double> times;
    bool timed = true;
    if (seconds)
      timed = cuda::timeWithEvents([&] { status = invoke(); }, 1, times, error);
    else
      status = invoke();
    std::string runtimeError = cuda::takeLastError();
    if (!timed || failed(status))
      return failure();
    if (seconds)
      *seconds = times.front();
    if (!runtimeError.empty()) {
      error = runtimeError;
      return failure();
    }
    return success();
  }
};

const CallMemory &getCallMemory(Device device) {
  static const HostMemory host;
  static const CudaMemory cuda;
  return device == Device::Gpu ? static_cast<const CallMemory &>(cuda) : host;
}

//===----------------------------------------------------------------------===//
// A call
//===----------------------------------------------------------------------===//

/// One function's packed arguments (descriptors of the memory's buffers,
/// scalar slots) and result storage, for one or more calls on the same
/// arguments.
class Invocation {
public:
  Invocation(StringRef name, ArrayRef<ValueSpec> arguments,
             ArrayRef<ValueSpec> results, ExecutionEngine &engine,
             const CallMemory &memory)
      : name(name), arguments(arguments), results(results), engine(engine),
        memory(memory), layout(layoutResults(results)),
        resultStorage((layout.size + 7) / 8 + 1, 0) {}
  Invocation(const Invocation &) = delete;
  Invocation &operator=(const Invocation &) = delete;
  ~Invocation() {
    std::string ignored;
    (void)releaseArguments(ignored);
  }

  /// Checks `args` against the signature (errors name the argument) and
  /// passes them to the memory.
  LogicalResult pass(ArrayRef<HostValue> args, std::string &error);
  /// Calls the function; on failure frees what it returned.
  LogicalResult invoke(double *seconds, std::string &error);
  /// Copies the results to `out` (unless null) and frees the callee's
  /// buffers.
  LogicalResult takeResults(std::vector<HostValue> *out, std::string &error);
  LogicalResult releaseArguments(std::string &error);

private:
  std::string describe(size_t i) const {
    return "argument #" + std::to_string(i) + " (" + arguments[i].str() + ")";
  }
  /// Whether the callee allocated `allocated` (not inside an argument).
  bool ownedByCallee(const void *allocated) const {
    for (auto [buffer, size] : argumentBuffers)
      if (allocated >= buffer && allocated < buffer + size)
        return false;
    return allocated != nullptr;
  }

  std::string name;
  ArrayRef<ValueSpec> arguments, results;
  ExecutionEngine &engine;
  const CallMemory &memory;
  ResultLayout layout;
  /// The memory's buffer of each tensor argument, and its size.
  SmallVector<std::pair<const char *, size_t>> argumentBuffers;
  std::vector<std::vector<int64_t>> descriptors;
  std::vector<void *> descriptorPointers;
  std::vector<int64_t> scalarSlots;
  std::vector<int64_t> resultStorage;
  void *resultPointer = nullptr;
  SmallVector<void *> packed;
};

LogicalResult Invocation::pass(ArrayRef<HostValue> args, std::string &error) {
  if (args.size() != arguments.size()) {
    error = "@" + name + " takes " + std::to_string(arguments.size()) +
            " arguments, got " + std::to_string(args.size());
    return failure();
  }

  // Arguments: descriptors for tensors, 8-byte slots for scalars.
  scalarSlots.assign(args.size(), 0);
  descriptors.reserve(args.size());
  descriptorPointers.reserve(args.size());
  // Result storage comes first in the argument list when there is any.
  bool scalarReturn = results.size() == 1 && !results[0].isTensor;
  if (!results.empty() && !scalarReturn) {
    resultPointer = resultStorage.data();
    packed.push_back(&resultPointer);
  }
  for (auto [i, arg] : llvm::enumerate(args)) {
    const ValueSpec &spec = arguments[i];
    if (arg.elementType != spec.elementType) {
      error = describe(i) + ": expected " +
              getHostElementTypeName(spec.elementType) + " elements, got " +
              getHostElementTypeName(arg.elementType);
      return failure();
    }
    size_t expectedBytes =
        arg.numElements() * getHostElementTypeSize(arg.elementType);
    if (arg.data.size() != expectedBytes) {
      error = describe(i) + ": holds " + std::to_string(arg.data.size()) +
              " bytes, its shape needs " + std::to_string(expectedBytes);
      return failure();
    }
    if (!spec.isTensor) {
      if (!arg.shape.empty()) {
        error = describe(i) + ": a scalar needs a 0-d array, got rank " +
                std::to_string(arg.shape.size());
        return failure();
      }
      std::memcpy(&scalarSlots[i], arg.data.data(), arg.data.size());
      packed.push_back(&scalarSlots[i]);
      continue;
    }
    if (arg.shape.size() != spec.shape.size()) {
      error = describe(i) + ": expected rank " +
              std::to_string(spec.shape.size()) + ", got rank " +
              std::to_string(arg.shape.size());
      return failure();
    }
    for (auto [d, size] : llvm::enumerate(spec.shape)) {
      if (!ShapedType::isDynamic(size) && size != arg.shape[d]) {
        error = describe(i) + ": dim " + std::to_string(d) + " must be " +
                std::to_string(size) + ", got " + std::to_string(arg.shape[d]);
        return failure();
      }
    }
    FailureOr<void *> buffer = memory.passArgument(arg, error);
    if (failed(buffer)) {
      error = describe(i) + ": " + error;
      return failure();
    }
    argumentBuffers.push_back(
        {static_cast<const char *>(*buffer), arg.data.size()});
    size_t rank = arg.shape.size();
    std::vector<int64_t> words(descriptorWords(rank), 0);
    words[0] = words[1] = reinterpret_cast<int64_t>(*buffer);
    int64_t stride = 1;
    for (size_t d = rank; d-- > 0;) {
      words[3 + d] = arg.shape[d];
      words[3 + rank + d] = stride;
      stride *= arg.shape[d];
    }
    descriptors.push_back(std::move(words));
    descriptorPointers.push_back(descriptors.back().data());
    packed.push_back(&descriptorPointers.back());
  }
  if (scalarReturn)
    packed.push_back(resultStorage.data());
  return success();
}

LogicalResult Invocation::invoke(double *seconds, std::string &error) {
  std::string why;
  auto callPacked = [&] {
    llvm::Error callError =
        engine.invokePacked("_mlir_ciface_" + name, packed);
    if (!callError)
      return success();
    why = llvm::toString(std::move(callError));
    return failure();
  };
  if (succeeded(memory.run(callPacked, seconds, why)))
    return success();
  error = "calling @" + name + " failed: " + why;
  std::string ignored;
  (void)takeResults(nullptr, ignored);
  return failure();
}

LogicalResult Invocation::takeResults(std::vector<HostValue> *out,
                                      std::string &error) {
  // Copy every result out before freeing anything: several results may
  // share one buffer (a tensor returned twice, or a reshape of another).
  if (out)
    out->clear();
  LogicalResult status = success();
  SmallVector<void *> toFree;
  const char *base = reinterpret_cast<const char *>(resultStorage.data());
  for (auto [i, spec] : llvm::enumerate(results)) {
    size_t offset = results.size() == 1 ? 0 : layout.offsets[i];
    if (!spec.isTensor) {
      HostValue value{spec.elementType, {}, {}};
      value.data.assign(base + offset,
                        base + offset + getHostElementTypeSize(spec.elementType));
      if (out)
        out->push_back(std::move(value));
      continue;
    }
    const auto *words = reinterpret_cast<const int64_t *>(base + offset);
    toFree.push_back(reinterpret_cast<void *>(words[0]));
    if (!out || failed(status))
      continue;
    FailureOr<HostValue> value = memory.readResult(spec, words, error);
    if (failed(value))
      status = failure();
    else
      out->push_back(std::move(*value));
  }
  // A buffer that lies inside an argument was not allocated by the callee.
  SmallPtrSet<void *, 4> freed;
  for (void *allocated : toFree) {
    std::string releaseError;
    if (ownedByCallee(allocated) && freed.insert(allocated).second &&
        failed(memory.releaseResult(allocated, releaseError)) &&
        succeeded(status)) {
      error = releaseError;
      status = failure();
    }
  }
  // Nothing is freed twice, should the next call fail before returning.
  std::fill(resultStorage.begin(), resultStorage.end(), 0);
  return status;
}

LogicalResult Invocation::releaseArguments(std::string &error) {
  LogicalResult status = success();
  for (auto [buffer, size] : argumentBuffers) {
    std::string releaseError;
    if (failed(memory.releaseArgument(const_cast<char *>(buffer),
                                      releaseError)) &&
        succeeded(status)) {
      error = releaseError;
      status = failure();
    }
  }
  argumentBuffers.clear();
  return status;
}

} // namespace

//===----------------------------------------------------------------------===//
// JitFunction's calls
//===----------------------------------------------------------------------===//

LogicalResult JitFunction::call(ArrayRef<HostValue> args,
                                std::vector<HostValue> &out,
                                std::string &error, double *seconds) {
  Invocation invocation(name, arguments, results, *engine,
                        getCallMemory(device));
  if (failed(invocation.pass(args, error)) ||
      failed(invocation.invoke(seconds, error)) ||
      failed(invocation.takeResults(&out, error)))
    return failure();
  return invocation.releaseArguments(error);
}

FailureOr<uint64_t> JitFunction::getCodeSize(std::string &error) const {
  if (!objectCodeKept) {
    error = "the object code of @" + name + " was not kept (keepObjectCode)";
    return failure();
  }
  SmallString<128> path;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("dyt-code", "o", path)) {
    error = "cannot create a temporary file: " + ec.message();
    return failure();
  }
  llvm::FileRemover remover(path);
  engine->dumpToObjectFile(path);
  auto object = llvm::object::ObjectFile::createObjectFile(path);
  if (!object) {
    error = "cannot read the object code: " +
            llvm::toString(object.takeError());
    return failure();
  }
  uint64_t size = 0;
  for (const llvm::object::SectionRef &section :
       object->getBinary()->sections())
    if (section.isText())
      size += section.getSize();
  return size;
}

/// libdyt_cuda_runtime.so in lib/ beside the running tool's bin/ (a moved
/// or installed tree), else where the build put it.
static std::string findCudaRuntimeLibrary() {
  StringRef built = DYT_CUDA_RUNTIME_LIBRARY;
  std::string tool = llvm::sys::fs::getMainExecutable(
      nullptr, reinterpret_cast<void *>(&findCudaRuntimeLibrary));
  SmallString<256> beside(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(tool)));
  llvm::sys::path::append(beside, "lib", llvm::sys::path::filename(built));
  return llvm::sys::fs::exists(beside) ? beside.str().str() : built.str();
}

std::vector<std::string> mlir::dyt::getRuntimeLibraries(Device device) {
  std::vector<std::string> libs;
  for (const char *name : {"libmlir_c_runner_utils.so", "libomp.so"}) {
    std::string path = std::string(DYT_LLVM_LIBRARY_DIR) + "/" + name;
    if (llvm::sys::fs::exists(path))
      libs.push_back(path);
  }
  if (device == Device::Gpu) {
    std::string path = findCudaRuntimeLibrary();
    if (llvm::sys::fs::exists(path))
      libs.push_back(path);
  }
  return libs;
}

std::string mlir::dyt::getGpuChip() {
  int capability = cuda::getComputeCapability();
  return capability ? "sm_" + std::to_string(capability) : "";
}

std::optional<uint64_t> ValueSpec::getStaticBytes() const {
  if (!isTensor)
    return 8;
  if (llvm::any_of(shape, ShapedType::isDynamic))
    return std::nullopt;
  return getShapeBytes(std::vector<int64_t>(shape.begin(), shape.end()),
                       getHostElementTypeSize(elementType));
}

BenchTiming mlir::dyt::summarizeTimes(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  double median = seconds[seconds.size() / 2];
  if (seconds.size() % 2 == 0)
    median = (median + seconds[seconds.size() / 2 - 1]) / 2;
  return BenchTiming{median, seconds.front()};
}

/// `iterations` timed calls of `invocation` (its arguments passed), each
/// followed by `peer` (if any), which times itself; one untimed pair first
/// when there is a peer: its warm-up (the call had one), and whatever the
/// peer allocates no longer sits in the heap block the call's results come
/// from.
static FailureOr<BenchTiming>
timeInterleaved(Invocation &invocation, unsigned iterations,
                std::string &error,
                function_ref<LogicalResult(double &, std::string &)> peer) {
  std::vector<double> seconds, peerSeconds, ratios;
  auto timedCall = [&](double &s) {
    return success(succeeded(invocation.invoke(&s, error)) &&
                   succeeded(invocation.takeResults(nullptr, error)));
  };
  double ignored = 0;
  if (peer && (failed(timedCall(ignored)) || failed(peer(ignored, error))))
    return failure();
  for (unsigned i = 0; i < iterations; ++i) {
    double s = 0, p = 0;
    if (failed(timedCall(s)))
      return failure();
    seconds.push_back(s);
    if (peer) {
      if (failed(peer(p, error)))
        return failure();
      peerSeconds.push_back(p);
      ratios.push_back(p / std::max(s, 1e-12));
    }
  }
  if (failed(invocation.releaseArguments(error)))
    return failure();
  BenchTiming timing = summarizeTimes(std::move(seconds));
  if (peer) {
    timing.peerMedianSeconds =
        summarizeTimes(std::move(peerSeconds)).medianSeconds;
    timing.peerRatio = summarizeTimes(std::move(ratios)).medianSeconds;
  }
  return timing;
}

FailureOr<BenchTiming> JitFunction::bench(ArrayRef<HostValue> args,
                                          unsigned iterations,
                                          std::string &error,
                                          function_ref<void()> peer) {
  Invocation invocation(name, arguments, results, *engine,
                        getCallMemory(device));
  if (failed(invocation.pass(args, error)))
    return failure();
  auto timedPeer = [&](double &p, std::string &) {
    auto start = std::chrono::steady_clock::now();
    peer();
    p = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    return success();
  };
  return timeInterleaved(invocation, iterations, error,
                         peer ? function_ref<LogicalResult(
                                    double &, std::string &)>(timedPeer)
                              : nullptr);
}

FailureOr<BenchTiming> JitFunction::benchAgainst(ArrayRef<HostValue> args,
                                                 JitFunction &other,
                                                 ArrayRef<HostValue> otherArgs,
                                                 unsigned iterations,
                                                 std::string &error) {
  if (other.device != device) {
    error = "cannot time a CPU and a GPU function against each other";
    return failure();
  }
  Invocation invocation(name, arguments, results, *engine,
                        getCallMemory(device));
  Invocation peer(other.name, other.arguments, other.results, *other.engine,
                  getCallMemory(device));
  if (failed(invocation.pass(args, error)) ||
      failed(peer.pass(otherArgs, error)))
    return failure();
  auto timedPeer = [&](double &p, std::string &peerError) {
    return success(succeeded(peer.invoke(&p, peerError)) &&
                   succeeded(peer.takeResults(nullptr, peerError)));
  };
  FailureOr<BenchTiming> timing =
      timeInterleaved(invocation, iterations, error, timedPeer);
  if (failed(timing) || failed(peer.releaseArguments(error)))
    return failure();
  return timing;
}

FailureOr<BenchTiming> mlir::dyt::benchDeviceCopy(uint64_t bytes,
                                                  unsigned iterations,
                                                  std::string &error) {
  void *from = cuda::allocate(bytes, error);
  void *to = from ? cuda::allocate(bytes, error) : nullptr;
  std::string copyError;
  std::vector<double> seconds;
  // One copy first, untimed, as the call being compared had a warm-up.
  bool timed = to && cuda::copyOnDevice(to, from, bytes, error) &&
               cuda::timeWithEvents(
                   [&] {
                     if (copyError.empty())
                       cuda::copyOnDevice(to, from, bytes, copyError);
                   },
                   iterations, seconds, error);
  std::string ignored;
  cuda::release(to, ignored);
  cuda::release(from, ignored);
  if (!copyError.empty())
    error = copyError;
  if (!timed || !copyError.empty())
    return failure();
  return summarizeTimes(std::move(seconds));
}
