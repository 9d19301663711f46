//===- RandomInputs.cpp - Seeded arguments for a compiled function --------===//

#include "dyt/Execution/RandomInputs.h"

#include "dyt/Runtime/FloatConversions.h"
#include "dyt/Runtime/Memory.h"
#include "mlir/IR/BuiltinTypeInterfaces.h"

#include <cstring>

using namespace mlir;
using namespace mlir::dyt;

void mlir::dyt::storeFloat(HostElementType type, float f, char *out) {
  if (type == HostElementType::F32) {
    std::memcpy(out, &f, 4);
    return;
  }
  uint16_t h = type == HostElementType::F16 ? f32ToF16(f) : f32ToBf16(f);
  std::memcpy(out, &h, 2);
}

FailureOr<HostValue> mlir::dyt::randomHostValue(const ValueSpec &spec,
                                                std::mt19937_64 &rng,
                                                const std::string &what,
                                                std::string &error,
                                                ArrayRef<int64_t> &dynamicDims) {
  HostValue value{spec.elementType, {}, {}};
  if (spec.isTensor) {
    for (int64_t d : spec.shape) {
      if (ShapedType::isDynamic(d)) {
        if (dynamicDims.empty()) {
          error = "needs static shapes: " + what + " is " + spec.str();
          return failure();
        }
        d = dynamicDims.front();
        dynamicDims = dynamicDims.drop_front();
        if (d < 0) {
          error = "dynamic dim of " + what + " (" + spec.str() +
                  ") given the negative size " + std::to_string(d);
          return failure();
        }
      }
      value.shape.push_back(d);
    }
  }
  size_t size = getHostElementTypeSize(spec.elementType);
  // Before allocating: a static shape can ask for more than the machine has
  // (or more than int64 can count).
  if (!checkMemoryAvailable(getShapeBytes(value.shape, size),
                            what + " (" + spec.str() + ")", error))
    return failure();
  int64_t n = value.numElements();
  value.data.resize(n * size);
  std::uniform_real_distribution<float> real(-2.0f, 2.0f);
  std::uniform_int_distribution<int64_t> integer(-10, 10);
  for (int64_t i = 0; i < n; ++i) {
    char *out = value.data.data() + i * size;
    switch (spec.elementType) {
    case HostElementType::F32:
    case HostElementType::F16:
    case HostElementType::BF16:
      storeFloat(spec.elementType, real(rng), out);
      break;
    case HostElementType::I32: {
      int32_t v = int32_t(integer(rng));
      std::memcpy(out, &v, 4);
      break;
    }
    case HostElementType::I64: {
      int64_t v = integer(rng);
      std::memcpy(out, &v, 8);
      break;
    }
    }
  }
  return value;
}
