//===- FloatConversionsTest.cpp - Bit conversions against APFloat ----------===//

#include "dyt/Runtime/FloatConversions.h"

#include "llvm/ADT/APFloat.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace mlir::dyt;
using llvm::APFloat;

namespace {

uint32_t bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

uint16_t apfloatTo16(float value, const llvm::fltSemantics &semantics) {
  APFloat f(value);
  bool losesInfo;
  f.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
  return static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue());
}

// Every 16-bit pattern widens exactly (NaNs stay NaN).
TEST(FloatConversionsTest, WideningIsExactForEveryPattern) {
  for (uint32_t b = 0; b < 65536; ++b) {
    APFloat half(APFloat::IEEEhalf(), llvm::APInt(16, b));
    APFloat brain(APFloat::BFloat(), llvm::APInt(16, b));
    float h = f16ToF32(uint16_t(b)), bf = bf16ToF32(uint16_t(b));
    if (half.isNaN())
      EXPECT_TRUE(std::isnan(h)) << b;
    else
      EXPECT_EQ(bits(h), bits(half.convertToFloat())) << b;
    if (brain.isNaN())
      EXPECT_TRUE(std::isnan(bf)) << b;
    else
      EXPECT_EQ(bits(bf), bits(brain.convertToFloat())) << b;
  }
}

// Narrowing rounds to nearest even like APFloat, over a sweep of f32 bit
// patterns that hits every exponent, both signs, subnormals of both
// formats, overflow to infinity and ties.
TEST(FloatConversionsTest, NarrowingRoundsToNearestEven) {
  for (uint64_t b = 0; b <= 0xffffffffull; b += 4093) {
    float value;
    uint32_t pattern = uint32_t(b);
    std::memcpy(&value, &pattern, 4);
    if (std::isnan(value)) {
      EXPECT_TRUE(std::isnan(f16ToF32(f32ToF16(value))));
      EXPECT_TRUE(std::isnan(bf16ToF32(f32ToBf16(value))));
      continue;
    }
    ASSERT_EQ(f32ToF16(value), apfloatTo16(value, APFloat::IEEEhalf()))
        << "f16 of " << value << " (0x" << std::hex << pattern << ")";
    ASSERT_EQ(f32ToBf16(value), apfloatTo16(value, APFloat::BFloat()))
        << "bf16 of " << value << " (0x" << std::hex << pattern << ")";
  }
  // Exact ties and boundaries.
  for (float value : {1.0f + 1.0f / 2048, 1.0f + 3.0f / 2048, 65504.0f,
                      65519.99f, 65520.0f, 5.96046448e-8f, 2.98023224e-8f,
                      2.98023259e-8f, 6.10351562e-5f, -0.0f, 1e-45f}) {
    EXPECT_EQ(f32ToF16(value), apfloatTo16(value, APFloat::IEEEhalf()))
        << value;
    EXPECT_EQ(f32ToBf16(value), apfloatTo16(value, APFloat::BFloat()))
        << value;
  }
}

} // namespace
