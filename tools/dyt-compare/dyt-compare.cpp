//===- dyt-compare.cpp - A model with its norms vs the same with DyT -------===//
//
//   dyt-compare MODEL.mlir [-e FUNC] [--target cpu|nvvm] [--json] [--bench N]
//               [--replace-options="alpha-attn=0.8 alpha-ffn=0.2"]
//
// Takes one model with norms (dyt.layer_norm / dyt.rms_norm, or norms in
// primitive linalg ops, which dyt-raise-norms raises first), makes its two
// variants: "norm" (as written) and "dyt" (dyt-replace-norms), and prints
// them side by side: kernels and row reductions, bytes, flops and
// transcendental ops (KernelStats.h), the machine code size the target
// pipeline compiles each to, and with --bench the median time of N calls on
// seeded random inputs. With --json the last line is one JSON object with a
// `variants` list. --target nvvm compiles with dyt-nvvm-pipeline and reports
// the GPU kernels launched and their PTX size instead of the machine code
// (host code that only launches kernels); its --bench needs a CUDA GPU.
//
//===----------------------------------------------------------------------===//

#include "KernelStats.h"

#include "dyt/Execution/JitFunction.h"
#include "dyt/Execution/RandomInputs.h"
#include "dyt/Execution/ReachableFunctions.h"
#include "dyt/InitAllDyt.h"
#include "dyt/Pipelines/CpuPipeline.h"
#include "dyt/Pipelines/NvvmPipeline.h"
#include "dyt/Runtime/CudaRuntime.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdlib>

using namespace mlir;
using namespace mlir::dyt;
namespace cl = llvm::cl;

// The tool's own options: --help lists these, not the hundreds LLVM
// registers (those are hidden, and still parse).
static cl::OptionCategory compareCategory("dyt-compare options");

static cl::opt<std::string> inputFile(cl::Positional, cl::cat(compareCategory), cl::Required,
                                      cl::desc("<model.mlir>"));
static cl::opt<std::string>
    entry("e", cl::cat(compareCategory), cl::desc("The function to compare (default: the only public "
                        "function with a body)"),
          cl::value_desc("FUNC"));
static cl::opt<std::string> target("target", cl::cat(compareCategory),
                                   cl::desc("Code generation target: cpu or "
                                            "nvvm"),
                                   cl::init("cpu"));
static cl::opt<bool> json("json", cl::cat(compareCategory), cl::desc("End with one JSON object"));
static cl::opt<unsigned> bench("bench", cl::cat(compareCategory),
                               cl::desc("Time N calls of each variant on "
                                        "seeded random inputs"),
                               cl::value_desc("N"), cl::init(0));
static cl::opt<unsigned> seed("seed", cl::cat(compareCategory), cl::desc("Seed of the --bench inputs"),
                              cl::init(1));
static cl::opt<std::string> replaceOptions(
    "replace-options", cl::cat(compareCategory),
    cl::desc("Options of dyt-replace-norms for the dyt variant, e.g. "
             "\"alpha-attn=0.8 alpha-ffn=0.2\""),
    cl::init(""));

[[noreturn]] static void fail(const Twine &message) {
  llvm::errs() << "dyt-compare: error: " << message << "\n";
  std::exit(1);
}

namespace {

struct Variant {
  std::string name;
  OwningOpRef<ModuleOp> module;
  KernelStats stats;
  uint64_t codeBytes = 0; // cpu: the entry's machine code
  // nvvm: the gpu.launch_func ops of the host code, the gpu.binary's bytes.
  int64_t kernelLaunches = 0;
  uint64_t kernelCodeBytes = 0;
  std::optional<double> medianSeconds;
};

bool targetsGpu() { return target == "nvvm"; }

void buildTargetPipeline(OpPassManager &pm) {
  if (!targetsGpu())
    return buildDytCpuPipeline(pm, DytCpuPipelineOptions());
  DytNvvmPipelineOptions options;
  // With --bench, for the GPU the kernels run on; sm_90 otherwise.
  if (std::string chip = getGpuChip(); !chip.empty())
    options.chip = chip;
  buildDytNvvmPipeline(pm, options);
}

/// Runs `pipeline` (passes on the module, without a `builtin.module(...)`
/// around them) on `module`.
void runPasses(ModuleOp module, const Twine &pipeline, const Twine &what) {
  PassManager pm(module.getContext());
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(pipeline.str(), pm, os)))
    fail("bad pipeline for " + what + ": " + error);
  if (failed(pm.run(module)))
    fail(what + " failed on " + inputFile);
}

func::FuncOp getEntry(ModuleOp module) {
  if (!entry.empty()) {
    auto func = module.lookupSymbol<func::FuncOp>(entry);
    if (!func || func.isExternal())
      fail("no function @" + entry + " with a body in " + inputFile);
    return func;
  }
  func::FuncOp found;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || func.isPrivate())
      continue;
    if (found)
      fail(inputFile + " has several public functions; pick one with -e");
    found = func;
  }
  if (!found)
    fail(inputFile + " has no public function with a body");
  return found;
}

/// The `name` ops in @funcName of `module` and what it calls.
int64_t countOps(ModuleOp module, StringRef funcName, StringRef name) {
  int64_t count = 0;
  for (Operation *func : getReachableFunctions(module, funcName))
    func->walk([&](Operation *op) {
      count += op->getName().getStringRef() == name;
    });
  return count;
}

/// The variant at the linalg level, where its kernels are counted: as
/// written, with the dyt ops as convert-dyt-to-linalg lowers them. (Not
/// after linalg-fuse-elementwise-ops, which would fold a norm's per-row
/// rsqrt into its per-element kernel and count it once per element.)
KernelStats analyse(ModuleOp module, StringRef funcName) {
  OwningOpRef<ModuleOp> linalgLevel(module.clone());
  PassManager pm(module.getContext());
  addDytLoweringToLinalg(pm);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (failed(pm.run(*linalgLevel)))
    fail("the lowering to linalg failed on " + inputFile);
  return computeKernelStats(getReachableFunctions(*linalgLevel, funcName));
}

/// `module` with only @funcName and what it calls, so that the code size
/// compiled from it is theirs.
OwningOpRef<ModuleOp> keepOnlyReachable(ModuleOp module, StringRef funcName) {
  OwningOpRef<ModuleOp> kept(module.clone());
  SmallVector<Operation *> reachable = getReachableFunctions(*kept, funcName);
  DenseSet<Operation *> keep(reachable.begin(), reachable.end());
  for (auto func : llvm::make_early_inc_range(kept->getOps<func::FuncOp>()))
    if (!keep.contains(func))
      func.erase();
  return kept;
}

/// `text` as a JSON string literal.
std::string jsonString(StringRef text) {
  std::string out = "\"";
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) {
      out += llvm::formatv("\\u{0:x-4}", unsigned(c)).str();
      continue;
    }
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

/// Records the kernels dyt-nvvm-pipeline made of a variant (launches and
/// the bytes of their PTX) at the end of that pipeline: with --bench the
/// JIT's own run of the pipeline counts them, instead of a second run.
struct CountKernelsPass
    : PassWrapper<CountKernelsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CountKernelsPass)
  explicit CountKernelsPass(Variant &variant) : variant(variant) {}
  StringRef getArgument() const override { return "dyt-compare-count-kernels"; }
  void runOnOperation() override {
    variant.kernelLaunches = 0;
    variant.kernelCodeBytes = 0;
    getOperation()->walk([&](gpu::LaunchFuncOp) { ++variant.kernelLaunches; });
    getOperation()->walk([&](gpu::BinaryOp binary) {
      for (Attribute object : binary.getObjects())
        variant.kernelCodeBytes +=
            cast<gpu::ObjectAttr>(object).getObject().size();
    });
  }
  Variant &variant;
};

/// The target pipeline, and for the GPU the count of `variant`'s kernels.
void buildCountingPipeline(OpPassManager &pm, Variant &variant) {
  buildTargetPipeline(pm);
  if (targetsGpu())
    pm.addPass(std::make_unique<CountKernelsPass>(variant));
}

/// Without --bench on the GPU nothing is JIT-compiled: the pipeline runs
/// here only to count the kernels.
void countKernels(Variant &variant, StringRef funcName) {
  OwningOpRef<ModuleOp> lowered = keepOnlyReachable(*variant.module, funcName);
  PassManager pm(lowered->getContext());
  buildCountingPipeline(pm, variant);
  if (failed(pm.run(*lowered)))
    fail("dyt-nvvm-pipeline failed on the " + variant.name + " variant");
}

void compileAndBench(Variant &variant, StringRef funcName) {
  Device device = targetsGpu() ? Device::Gpu : Device::Cpu;
  if (targetsGpu() && !bench)
    return countKernels(variant, funcName);
  std::string error;
  std::unique_ptr<JitFunction> jit = JitFunction::compile(
      keepOnlyReachable(*variant.module, funcName), funcName,
      [&](OpPassManager &pm) { buildCountingPipeline(pm, variant); },
      getRuntimeLibraries(device), error,
      /*keepObjectCode=*/!targetsGpu(), device);
  if (!jit)
    fail("the " + variant.name + " variant: " + error);
  if (!targetsGpu()) {
    FailureOr<uint64_t> codeBytes = jit->getCodeSize(error);
    if (failed(codeBytes))
      fail(error);
    variant.codeBytes = *codeBytes;
  }
  if (!bench)
    return;
  // The same inputs for both variants, except the dyt variant's extra alpha
  // arguments (alpha-as-argument), which are drawn after them.
  std::mt19937_64 rng(seed);
  std::vector<HostValue> args;
  for (auto [i, spec] : llvm::enumerate(jit->getArguments())) {
    FailureOr<HostValue> value = randomHostValue(
        spec, rng, "argument #" + std::to_string(i), error);
    if (failed(value))
      fail("--bench " + error);
    args.push_back(std::move(*value));
  }
  std::vector<HostValue> warmUp;
  if (failed(jit->call(args, warmUp, error)))
    fail(error);
  FailureOr<BenchTiming> timing = jit->bench(args, bench, error);
  if (failed(timing))
    fail(error);
  variant.medianSeconds = timing->medianSeconds;
}

std::string formatCount(std::optional<int64_t> value) {
  return value ? std::to_string(*value) : std::string("?");
}

std::string formatRatio(std::optional<double> dyt, std::optional<double> norm) {
  if (!dyt || !norm || *norm == 0)
    return "";
  return llvm::formatv("{0:F2}x", *dyt / *norm).str();
}

std::optional<double> toDouble(std::optional<int64_t> value) {
  if (!value)
    return std::nullopt;
  return double(*value);
}

std::string jsonNumber(std::optional<int64_t> value) {
  return value ? std::to_string(*value) : std::string("null");
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAllPasses();
  cl::HideUnrelatedOptions(compareCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "dyt-compare: one model with its norms, and the same with Dynamic Tanh, "
      "side by side\n");
  if (target != "cpu" && target != "nvvm")
    fail("unknown --target '" + target + "' (cpu or nvvm)");
  // The static table needs no GPU; timing does (and targets its chip).
  if (std::string error;
      targetsGpu() && bench && !::dyt::cuda::initialize(error))
    fail("--target nvvm --bench: " + error);

  DialectRegistry registry;
  registerAllDialectsAndExtensions(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> model =
      parseSourceFile<ModuleOp>(inputFile, sourceMgr, &context);
  if (!model)
    fail("cannot parse " + inputFile);
  std::string funcName = getEntry(*model).getSymName().str();

  Variant norm{"norm", OwningOpRef<ModuleOp>(model->clone())};
  runPasses(*norm.module, "func.func(dyt-raise-norms)",
            "dyt-raise-norms");
  int64_t layerNorms = countOps(*norm.module, funcName, "dyt.layer_norm");
  int64_t rmsNorms = countOps(*norm.module, funcName, "dyt.rms_norm");
  if (layerNorms + rmsNorms == 0)
    fail("no LayerNorm or RMSNorm in @" + funcName + " of " + inputFile +
         " (as dyt ops or in primitive ops dyt-raise-norms recognises)");
  Variant dyt{"dyt", OwningOpRef<ModuleOp>(norm.module->clone())};
  runPasses(*dyt.module,
            "dyt-replace-norms{" + replaceOptions + "}",
            "dyt-replace-norms");

  for (Variant *variant : {&norm, &dyt}) {
    variant->stats = analyse(*variant->module, funcName);
    compileAndBench(*variant, funcName);
  }

  llvm::outs() << "dyt-compare: " << inputFile << " @" << funcName << ": "
               << layerNorms << " LayerNorm, " << rmsNorms
               << " RMSNorm -> DyT; target " << target << "\n";
  llvm::outs() << llvm::formatv("{0,-38}{1,14}{2,14}{3,10}\n", "", "norm",
                                "dyt", "dyt/norm");
  auto row = [&](StringRef label, std::optional<int64_t> a,
                 std::optional<int64_t> b) {
    llvm::outs() << llvm::formatv("{0,-38}{1,14}{2,14}{3,10}\n", label,
                                  formatCount(a), formatCount(b),
                                  formatRatio(toDouble(b), toDouble(a)));
  };
  row("kernels (linalg loop nests)", norm.stats.kernels, dyt.stats.kernels);
  row("row reductions", norm.stats.reductions, dyt.stats.reductions);
  row("bytes read + written (static)", norm.stats.bytes, dyt.stats.bytes);
  row("flops", norm.stats.flops, dyt.stats.flops);
  row("transcendental ops", norm.stats.transcendentals,
      dyt.stats.transcendentals);
  if (targetsGpu()) {
    row("GPU kernel launches", norm.kernelLaunches, dyt.kernelLaunches);
    row("kernel code (gpu.binary, bytes)", int64_t(norm.kernelCodeBytes),
        int64_t(dyt.kernelCodeBytes));
    llvm::outs() << "(no machine code size on nvvm: the host code only "
                    "launches the kernels)\n";
  } else {
    row("machine code of @" + funcName + " (.text)", int64_t(norm.codeBytes),
        int64_t(dyt.codeBytes));
  }
  if (bench)
    llvm::outs() << llvm::formatv(
        "{0,-38}{1,14}{2,14}{3,10}\n",
        llvm::formatv("median time of {0} calls (ms)", unsigned(bench)).str(),
        llvm::formatv("{0:F3}", *norm.medianSeconds * 1e3).str(),
        llvm::formatv("{0:F3}", *dyt.medianSeconds * 1e3).str(),
        formatRatio(dyt.medianSeconds, norm.medianSeconds));

  if (json) {
    llvm::outs() << "{\"model\": " << jsonString(inputFile)
                 << ", \"function\": " << jsonString(funcName)
                 << ", \"target\": " << jsonString(target)
                 << ", \"variants\": [";
    for (Variant *variant : {&norm, &dyt}) {
      const KernelStats &s = variant->stats;
      llvm::outs() << (variant == &norm ? "" : ", ") << "{\"name\": \""
                   << variant->name << "\", \"kernels\": " << s.kernels
                   << ", \"reductions\": " << s.reductions
                   << ", \"bytes\": " << jsonNumber(s.bytes)
                   << ", \"flops\": " << jsonNumber(s.flops)
                   << ", \"transcendentals\": "
                   << jsonNumber(s.transcendentals)
                   << ", \"code_bytes\": ";
      if (targetsGpu())
        llvm::outs() << "null, \"kernel_launches\": " << variant->kernelLaunches
                     << ", \"kernel_code_bytes\": "
                     << variant->kernelCodeBytes;
      else
        llvm::outs() << variant->codeBytes;
      if (variant->medianSeconds)
        llvm::outs() << ", \"median_s\": "
                     << llvm::format("%.9g", *variant->medianSeconds);
      llvm::outs() << "}";
    }
    llvm::outs() << "]}\n";
  }
  return 0;
}
