//===- DytOpsTest.cpp - Building and verifying dyt ops from C++ ------------===//

#include "dyt/Dialect/Dyt/IR/DytOps.h"
#include "dyt/InitAllDyt.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir;
using namespace mlir::dyt;

namespace {

class DytOpsTest : public ::testing::Test {
protected:
  DytOpsTest() {
    DialectRegistry registry;
    registerDytDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    builder.setInsertionPointToEnd(&block);
  }

  /// A value of the given type (a block argument), for building ops.
  Value arg(Type type) { return block.addArgument(type, loc); }
  Value tensorArg(ArrayRef<int64_t> shape, Type elementType) {
    return arg(RankedTensorType::get(shape, elementType));
  }

  /// Verifies `op`, returning the diagnostics it produced (empty on success).
  std::string verifyAndCollect(Operation *op) {
    std::string messages;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      messages += diag.str();
      return success();
    });
    if (succeeded(verify(op)))
      EXPECT_TRUE(messages.empty()) << messages;
    else
      EXPECT_FALSE(messages.empty());
    return messages;
  }

  /// Expects `op` to fail verification with a message containing `expected`.
  void expectError(Operation *op, StringRef expected) {
    std::string message = verifyAndCollect(op);
    EXPECT_NE(message.find(expected.str()), std::string::npos) << message;
  }

  MLIRContext context;
  Location loc = UnknownLoc::get(&context);
  OpBuilder builder{&context};
  Block block;
  Type f32 = Float32Type::get(&context);
  Type f16 = Float16Type::get(&context);
  Type bf16 = BFloat16Type::get(&context);
};

TEST_F(DytOpsTest, DytResultTypeIsInputType) {
  Value x = tensorArg({2, 64, 7, 7}, f32);
  auto op = DytOp::create(builder, loc, x, arg(f32), tensorArg({64}, f32),
                          tensorArg({64}, f32), /*axis=*/1);
  EXPECT_EQ(verifyAndCollect(op), "");
  EXPECT_EQ(op.getType(), x.getType());
  EXPECT_EQ(op.getChannelDim(), 1);
}

TEST_F(DytOpsTest, DytNegativeAxisCountsFromTheEnd) {
  auto op = DytOp::create(builder, loc, tensorArg({2, 64, 7, 7}, f32),
                          arg(f32), tensorArg({64}, f32), tensorArg({64}, f32),
                          /*axis=*/-3);
  EXPECT_EQ(verifyAndCollect(op), "");
  EXPECT_EQ(op.getChannelDim(), 1);
}

TEST_F(DytOpsTest, DytDefaultAxisIsLastDim) {
  auto op = DytOp::create(builder, loc, tensorArg({8, 197, 768}, bf16),
                          tensorArg({}, f32), tensorArg({768}, bf16),
                          tensorArg({768}, bf16));
  EXPECT_EQ(verifyAndCollect(op), "");
  EXPECT_EQ(static_cast<int64_t>(op.getAxis()), -1);
  EXPECT_EQ(op.getChannelDim(), 2);
}

TEST_F(DytOpsTest, DytAcceptsDynamicShapes) {
  int64_t dyn = ShapedType::kDynamic;
  auto op = DytOp::create(builder, loc, tensorArg({dyn, dyn, 768}, f16),
                          arg(f16), tensorArg({dyn}, f16),
                          tensorArg({768}, f16));
  EXPECT_EQ(verifyAndCollect(op), "");
}

TEST_F(DytOpsTest, DytRejectsGammaOfTheWrongSize) {
  auto op = DytOp::create(builder, loc, tensorArg({2, 64, 7, 7}, f32),
                          arg(f32), tensorArg({32}, f32), tensorArg({64}, f32),
                          /*axis=*/1);
  expectError(op, "gamma size 32 must match the input's channel dim (dim 1 "
                  "of 'tensor<2x64x7x7xf32>') of size 64");
}

TEST_F(DytOpsTest, DytRejectsIntegerInput) {
  Type i32 = IntegerType::get(&context, 32);
  auto op = DytOp::create(builder, loc, tensorArg({4}, i32), arg(f32),
                          tensorArg({4}, i32), tensorArg({4}, i32));
  expectError(op, "input element type must be f32, f16 or bf16, got 'i32'");
}

TEST_F(DytOpsTest, DytRejectsAlphaWithTwoElements) {
  auto op = DytOp::create(builder, loc, tensorArg({4, 8}, f32),
                          tensorArg({2}, f32), tensorArg({8}, f32),
                          tensorArg({8}, f32));
  expectError(op, "alpha must be a scalar or a tensor with exactly one "
                  "element");
}

TEST_F(DytOpsTest, DytRejectsAxisOutOfRange) {
  auto op = DytOp::create(builder, loc, tensorArg({4, 8}, f32), arg(f32),
                          tensorArg({8}, f32), tensorArg({8}, f32),
                          /*axis=*/2);
  expectError(op, "axis 2 is out of range for an input of rank 2");
}

TEST_F(DytOpsTest, DytFoldCanonicalisesTheAxis) {
  // axis 3 of a rank-4 input is the last dim: the canonical spelling is the
  // default -1; axis -3 is spelled as the non-negative 1.
  auto last = DytOp::create(builder, loc, tensorArg({2, 3, 4, 5}, f32),
                            arg(f32), tensorArg({5}, f32), tensorArg({5}, f32),
                            /*axis=*/3);
  SmallVector<OpFoldResult> results;
  ASSERT_TRUE(succeeded(last->fold(results)));
  EXPECT_EQ(static_cast<int64_t>(last.getAxis()), -1);

  auto channel = DytOp::create(builder, loc, tensorArg({2, 3, 4, 5}, f32),
                               arg(f32), tensorArg({3}, f32),
                               tensorArg({3}, f32), /*axis=*/-3);
  results.clear();
  ASSERT_TRUE(succeeded(channel->fold(results)));
  EXPECT_EQ(static_cast<int64_t>(channel.getAxis()), 1);

  // Already canonical: nothing to fold.
  results.clear();
  EXPECT_TRUE(failed(channel->fold(results)));
}

TEST_F(DytOpsTest, LayerNormDefaultsAndEpsilonCheck) {
  auto op = LayerNormOp::create(builder, loc, tensorArg({3, 768}, f32),
                                tensorArg({768}, f32), tensorArg({768}, f32));
  EXPECT_EQ(verifyAndCollect(op), "");
  EXPECT_FLOAT_EQ(op.getEpsilon().convertToFloat(), 1e-5f);

  auto bad = LayerNormOp::create(builder, loc, tensorArg({3, 768}, f32),
                                 tensorArg({768}, f32), tensorArg({768}, f32),
                                 /*epsilon=*/0.0f);
  expectError(bad, "epsilon must be a finite value > 0");
}

TEST_F(DytOpsTest, LayerNormRejectsBetaOfAnotherElementType) {
  auto op = LayerNormOp::create(builder, loc, tensorArg({3, 16}, f16),
                                tensorArg({16}, f16), tensorArg({16}, f32));
  expectError(op, "beta element type 'f32' must match the input element "
                  "type 'f16'");
}

TEST_F(DytOpsTest, RMSNormDefaultsAndChecks) {
  auto op = RMSNormOp::create(builder, loc, tensorArg({1, 7, 4096}, bf16),
                              tensorArg({4096}, bf16));
  EXPECT_EQ(verifyAndCollect(op), "");
  EXPECT_FLOAT_EQ(op.getEpsilon().convertToFloat(), 1e-6f);

  auto zeroD = RMSNormOp::create(builder, loc, tensorArg({}, f32),
                                 tensorArg({1}, f32));
  expectError(zeroD, "input must have rank >= 1");
}

} // namespace
