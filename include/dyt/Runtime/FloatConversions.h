//===- FloatConversions.h - f32 <-> f16 / bf16 bit conversions ---*- C++ -*-===//
//
// Round-to-nearest-even conversions between f32 and the 16-bit float formats,
// exact on NaN (kept quiet), infinities, zeros of either sign and subnormals.
// Bit manipulation rather than llvm::APFloat: dyt-run converts arrays of
// tens of millions of elements. No MLIR here.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_RUNTIME_FLOATCONVERSIONS_H
#define DYT_RUNTIME_FLOATCONVERSIONS_H

#include <cstdint>

namespace mlir {
namespace dyt {

float bf16ToF32(uint16_t bits);
uint16_t f32ToBf16(float value);
float f16ToF32(uint16_t bits);
uint16_t f32ToF16(float value);

} // namespace dyt
} // namespace mlir

#endif // DYT_RUNTIME_FLOATCONVERSIONS_H
