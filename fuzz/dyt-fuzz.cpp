//===- dyt-fuzz.cpp - libFuzzer target: parse, verify, run our passes ------===//
//
// Treats the input bytes as MLIR source with every upstream dialect and the
// dyt dialect registered. What parses and verifies then goes through
//   1. a print/parse round trip when it holds dyt ops (our custom assembly
//      must read back what it writes),
//   2. each of this project's dialect-level passes on its own, on a clone
//      (they must accept any valid IR: match or leave it alone),
//   3. dyt-cpu-pipeline and dyt-cpu-reference-pipeline, but only on IR the
//      pipelines claim to accept (see acceptedByPipelines).
// A pass that reports failure with a diagnostic is fine; a crash, a sanitizer
// report, or a pass that succeeds and leaves IR that does not verify is a bug
// (the latter aborts, so that libFuzzer records it).
//
// Each input gets a fresh MLIRContext, so that a crasher reproduces alone.
//
//===----------------------------------------------------------------------===//

#include "dyt/InitAllDyt.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace mlir;

static DialectRegistry *registry;

/// Passes that must take any valid IR. Pass-pipeline strings, so that the
/// fuzzer exercises the same registration the tools use.
static const char *const kDialectPasses[] = {
    "builtin.module(func.func(dyt-raise-norms))",
    "builtin.module(dyt-replace-norms)",
    "builtin.module(func.func(dyt-fuse-matmul))",
    "builtin.module(dyt-outline-weight-folding)",
    "builtin.module(convert-dyt-to-linalg)",
    "builtin.module(canonicalize)",
};

static const char *const kPipelines[] = {
    "builtin.module(dyt-cpu-pipeline)",
    "builtin.module(dyt-cpu-reference-pipeline)",
};

/// What the CPU pipelines promise to compile (README, "A short tour"): a
/// module of func.func with bodies, holding func/arith/math/tensor/linalg/dyt
/// ops on ranked tensors and scalars. Upstream passes the pipeline invokes
/// are not ours to fuzz on arbitrary IR.
static bool acceptedByPipelines(ModuleOp module) {
  static const llvm::StringSet<> dialects = {"func", "arith", "math", "tensor",
                                             "linalg", "dyt"};
  auto typeOk = [](Type t) {
    if (auto tensor = dyn_cast<RankedTensorType>(t))
      return !tensor.getEncoding() &&
             (tensor.getElementType().isF32() ||
              tensor.getElementType().isF16() ||
              tensor.getElementType().isBF16());
    return t.isF32() || t.isF16() || t.isBF16() || t.isIndex() ||
           t.isSignlessInteger(32) || t.isSignlessInteger(64) ||
           t.isSignlessInteger(1);
  };
  bool ok = true;
  for (Operation &op : module.getBody()->getOperations()) {
    auto func = dyn_cast<func::FuncOp>(op);
    if (!func || func.isExternal())
      return false;
  }
  module.getBody()->walk([&](Operation *op) {
    if (!dialects.contains(op->getDialect() ? op->getDialect()->getNamespace()
                                            : StringRef()))
      ok = false;
    for (Type t : op->getOperandTypes())
      ok &= typeOk(t);
    for (Type t : op->getResultTypes())
      ok &= typeOk(t);
    for (Region &r : op->getRegions())
      for (Block &b : r)
        for (BlockArgument a : b.getArguments())
          ok &= typeOk(a.getType());
    return ok ? WalkResult::advance() : WalkResult::interrupt();
  });
  return ok;
}

static bool holdsDytOps(ModuleOp module) {
  bool found = false;
  module.walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "dyt") {
      found = true;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

[[noreturn]] static void bug(const char *what, Operation *op,
                             llvm::StringRef pipeline = {}) {
  llvm::errs() << "dyt-fuzz: " << what;
  if (!pipeline.empty())
    llvm::errs() << " (" << pipeline << ")";
  llvm::errs() << "\n";
  if (op)
    op->print(llvm::errs(), OpPrintingFlags().printGenericOpForm());
  llvm::errs() << "\n";
  abort();
}

/// Runs `pipeline` on a clone of `module`. Failing with diagnostics is fine;
/// succeeding with IR that does not verify is a bug.
static void runOnClone(ModuleOp module, llvm::StringRef pipeline) {
  MLIRContext *ctx = module.getContext();
  OwningOpRef<ModuleOp> clone = module.clone();
  PassManager pm(ctx);
  // Verify ourselves after the run: the pass manager's verifier would turn
  // a pass's invalid output into an ordinary failure.
  pm.enableVerifier(false);
  if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
    bug("pipeline does not parse", nullptr, pipeline);
  if (failed(pm.run(*clone)))
    return;
  if (failed(verify(*clone)))
    bug("pass succeeded but left IR that does not verify", *clone, pipeline);
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  registry = new DialectRegistry();
  dyt::registerAllDialectsAndExtensions(*registry);
  dyt::registerAllPasses();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Big inputs only slow the search down; the interesting ones are small.
  if (size > 16 * 1024)
    return -1;
  MLIRContext ctx(*registry, MLIRContext::Threading::DISABLED);
  // Diagnostics are expected on most inputs; keep the output readable.
  ScopedDiagnosticHandler quiet(&ctx, [](Diagnostic &) { return success(); });
  ParserConfig config(&ctx);
  // The lexer reads up to a terminating NUL, as tools' MemoryBuffers have;
  // libFuzzer's bytes have none (a copy gives it one).
  std::string source(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, config);
  if (!module || failed(verify(*module)))
    return 0;

  if (holdsDytOps(*module)) {
    std::string printed;
    llvm::raw_string_ostream os(printed);
    module->print(os);
    OwningOpRef<ModuleOp> reparsed =
        parseSourceString<ModuleOp>(printed, config);
    if (!reparsed || failed(verify(*reparsed)))
      bug("printed IR does not parse back", *module);
  }

  for (const char *pass : kDialectPasses)
    runOnClone(*module, pass);
  if (acceptedByPipelines(*module))
    for (const char *pipeline : kPipelines)
      runOnClone(*module, pipeline);
  return 0;
}
