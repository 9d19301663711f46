//===- DytToLinalgTest.cpp - The dyt lowering applied from C++ -------------===//
//
// The structure of what convert-dyt-to-linalg produces, reached both through
// the pass and through the pattern API a user's own conversion would call.
//
//===----------------------------------------------------------------------===//

#include "dyt/Conversion/Passes.h"
#include "dyt/Dialect/Dyt/IR/DytOps.h"
#include "dyt/InitAllDyt.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/DialectConversion.h"

#include "gtest/gtest.h"

using namespace mlir;

namespace {

class DytToLinalgTest : public ::testing::Test {
protected:
  DytToLinalgTest() {
    DialectRegistry registry;
    dyt::registerAllDialectsAndExtensions(registry);
    context.appendDialectRegistry(registry);
  }

  OwningOpRef<ModuleOp> parse(StringRef source) {
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module) << "failed to parse:\n" << source.str();
    return module;
  }

  /// Counts the ops of type OpTy and those of the dyt dialect.
  template <typename OpTy>
  std::pair<int, int> count(ModuleOp module) {
    int matching = 0, dytOps = 0;
    module.walk([&](Operation *op) {
      matching += isa<OpTy>(op);
      dytOps += isa<dyt::DytDialect>(op->getDialect());
    });
    return {matching, dytOps};
  }

  MLIRContext context;
};

constexpr const char *kAllThreeOps = R"mlir(
func.func @f(%x: tensor<?x768xbf16>, %a: f32, %g: tensor<768xbf16>,
             %b: tensor<768xbf16>) -> tensor<?x768xbf16> {
  %0 = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xbf16>)
                  beta(%b : tensor<768xbf16>) : tensor<?x768xbf16> -> tensor<?x768xbf16>
  %1 = dyt.layer_norm %0 gamma(%g : tensor<768xbf16>) beta(%b : tensor<768xbf16>)
         : tensor<?x768xbf16> -> tensor<?x768xbf16>
  %2 = dyt.rms_norm %1 gamma(%g : tensor<768xbf16>) : tensor<?x768xbf16> -> tensor<?x768xbf16>
  return %2 : tensor<?x768xbf16>
}
)mlir";

TEST_F(DytToLinalgTest, PassLowersEveryOp) {
  OwningOpRef<ModuleOp> module = parse(kAllThreeOps);
  ASSERT_TRUE(module);
  PassManager pm(&context);
  pm.addPass(dyt::createConvertDytToLinalgPass());
  ASSERT_TRUE(succeeded(pm.run(*module)));
  auto [generics, dytOps] = count<linalg::GenericOp>(*module);
  EXPECT_EQ(dytOps, 0);
  // DyT: 1; LayerNorm: 2 reductions + mean + rstd + normalise = 5;
  // RMSNorm: 1 reduction + rstd + scale = 3.
  EXPECT_EQ(generics, 1 + 5 + 3);
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(DytToLinalgTest, PatternsWorkInACallersConversion) {
  OwningOpRef<ModuleOp> module = parse(kAllThreeOps);
  ASSERT_TRUE(module);
  ConversionTarget target(context);
  dyt::configureDytToLinalgConversionTarget(target);
  target.addLegalDialect<func::FuncDialect>();
  target.addLegalOp<ModuleOp>();
  RewritePatternSet patterns(&context);
  dyt::populateDytToLinalgConversionPatterns(patterns);
  ASSERT_TRUE(succeeded(
      applyFullConversion(module->getOperation(), target, std::move(patterns))));
  EXPECT_EQ(count<linalg::GenericOp>(*module).second, 0);
}

TEST_F(DytToLinalgTest, SplatIdentityParametersCostNothing) {
  // LLaMA-style DyT (beta = 0) and DiT-style DyT (no affine at all): the
  // generic takes only the input, and its body is mulf + tanh (+ mulf).
  OwningOpRef<ModuleOp> module = parse(R"mlir(
func.func @f(%x: tensor<4x16xf32>, %a: f32, %g: tensor<16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %zero = arith.constant dense<0.0> : tensor<16xf32>
  %one = arith.constant dense<1.0> : tensor<16xf32>
  %0 = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<16xf32>) beta(%zero : tensor<16xf32>)
         : tensor<4x16xf32> -> tensor<4x16xf32>
  %1 = dyt.dyt %x alpha(%a : f32) gamma(%one : tensor<16xf32>) beta(%zero : tensor<16xf32>)
         : tensor<4x16xf32> -> tensor<4x16xf32>
  return %0, %1 : tensor<4x16xf32>, tensor<4x16xf32>
}
)mlir");
  ASSERT_TRUE(module);
  PassManager pm(&context);
  pm.addPass(dyt::createConvertDytToLinalgPass());
  ASSERT_TRUE(succeeded(pm.run(*module)));
  SmallVector<linalg::GenericOp> generics;
  module->walk([&](linalg::GenericOp op) { generics.push_back(op); });
  ASSERT_EQ(generics.size(), 2u);
  auto bodyOps = [](linalg::GenericOp op) {
    SmallVector<StringRef> names;
    for (Operation &nested : op.getBody()->without_terminator())
      names.push_back(nested.getName().getStringRef());
    return names;
  };
  EXPECT_EQ(generics[0].getNumDpsInputs(), 2); // x, gamma
  EXPECT_EQ(bodyOps(generics[0]),
            (SmallVector<StringRef>{"arith.mulf", "math.tanh", "arith.mulf"}));
  EXPECT_EQ(generics[1].getNumDpsInputs(), 1); // x only
  EXPECT_EQ(bodyOps(generics[1]),
            (SmallVector<StringRef>{"arith.mulf", "math.tanh"}));
}

} // namespace
