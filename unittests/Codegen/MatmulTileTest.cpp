//===- MatmulTileTest.cpp - Register tiles sized to the register file ------===//

#include "dyt/Codegen/Utils.h"

#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <gtest/gtest.h>

using namespace mlir::dyt;

namespace {

TEST(MatmulTileTest, RequestedRowsAreKept) {
  EXPECT_EQ(getMatmulTileM(5, 256, 2), 5u);
  EXPECT_EQ(getMatmulTileM(12, 512, 2), 12u);
}

TEST(MatmulTileTest, Avx512KeepsTheTunedEightRows) {
  // 32 registers: 8 x 2 accumulators, 2 B vectors and the A broadcast fit
  // with room to spare.
  EXPECT_EQ(getMatmulTileM(0, 512, 2), 8u);
  EXPECT_EQ(getMatmulTileM(0, 512, 4), 6u); // (32 - 5) / 4
}

TEST(MatmulTileTest, SixteenRegistersGetTilesThatDoNotSpill) {
  if (llvm::Triple(llvm::sys::getProcessTriple()).isAArch64())
    GTEST_SKIP() << "AArch64 has 32 vector registers at every width";
  // AVX2: 6 x 2 accumulators + 2 B vectors + 1 broadcast = 15 of 16.
  EXPECT_EQ(getMatmulTileM(0, 256, 2), 6u);
  EXPECT_EQ(getMatmulTileM(0, 256, 1), 8u);  // (16 - 2) / 1, capped
  EXPECT_EQ(getMatmulTileM(0, 128, 3), 4u);  // (16 - 4) / 3
  for (unsigned n = 1; n <= 4; ++n) {
    unsigned m = getMatmulTileM(0, 256, n);
    EXPECT_LE(m * n + n + 1, 16u) << "vectors-n = " << n;
  }
}

} // namespace
