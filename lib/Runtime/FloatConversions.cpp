//===- FloatConversions.cpp - f32 <-> f16 / bf16 bit conversions -----------===//

#include "dyt/Runtime/FloatConversions.h"

#include <cstring>

namespace {
uint32_t bitsOf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  return bits;
}
float floatOf(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}
} // namespace

float mlir::dyt::bf16ToF32(uint16_t bits) { return floatOf(uint32_t(bits) << 16); }

uint16_t mlir::dyt::f32ToBf16(float value) {
  uint32_t bits = bitsOf(value);
  if ((bits & 0x7fffffff) > 0x7f800000) // NaN: keep it quiet, keep the sign
    return uint16_t((bits >> 16) | 0x40);
  // Round to nearest, ties to even, on the 16 bits dropped.
  uint32_t rounding = 0x7fff + ((bits >> 16) & 1);
  return uint16_t((bits + rounding) >> 16);
}

float mlir::dyt::f16ToF32(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;
  if (exponent == 0x1f) // Inf / NaN
    return floatOf(sign | 0x7f800000 | (mantissa << 13));
  if (exponent == 0) {
    if (mantissa == 0)
      return floatOf(sign);
    // Subnormal: value = mantissa * 2^-24, exact in f32.
    float magnitude = float(mantissa) * (1.0f / 16777216.0f);
    return sign ? -magnitude : magnitude;
  }
  return floatOf(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

uint16_t mlir::dyt::f32ToF16(float value) {
  uint32_t bits = bitsOf(value);
  uint16_t sign = uint16_t((bits >> 16) & 0x8000);
  uint32_t magnitude = bits & 0x7fffffff;
  if (magnitude > 0x7f800000) // NaN
    return sign | 0x7e00 | uint16_t((magnitude >> 13) & 0x3ff);
  if (magnitude >= 0x477ff000) // rounds to >= 65520: infinity
    return sign | 0x7c00;
  if (magnitude < 0x38800000) {
    // Below the smallest normal half (2^-14): a subnormal or zero, counted
    // in units of 2^-24. Scaling is exact; adding and removing 2^23 rounds
    // to an integer under the default (nearest-even) rounding mode. 2^-14
    // itself (1024 units) comes out as the smallest normal's encoding.
    float units = floatOf(magnitude) * 16777216.0f;
    volatile float shifted = units + 8388608.0f; // no reassociation
    return sign | uint16_t(shifted - 8388608.0f);
  }
  // Normal: rebias the exponent and round the 13 dropped mantissa bits.
  uint32_t rebased = magnitude - (uint32_t(112) << 23);
  uint32_t rounding = 0xfff + ((rebased >> 13) & 1);
  return sign | uint16_t((rebased + rounding) >> 13);
}
