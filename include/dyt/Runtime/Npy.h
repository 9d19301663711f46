//===- Npy.h - Reading and writing numpy .npy files -------------*- C++ -*-===//
//
// The subset of the .npy format (versions 1.0, 2.0 and 3.0) that dyt-run
// exchanges with numpy: C-order, little-endian arrays of float16, float32,
// int32 and int64 (and float64 on input), any rank including 0-d. No MLIR here.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_RUNTIME_NPY_H
#define DYT_RUNTIME_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace dyt {

/// Element types as numpy spells them in a header's 'descr' (little endian).
enum class NpyDType { Float16, Float32, Float64, Int32, Int64 };

/// "float32", "int64", ... as numpy names them.
const char *npyDTypeName(NpyDType dtype);
size_t npyDTypeSize(NpyDType dtype);

struct NpyArray {
  NpyDType dtype = NpyDType::Float32;
  std::vector<int64_t> shape;   // empty: a 0-d array
  std::vector<char> data;       // C order, little endian

  int64_t numElements() const;
};

/// Reads `path`. On failure returns false and sets `error` to a message that
/// says what is wrong (truncated data, unsupported dtype, Fortran order, a
/// malformed or oversized header, ...).
bool readNpy(const std::string &path, NpyArray &array, std::string &error);

/// Writes `array` to `path` through a temporary file in the same directory,
/// renamed into place only once complete: a failed write leaves no partial
/// file behind.
bool writeNpy(const std::string &path, const NpyArray &array,
              std::string &error);

} // namespace dyt
} // namespace mlir

#endif // DYT_RUNTIME_NPY_H
