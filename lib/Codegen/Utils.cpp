//===- Utils.cpp - Helpers shared by the CPU code generation passes --------===//

#include "dyt/Codegen/Utils.h"

#include "dyt/Codegen/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

FrozenRewritePatternSet
mlir::dyt::getCanonicalizationPatterns(MLIRContext *context) {
  RewritePatternSet patterns(context);
  for (Dialect *dialect : context->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : context->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, context);
  return FrozenRewritePatternSet(std::move(patterns));
}

unsigned mlir::dyt::getHostVectorBits() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  auto has = [&](StringRef name) { return features.lookup(name); };
  if (has("avx512f"))
    return 512;
  if (has("avx"))
    return 256;
  return 128; // SSE2 on x86-64, NEON on AArch64: the baseline of both.
}

ArrayRef<StringRef> mlir::dyt::getHostFeaturesToDisable() {
  // Reproducer (llc -O2 -mcpu=sapphirerapids, znver4, sierraforest, ...):
  //   %v = load <17 x bfloat>, ptr %p
  //   store <17 x bfloat> %v, ptr %q
  static const StringRef features[] = {"avx512bf16", "avxneconvert"};
  return features;
}

bool mlir::dyt::hostHasBf16Conversion() {
  // AArch64's bfcvt (FEAT_BF16). x86's vcvtneps2bf16 is left off, see
  // getHostFeaturesToDisable().
  return llvm::sys::getHostCPUFeatures().lookup("bf16");
}

int64_t mlir::dyt::getElementBytes(Type type) {
  return std::max<int64_t>(
      1, getElementTypeOrSelf(type).getIntOrFloatBitWidth() / 8);
}

unsigned mlir::dyt::f32LanesPerVector(unsigned vectorBits) {
  return (vectorBits ? vectorBits : getHostVectorBits()) / 32;
}

unsigned mlir::dyt::getMatmulTileM(unsigned requested, unsigned vectorBits,
                                   unsigned vectorsN) {
  if (requested)
    return requested;
  unsigned bits = vectorBits ? vectorBits : getHostVectorBits();
  bool manyRegisters =
      bits >= 512 || llvm::Triple(llvm::sys::getProcessTriple()).isAArch64();
  unsigned registers = manyRegisters ? 32 : 16;
  unsigned n = std::max(1u, vectorsN);
  unsigned fit = registers > n + 1 ? (registers - n - 1) / n : 1;
  return std::clamp(fit, 1u, 8u);
}

bool mlir::dyt::isContraction(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalg::isaContractionOpInterface(linalgOp);
}

linalg::LinalgOp mlir::dyt::replaceWithContractOp(RewriterBase &rewriter,
                                                  linalg::LinalgOp op,
                                                  ValueRange operands,
                                                  ArrayRef<AffineMap> maps) {
  rewriter.setInsertionPoint(op);
  auto contract = linalg::ContractOp::create(
      rewriter, op.getLoc(), op->getResultTypes(), operands.drop_back(),
      operands.take_back(), rewriter.getAffineMapArrayAttr(maps));
  rewriter.replaceOp(op, contract->getResults());
  return contract;
}
