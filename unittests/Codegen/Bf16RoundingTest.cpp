//===- Bf16RoundingTest.cpp - f32 -> bf16 as the CPU pipeline compiles it --===//
//
// Compiles arith.truncf f32 -> bf16 over a 1-D tensor with dyt-cpu-pipeline
// (vectorized; on hosts without a conversion instruction, the integer
// expansion of dyt-expand-bf16-conversions) and checks every result against
// IEEE round-to-nearest-even computed on the values, in double: of the two
// bf16 values around x, the nearer, and on a tie the one with an even
// mantissa; x past the largest bf16 by half an ulp or more rounds to
// infinity. NaN must give NaN (the pipeline gives the quiet NaN 0x7fc0).
// Every 257th f32 bit pattern and a list of edge cases are checked.
//
//===----------------------------------------------------------------------===//

#include "CpuKernel.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::dyt;

namespace {

constexpr const char *kTruncF = R"mlir(
#id = affine_map<(d0) -> (d0)>
func.func @narrow(%x: tensor<?xf32>) -> tensor<?xbf16> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %e = tensor.empty(%n) : tensor<?xbf16>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%e : tensor<?xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %t = arith.truncf %in : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<?xbf16>
  return %y : tensor<?xbf16>
}
)mlir";

float fromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

/// The value of bf16 pattern `h` as a double, with the pattern past the
/// largest finite magnitude (0x7f80, infinity) standing for 2^128, the
/// value rounding compares against.
double bf16Value(uint16_t h) {
  uint32_t magnitude = h & 0x7fff;
  double value = magnitude == 0x7f80 ? std::ldexp(1.0, 128)
                                     : double(fromBits(uint32_t(magnitude) << 16));
  return h & 0x8000 ? -value : value;
}

/// Round to nearest even of the finite or infinite `bits`, on values.
uint16_t referenceBf16(uint32_t bits) {
  uint16_t toward0 = uint16_t(bits >> 16); // same sign, |value| <= |x|
  if ((toward0 & 0x7fff) == 0x7f80)       // infinity
    return toward0;
  uint16_t away = uint16_t(toward0 + 1); // the next magnitude up
  double x = fromBits(bits);
  double below = std::fabs(x - bf16Value(toward0));
  double above = std::fabs(bf16Value(away) - x);
  if (below < above)
    return toward0;
  if (above < below)
    return away;
  return (toward0 & 1) ? away : toward0;
}

class Bf16RoundingTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string error;
    jit = unittest::compileWithCpuPipeline(context, kTruncF, "narrow", error);
    ASSERT_TRUE(jit) << error;
  }

  /// Runs the compiled function on `x` and checks every result.
  void check(const std::vector<uint32_t> &x) {
    std::string error;
    std::optional<std::vector<char>> bytes = unittest::callOn1D(
        *jit, HostElementType::F32, x.data(), x.size(), error);
    ASSERT_TRUE(bytes) << error;
    ASSERT_EQ(bytes->size(), x.size() * 2);
    std::vector<uint16_t> y(x.size());
    std::memcpy(y.data(), bytes->data(), x.size() * 2);
    for (size_t i = 0; i < x.size(); ++i) {
      if (std::isnan(fromBits(x[i]))) {
        ASSERT_EQ(y[i], 0x7fc0) << "NaN 0x" << std::hex << x[i];
        continue;
      }
      ASSERT_EQ(y[i], referenceBf16(x[i])) << "f32 0x" << std::hex << x[i];
    }
  }

  MLIRContext context;
  std::unique_ptr<JitFunction> jit;
};

/// Ties both ways, the largest finite f32 and the pattern below the
/// rounding to infinity, infinities, zeros, subnormals, NaNs whose payload
/// sits in the low bits only (a carry would make them infinities or flip
/// the sign) and all-ones payloads. 37 values: not a multiple of any
/// vector width.
const std::vector<uint32_t> &edgeCases() {
  static const std::vector<uint32_t> values = {
      0x3f808000, 0x3f818000, 0xbf808000, 0xbf818000, 0x3f80ffff,
      0x3f807fff, 0x7f7fffff, 0x7f7f8000, 0x7f7f7fff, 0xff7fffff,
      0x7f800000, 0xff800000, 0x00000000, 0x80000000, 0x00000001,
      0x80008000, 0x00018000, 0x007fffff, 0x00800000, 0x7f800001,
      0xff800001, 0x7f808000, 0x7fffffff, 0xffffffff, 0x7fc00000,
      0xffc00000, 0x7fbfffff, 0x3f800000, 0x40490fdb, 0xc0490fdb,
      0x33800000, 0x337fffff, 0x0001ffff, 0x3effffff, 0x4b7fffff,
      0x00ff8000, 0x80ff8000};
  return values;
}

TEST_F(Bf16RoundingTest, EdgeCases) {
  // 37 values: the last of them (all of them where a tile is wider) go
  // through the masked partial tile.
  check(edgeCases());
}

TEST_F(Bf16RoundingTest, EdgeCasesInEveryLaneOfFullTiles) {
  // The list 128 times over: 37 is odd, so every value lands on every lane
  // position modulo 128, in full (unmasked) tiles of any width up to that.
  std::vector<uint32_t> x;
  for (int copy = 0; copy < 128; ++copy)
    x.insert(x.end(), edgeCases().begin(), edgeCases().end());
  check(x);
}

TEST_F(Bf16RoundingTest, EveryTwoHundredFiftySeventhPattern) {
  constexpr size_t kChunk = 1 << 22;
  std::vector<uint32_t> x;
  x.reserve(kChunk);
  for (uint64_t bits = 0; bits <= 0xffffffffull; bits += 257) {
    x.push_back(uint32_t(bits));
    if (x.size() == kChunk) {
      check(x);
      if (HasFatalFailure())
        return;
      x.clear();
    }
  }
  check(x);
}

} // namespace
