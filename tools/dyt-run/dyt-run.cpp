//===- dyt-run.cpp - JIT-run a function of an MLIR file on numpy data ------===//
//
//   dyt-run FILE.mlir -e FUNC [--input A.npy]... [--output OUT.npy]...
//           [--random [--random-dims N,...] [--seed N]] [--bench N]
//           [--threads N] [--json]
//           [--check] [--pipeline=...] [--device cpu|gpu]
//
// Compiles FUNC with dyt-cpu-pipeline (or --pipeline), runs it in-process on
// .npy inputs (or seeded random ones), writes results as .npy, optionally
// times it and differentially checks it against dyt-cpu-reference-pipeline.
// With --device gpu it compiles with dyt-nvvm-pipeline (for the device's
// sm_XY) instead, copies the inputs to device memory and the results back,
// and times calls with CUDA events; --check still runs the CPU reference.
// Every error names what is wrong and exits 1; no partial output is left.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Utils.h"
#include "dyt/Execution/JitFunction.h"
#include "dyt/Execution/RandomInputs.h"
#include "dyt/Execution/ReachableFunctions.h"
#include "dyt/InitAllDyt.h"
#include "dyt/Pipelines/CpuPipeline.h"
#include "dyt/Pipelines/NvvmPipeline.h"
#include "dyt/Runtime/CudaRuntime.h"
#include "dyt/Runtime/FloatConversions.h"
#include "dyt/Runtime/Memory.h"
#include "dyt/Runtime/Npy.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <malloc.h>
#include <random>
#include <thread>

using namespace mlir;
using namespace mlir::dyt;
namespace cl = llvm::cl;

// The tool's own options: --help lists these, not the hundreds LLVM
// registers (those are hidden, and still parse).
static cl::OptionCategory runCategory("dyt-run options");

static cl::opt<std::string> inputFile(cl::Positional, cl::cat(runCategory), cl::desc("<input.mlir>"),
                                      cl::Required);
static cl::opt<std::string> entry("e", cl::cat(runCategory), cl::desc("The function to run"),
                                  cl::value_desc("FUNC"), cl::Required);
static cl::list<std::string>
    inputs("input", cl::cat(runCategory), cl::desc("A .npy file per argument, in order"),
           cl::value_desc("A.npy"));
static cl::list<std::string>
    outputs("output", cl::cat(runCategory), cl::desc("A .npy file per result, in order"),
            cl::value_desc("OUT.npy"));
static cl::opt<bool> randomInputs("random", cl::cat(runCategory),
                            cl::desc("Seeded random inputs from the "
                                     "signature (dynamic dims: "
                                     "--random-dims)"));
static cl::list<int64_t> randomDims(
    "random-dims", cl::cat(runCategory), cl::CommaSeparated,
    cl::desc("With --random: the sizes of the arguments' dynamic dims, in "
             "order (e.g. 8192,4096,4096 for (tensor<?x?xf32>, "
             "tensor<?xf32>))"),
    cl::value_desc("N,..."));
static cl::opt<unsigned> seed("seed", cl::cat(runCategory), cl::desc("Seed for --random"),
                              cl::init(0));
static cl::opt<unsigned> bench("bench", cl::cat(runCategory),
                               cl::desc("Time N runs after a warm-up"),
                               cl::value_desc("N"), cl::init(0));
static cl::opt<std::string> benchAgainst(
    "bench-against", cl::cat(runCategory),
    cl::desc("With --bench and --random: after each timed call of FUNC, time "
             "FUNC2 of the same module on its own seeded random inputs "
             "(FUNC2/FUNC, median of the pairs; e.g. a fused matmul + DyT "
             "against the matmul alone)"),
    cl::value_desc("FUNC2"), cl::init(""));
static cl::opt<bool> json("json", cl::cat(runCategory), cl::desc("With --bench: end with one JSON "
                                           "line"));
static cl::opt<bool>
    check("check", cl::cat(runCategory), cl::desc("Also run dyt-cpu-reference-pipeline and fail "
                            "if the results differ beyond --rtol/--atol (a "
                            "function that reaches a matmul or other "
                            "contraction: rtol relative to at least the "
                            "result's RMS)"));
static cl::opt<double> relTolerance("rtol", cl::cat(runCategory), cl::desc("--check relative tolerance "
                                             "(default: by element type)"),
                            cl::init(-1));
static cl::opt<double> absTolerance("atol", cl::cat(runCategory), cl::desc("--check absolute tolerance "
                                             "(default: by element type)"),
                            cl::init(-1));
static cl::opt<std::string> pipeline(
    "pipeline", cl::cat(runCategory),
    cl::desc("A textual pass pipeline to use instead of dyt-cpu-pipeline "
             "(dyt-nvvm-pipeline with --device gpu), e.g. "
             "'dyt-cpu-pipeline{vector-bits=256}', "
             "'dyt-cpu-reference-pipeline' or "
             "'dyt-nvvm-pipeline{fast-tanh=true}'"),
    cl::init(""));
static cl::opt<std::string>
    deviceName("device", cl::cat(runCategory),
               cl::desc("Where FUNC runs: cpu (default) or gpu (CUDA: "
                        "dyt-nvvm-pipeline, data in device memory)"),
               cl::value_desc("cpu|gpu"), cl::init("cpu"));

namespace {

[[noreturn]] void fail(const llvm::Twine &message) {
  llvm::errs() << "dyt-run: error: " << message << "\n";
  std::exit(1);
}

//===----------------------------------------------------------------------===//
// Host values <-> .npy
//===----------------------------------------------------------------------===//

/// The .npy dtype a result of `type` is written as (bf16: float32, which
/// numpy has and bf16 converts to exactly).
NpyDType npyTypeFor(HostElementType type) {
  switch (type) {
  case HostElementType::F16:
    return NpyDType::Float16;
  case HostElementType::F32:
  case HostElementType::BF16:
    return NpyDType::Float32;
  case HostElementType::I32:
    return NpyDType::Int32;
  case HostElementType::I64:
    return NpyDType::Int64;
  }
  llvm_unreachable("unknown element type");
}

/// Element `i` of `value` as a double (for comparisons and conversions).
double elementAt(const HostValue &value, int64_t i) {
  const char *p = value.data.data() + i * getHostElementTypeSize(value.elementType);
  uint16_t h;
  switch (value.elementType) {
  case HostElementType::F32: {
    float f;
    std::memcpy(&f, p, 4);
    return f;
  }
  case HostElementType::F16:
    std::memcpy(&h, p, 2);
    return f16ToF32(h);
  case HostElementType::BF16:
    std::memcpy(&h, p, 2);
    return bf16ToF32(h);
  case HostElementType::I32: {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  case HostElementType::I64: {
    int64_t v;
    std::memcpy(&v, p, 8);
    return double(v);
  }
  }
  llvm_unreachable("unknown element type");
}

/// Converts a .npy array to the argument's element type. Floats convert
/// between float16/32/64 (bf16 arguments take float32 or float64 arrays,
/// since numpy has no bf16); integers must match exactly.
HostValue fromNpy(const NpyArray &array, const ValueSpec &spec,
                  const std::string &what) {
  HostValue value{spec.elementType, array.shape, {}};
  int64_t n = array.numElements();
  bool floatArray = array.dtype == NpyDType::Float16 ||
                    array.dtype == NpyDType::Float32 ||
                    array.dtype == NpyDType::Float64;
  bool floatArg = spec.elementType == HostElementType::F32 ||
                  spec.elementType == HostElementType::F16 ||
                  spec.elementType == HostElementType::BF16;
  if (!floatArg) {
    bool matches = (spec.elementType == HostElementType::I32 &&
                    array.dtype == NpyDType::Int32) ||
                   (spec.elementType == HostElementType::I64 &&
                    array.dtype == NpyDType::Int64);
    if (!matches)
      fail(what + ": " + spec.str() + " needs " +
           npyDTypeName(npyTypeFor(spec.elementType)) + " data, got " +
           npyDTypeName(array.dtype));
    value.data = array.data;
    return value;
  }
  if (!floatArray)
    fail(what + ": " + spec.str() + " needs floating-point data, got " +
         npyDTypeName(array.dtype));
  size_t size = getHostElementTypeSize(spec.elementType);
  value.data.resize(n * size);
  for (int64_t i = 0; i < n; ++i) {
    float f;
    const char *p = array.data.data() + i * npyDTypeSize(array.dtype);
    if (array.dtype == NpyDType::Float16) {
      uint16_t h;
      std::memcpy(&h, p, 2);
      f = f16ToF32(h);
    } else if (array.dtype == NpyDType::Float32) {
      std::memcpy(&f, p, 4);
    } else {
      double d;
      std::memcpy(&d, p, 8);
      f = float(d);
    }
    storeFloat(spec.elementType, f, value.data.data() + i * size);
  }
  return value;
}

NpyArray toNpy(const HostValue &value) {
  NpyArray array;
  array.dtype = npyTypeFor(value.elementType);
  array.shape = value.shape;
  if (value.elementType != HostElementType::BF16) {
    array.data = value.data;
    return array;
  }
  int64_t n = value.numElements();
  array.data.resize(n * 4);
  for (int64_t i = 0; i < n; ++i) {
    float f = float(elementAt(value, i));
    std::memcpy(&array.data[i * 4], &f, 4);
  }
  return array;
}

//===----------------------------------------------------------------------===//
// --check
//===----------------------------------------------------------------------===//

/// Default tolerances of the fast pipeline against the reference one: a few
/// ulps of the element type (the fast tanh and reassociated reductions differ
/// from libm and sequential sums in the last bits of f32).
std::pair<double, double> defaultTolerance(HostElementType type) {
  switch (type) {
  case HostElementType::F32:
    return {1e-4, 1e-5};
  case HostElementType::F16:
    return {4.0 / 1024, 1e-3};
  case HostElementType::BF16:
    return {4.0 / 128, 1e-2};
  case HostElementType::I32:
  case HostElementType::I64:
    return {0, 0};
  }
  llvm_unreachable("unknown element type");
}

/// Whether function `name` of `module`, or a function it calls, has a
/// contraction (matmul, batch_matmul, a contraction generic): its results
/// are then sums of many products, which the fast pipeline adds in another
/// order than the reference's sequential loop.
bool reachesContraction(ModuleOp module, StringRef name) {
  return llvm::any_of(getReachableFunctions(module, name), [](Operation *func) {
    return func->walk([](Operation *op) {
                 return isContraction(op) ? WalkResult::interrupt()
                                          : WalkResult::advance();
               })
        .wasInterrupted();
  });
}

/// The root mean square of the finite elements of `value` (0 if none).
double rootMeanSquare(const HostValue &value) {
  double sum = 0;
  int64_t count = 0;
  for (int64_t i = 0, n = value.numElements(); i < n; ++i) {
    double x = elementAt(value, i);
    if (std::isfinite(x)) {
      sum += x * x;
      ++count;
    }
  }
  return count ? std::sqrt(sum / double(count)) : 0;
}

/// Compares `fast` (what `fastName` computed) with `reference`; prints the
/// largest error of each result and returns false on the first element out
/// of tolerance: |fast - reference| <= atol + rtol * |reference|.
///
/// With `sumsProducts`, the relative term is rtol * max(|reference|,
/// rms(reference)): two summation orders of a K-long dot product differ by
/// rounding errors of the size of its terms, not of its result, and a result
/// that cancels to near 0 would fail any bound relative to itself (a
/// 197x768x3072 matmul of --random data, whose result has an RMS of about
/// 37, differs by up to 6e-5, and several elements lie near 0). Norm-wise
/// bounds of this kind are how BLAS test suites compare matmuls. The floor
/// applies to every result of such a function, whether or not a contraction
/// computed it, and one RMS serves the whole tensor.
bool compareResults(const std::vector<HostValue> &fast, StringRef fastName,
                    const std::vector<HostValue> &reference,
                    bool sumsProducts) {
  bool ok = true;
  for (size_t r = 0; r < fast.size(); ++r) {
    const HostValue &a = fast[r], &b = reference[r];
    if (a.shape != b.shape) {
      llvm::errs() << "dyt-run: check failed: result #" << r
                   << " has different shapes in the two pipelines\n";
      return false;
    }
    auto [defaultRel, defaultAbs] = defaultTolerance(a.elementType);
    double rel = relTolerance >= 0 ? double(relTolerance) : defaultRel;
    double abs = absTolerance >= 0 ? double(absTolerance) : defaultAbs;
    double maxAbs = 0;
    int64_t n = a.numElements();
    if (a.elementType == HostElementType::I32 ||
        a.elementType == HostElementType::I64) {
      // Integers compare exactly (through double, differences above 2^53
      // would vanish).
      if (a.data != b.data) {
        llvm::errs() << "dyt-run: check failed: result #" << r
                     << " (integers) differs between the pipelines\n";
        ok = false;
      }
      llvm::outs() << "check: result #" << r << ": " << n
                   << " elements, identical: " << (a.data == b.data ? "yes" : "no")
                   << "\n";
      continue;
    }
    double rmsFloor = sumsProducts ? rootMeanSquare(b) : 0;
    for (int64_t i = 0; i < n; ++i) {
      double x = elementAt(a, i), y = elementAt(b, i);
      bool same = (std::isnan(x) && std::isnan(y)) ||
                  (std::isinf(y) && x == y) ||
                  (std::isfinite(y) &&
                   std::fabs(x - y) <=
                       abs + rel * std::max(std::fabs(y), rmsFloor));
      if (std::isfinite(x) && std::isfinite(y))
        maxAbs = std::max(maxAbs, std::fabs(x - y));
      if (!same && ok) {
        llvm::errs() << "dyt-run: check failed: result #" << r
                     << " element " << i << ": " << x << " (" << fastName
                     << ") vs " << y
                     << " (reference), tolerance " << abs << " + " << rel;
        if (sumsProducts)
          llvm::errs() << " * max(|reference|, rms(reference) = " << rmsFloor
                       << ")\n";
        else
          llvm::errs() << " * |reference|\n";
        ok = false;
      }
    }
    llvm::outs() << "check: result #" << r << ": " << n
                 << " elements, max abs difference " << maxAbs << "\n";
  }
  return ok;
}

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

/// FUNC compiled for `device` (the reference: with the CPU reference
/// pipeline, on the CPU).
std::unique_ptr<JitFunction> compileWith(ModuleOp module, bool reference,
                                         unsigned threadCount, Device device,
                                         StringRef function = entry) {
  if (reference)
    device = Device::Cpu;
  std::vector<std::string> libs = getRuntimeLibraries(device);
  bool parallel = !reference && pipeline.empty() && threadCount > 1;
  std::string error, pipelineError;
  auto build = [&](OpPassManager &pm) {
    if (reference)
      return buildDytCpuReferencePipeline(pm);
    if (pipeline.empty() && device == Device::Gpu) {
      DytNvvmPipelineOptions options;
      options.chip = getGpuChip();
      return buildDytNvvmPipeline(pm, options);
    }
    if (pipeline.empty()) {
      DytCpuPipelineOptions options;
      options.parallel = parallel;
      return buildDytCpuPipeline(pm, options);
    }
    llvm::raw_string_ostream os(pipelineError);
    if (failed(parsePassPipeline(pipeline, pm, os)))
      pm.clear();
  };
  std::unique_ptr<JitFunction> jit =
      JitFunction::compile(OwningOpRef<ModuleOp>(module.clone()), function, build,
                           libs, error, /*keepObjectCode=*/false, device);
  if (!pipelineError.empty())
    fail("bad --pipeline: " + pipelineError);
  if (!jit)
    fail(error);
  return jit;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM registers an undocumented option named "threads" of its own;
  // move it aside so that --threads is dyt-run's.
  if (cl::Option *other = cl::getRegisteredOptions().lookup("threads")) {
    other->setArgStr("llvm-internal-threads");
    other->setHiddenFlag(cl::ReallyHidden);
  }
  static cl::opt<unsigned> threadLimit(
      "threads", cl::cat(runCategory),
      cl::desc("Threads to use (default: the machine's); above 1 the outer "
               "loops run on OpenMP"),
      cl::value_desc("N"), cl::init(0));
  registerAllPasses();
  // A failed run-time check in compiled code (cf.assert: e.g. gamma's size
  // differs from the input's) prints its message with puts() and aborts;
  // unbuffered, the message survives the abort even through a pipe.
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  cl::HideUnrelatedOptions(runCategory);
  cl::ParseCommandLineOptions(argc, argv,
                              "dyt-run: JIT-run a function on numpy data\n");
  if (!randomDims.empty() && !randomInputs)
    fail("--random-dims needs --random");
  if (!benchAgainst.empty() && (!bench || !randomInputs))
    fail("--bench-against needs --bench and --random (the other function "
         "gets its own seeded random inputs)");
  if (deviceName != "cpu" && deviceName != "gpu")
    fail("unknown --device '" + deviceName + "' (cpu or gpu)");
  Device device = deviceName == "gpu" ? Device::Gpu : Device::Cpu;
  if (device == Device::Gpu && threadLimit.getNumOccurrences())
    fail("--threads does not apply to --device gpu (host threads do not "
         "run the kernels)");
  // Before anything is compiled: the pipeline targets this device's chip.
  if (std::string error;
      device == Device::Gpu && !::dyt::cuda::initialize(error))
    fail("--device gpu: " + error);

  unsigned threadCount =
      threadLimit ? unsigned(threadLimit)
              : std::max(1u, std::thread::hardware_concurrency());
  // libomp reads this when it starts, which is on the first parallel loop.
  setenv("OMP_NUM_THREADS", std::to_string(threadCount).c_str(), 1);
  // Keep large blocks in the heap (glibc caps the mmap threshold at 32 MiB,
  // so disable mmap for them outright): each run's result buffer then
  // reuses the memory freed by the previous run instead of faulting in fresh
  // zeroed pages, as a steady-state allocator would.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, -1);

  DialectRegistry registry;
  registerAllDialectsAndExtensions(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(inputFile, sourceMgr,
                                                           &context);
  if (!module)
    fail("cannot parse '" + inputFile + "'");

  std::unique_ptr<JitFunction> jit =
      compileWith(*module, false, threadCount, device);
  ArrayRef<ValueSpec> argSpecs = jit->getArguments();
  ArrayRef<ValueSpec> resultSpecs = jit->getResults();

  // Memory: static result shapes are known now; with --check every result
  // exists twice.
  // (A dynamic result's size is known only once it has run.)
  uint64_t resultBytes = 0;
  for (const ValueSpec &spec : resultSpecs)
    resultBytes = addBytes(resultBytes, spec.getStaticBytes().value_or(0));
  uint64_t staticResultBytes = resultBytes;
  if (check)
    resultBytes = addBytes(resultBytes, staticResultBytes);
  // --bench on the CPU copies the results' bytes between two more buffers
  // (not with --bench-against, whose peer is the other function).
  if (bench && device == Device::Cpu && benchAgainst.empty())
    resultBytes = addBytes(resultBytes, addBytes(staticResultBytes,
                                                 staticResultBytes));
  std::string memoryError;

  // Arguments.
  std::vector<HostValue> args;
  if (randomInputs) {
    if (!inputs.empty())
      fail("--random and --input exclude each other");
    uint64_t argBytes = 0;
    for (const ValueSpec &spec : argSpecs)
      if (spec.isTensor)
        argBytes = addBytes(argBytes, spec.getStaticBytes().value_or(0));
    if (!checkMemoryAvailable(addBytes(argBytes, resultBytes),
                              "@" + entry + " (random arguments and results)",
                              memoryError))
      fail(memoryError);
    size_t dynamicDims = 0;
    for (const ValueSpec &spec : argSpecs)
      if (spec.isTensor)
        dynamicDims += llvm::count_if(spec.shape, ShapedType::isDynamic);
    if (!randomDims.empty() && randomDims.size() != dynamicDims)
      fail("--random-dims gives " + std::to_string(randomDims.size()) +
           " sizes, but the arguments of @" + entry + " have " +
           std::to_string(dynamicDims) + " dynamic dims");
    std::mt19937_64 rng(seed);
    SmallVector<int64_t> dimSizes(randomDims.begin(), randomDims.end());
    ArrayRef<int64_t> dims = dimSizes;
    for (auto [i, spec] : llvm::enumerate(argSpecs)) {
      std::string error;
      FailureOr<HostValue> value = randomHostValue(
          spec, rng, "argument #" + std::to_string(i), error, dims);
      if (failed(value))
        fail("--random " + error +
             (randomDims.empty() ? " (pass --random-dims or --input files)"
                                 : ""));
      args.push_back(std::move(*value));
    }
  } else {
    if (inputs.size() != argSpecs.size())
      fail("@" + entry + " takes " + std::to_string(argSpecs.size()) +
           " arguments, got " + std::to_string(inputs.size()) +
           " --input files");
    for (auto [i, spec] : llvm::enumerate(argSpecs)) {
      NpyArray array;
      std::string error;
      std::string what = "argument #" + std::to_string(i) + " ('" +
                         inputs[i] + "')";
      if (!readNpy(inputs[i], array, error))
        fail(what + ": " + error);
      args.push_back(fromNpy(array, spec, what));
    }
    uint64_t argBytes = 0;
    for (const HostValue &arg : args)
      argBytes = addBytes(argBytes, arg.data.size());
    if (!checkMemoryAvailable(addBytes(argBytes, resultBytes),
                              "@" + entry + " (arguments and results)",
                              memoryError))
      fail(memoryError);
  }
  if (!outputs.empty() && outputs.size() != resultSpecs.size())
    fail("@" + entry + " returns " + std::to_string(resultSpecs.size()) +
         " results, got " + std::to_string(outputs.size()) +
         " --output files");

  std::vector<HostValue> results;
  std::string error;
  if (failed(jit->call(args, results, error)))
    fail(error);

  if (check) {
    std::unique_ptr<JitFunction> reference =
        compileWith(*module, true, threadCount, device);
    std::vector<HostValue> expected;
    if (failed(reference->call(args, expected, error)))
      fail(error);
    if (!compareResults(results, device == Device::Gpu ? "gpu" : "fast",
                        expected, reachesContraction(*module, entry)))
      return 1;
  }

  // All outputs or none: each is written beside its destination first and
  // renamed into place only once every one of them has been written.
  std::vector<std::string> staged;
  for (auto [i, path] : llvm::enumerate(outputs)) {
    std::string partial = path + ".partial";
    if (!writeNpy(partial, toNpy(results[i]), error)) {
      for (const std::string &done : staged)
        std::remove(done.c_str());
      fail("result #" + std::to_string(i) + ": " + error);
    }
    staged.push_back(partial);
  }
  for (auto [i, path] : llvm::enumerate(outputs)) {
    if (std::rename(staged[i].c_str(), path.c_str()) != 0) {
      for (const std::string &left : ArrayRef(staged).drop_front(i))
        std::remove(left.c_str());
      fail("cannot write '" + path + "': " + std::strerror(errno));
    }
  }

  if (bench) {
    uint64_t writtenBytes = 0;
    for (auto [spec, result] : llvm::zip(resultSpecs, results))
      if (spec.isTensor)
        writtenBytes += result.data.size();
    // The CPU's peer, interleaved with the calls: a memcpy of the bytes the
    // call writes, between two buffers allocated (and touched) once. A
    // memory-bound kernel cannot beat moving its output once by much, and
    // timed in the same iterations it turns a time into a fraction of what
    // this machine's memory does now, under the same load. (The copy runs
    // on one thread: with --threads above 1 the ratio compares a parallel
    // kernel with a serial copy.)
    std::vector<char> copyFrom, copyTo;
    std::function<void()> hostCopy;
    // Or the peer is another function of the module, on its own seeded
    // random inputs, called after each call of FUNC.
    std::unique_ptr<JitFunction> against;
    std::vector<HostValue> againstArgs;
    if (!benchAgainst.empty()) {
      against = compileWith(*module, false, threadCount, device, benchAgainst);
      uint64_t bytes = 0;
      for (const ValueSpec &spec : against->getArguments())
        bytes = addBytes(bytes, spec.getStaticBytes().value_or(0));
      for (const ValueSpec &spec : against->getResults())
        bytes = addBytes(bytes, spec.getStaticBytes().value_or(0));
      if (!checkMemoryAvailable(bytes,
                                "@" + benchAgainst + " (--bench-against)",
                                memoryError))
        fail(memoryError);
      std::mt19937_64 rng(seed);
      for (auto [i, spec] : llvm::enumerate(against->getArguments())) {
        std::string argError;
        FailureOr<HostValue> value = randomHostValue(
            spec, rng, "argument #" + std::to_string(i), argError);
        if (failed(value))
          fail("--bench-against @" + benchAgainst + ": " + argError);
        againstArgs.push_back(std::move(*value));
      }
    } else if (device == Device::Cpu && writtenBytes) {
      copyFrom.assign(writtenBytes, 1);
      copyTo.assign(writtenBytes, 0);
      hostCopy = [&] {
        std::memcpy(copyTo.data(), copyFrom.data(), writtenBytes);
        // The copy's destination is never read: keep the compiler from
        // dropping it.
        asm volatile("" : : "r"(copyTo.data()) : "memory");
      };
    }
    // The run above was the warm-up.
    FailureOr<BenchTiming> timing =
        against
            ? jit->benchAgainst(args, *against, againstArgs, bench, error)
            : jit->bench(args, bench, error,
                         hostCopy ? llvm::function_ref<void()>(hostCopy)
                                  : nullptr);
    if (failed(timing))
      fail(error);
    llvm::outs() << "bench: @" << entry << ": median "
                 << llvm::format("%.6f", timing->medianSeconds * 1e3)
                 << " ms, min "
                 << llvm::format("%.6f", timing->minSeconds * 1e3) << " ms over "
                 << bench << " runs, ";
    if (device == Device::Cpu)
      llvm::outs() << threadCount << " thread(s)\n";
    else
      llvm::outs() << "gpu (" << ::dyt::cuda::getDeviceName() << ")\n";
    if (against)
      llvm::outs() << "bench: @" << benchAgainst
                   << " after each call: median "
                   << llvm::format("%.6f", *timing->peerMedianSeconds * 1e3)
                   << " ms (@" << benchAgainst << "/@" << entry
                   << ", median of the pairs "
                   << llvm::format("%.3f", *timing->peerRatio) << ")\n";
    else if (timing->peerRatio)
      llvm::outs() << "bench: memcpy of the " << writtenBytes
                   << " result bytes, after each call: median "
                   << llvm::format("%.6f", *timing->peerMedianSeconds * 1e3)
                   << " ms (memcpy/call, median of the pairs "
                   << llvm::format("%.3f", *timing->peerRatio) << ")\n";
    // The GPU's peer, measured in the same run: a device-to-device copy of
    // the bytes the call writes, timed with CUDA events as a series of its
    // own after the calls' (copy_ratio: median copy / median call). The
    // kernels of a norm-free block are memory-bound, so moving their output
    // once is the speed to aim at; timed on the same device, clocks and
    // load, it turns a time into a fraction of what this GPU can do now (a
    // time alone means little across GPUs and runs).
    std::optional<BenchTiming> copy;
    if (device == Device::Gpu && writtenBytes) {
      FailureOr<BenchTiming> copyTiming =
          benchDeviceCopy(writtenBytes, bench, error);
      if (failed(copyTiming))
        fail("timing a device-to-device copy: " + error);
      copy = *copyTiming;
      llvm::outs() << "bench: device-to-device copy of the " << writtenBytes
                   << " result bytes: median "
                   << llvm::format("%.6f", copy->medianSeconds * 1e3)
                   << " ms (copy/call "
                   << llvm::format("%.3f",
                                   copy->medianSeconds / timing->medianSeconds)
                   << ")\n";
    }
    if (json) {
      llvm::outs() << "{\"function\": \"" << entry << "\", \"median_s\": "
                   << llvm::format("%.9g", timing->medianSeconds)
                   << ", \"min_s\": "
                   << llvm::format("%.9g", timing->minSeconds)
                   << ", \"iterations\": " << bench;
      if (against)
        llvm::outs() << ", \"against\": "
                     << llvm::json::Value(std::string(benchAgainst))
                     << ", \"against_median_s\": "
                     << llvm::format("%.9g", *timing->peerMedianSeconds)
                     << ", \"against_ratio\": "
                     << llvm::format("%.9g", *timing->peerRatio);
      if (device == Device::Cpu) {
        llvm::outs() << ", \"threads\": " << threadCount;
        if (timing->peerRatio && !against)
          llvm::outs() << ", \"copy_median_s\": "
                       << llvm::format("%.9g", *timing->peerMedianSeconds)
                       << ", \"copy_ratio\": "
                       << llvm::format("%.9g", *timing->peerRatio);
        else
          llvm::outs() << ", \"copy_median_s\": null, \"copy_ratio\": null";
        llvm::outs() << "}\n";
      } else {
        llvm::outs() << ", \"device\": \"gpu\", \"device_name\": "
                     << llvm::json::Value(::dyt::cuda::getDeviceName());
        if (copy)
          llvm::outs() << ", \"copy_median_s\": "
                       << llvm::format("%.9g", copy->medianSeconds)
                       << ", \"copy_ratio\": "
                       << llvm::format("%.9g", copy->medianSeconds /
                                                   timing->medianSeconds);
        else
          llvm::outs() << ", \"copy_median_s\": null, \"copy_ratio\": null";
        llvm::outs() << "}\n";
      }
    }
  }
  return 0;
}
