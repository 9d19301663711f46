//===- Memory.h - How much memory a run may take -----------------*- C++ -*-===//
//
// Tools check the bytes an input needs against what the machine can give
// before they allocate, so that an oversized input fails with a message
// instead of the kernel's OOM killer. No MLIR in here.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_RUNTIME_MEMORY_H
#define DYT_RUNTIME_MEMORY_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace dyt {

/// Bytes this process can still allocate without swapping or being killed:
/// /proc/meminfo's MemAvailable, lowered to the cgroup's (v2 or v1) memory
/// limit minus its usage when the process runs in one. The environment
/// variable DYT_MEMORY_LIMIT (bytes) overrides it (tests use it). UINT64_MAX
/// when nothing is known.
uint64_t getAvailableMemoryBytes();

/// `elementSize` times the product of `shape`, saturated at UINT64_MAX on
/// overflow (negative dims count as 0).
uint64_t getShapeBytes(const std::vector<int64_t> &shape, uint64_t elementSize);

/// Saturating a + b.
inline uint64_t addBytes(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/// "1.5 GiB", "12 bytes".
std::string formatBytes(uint64_t bytes);

/// False, with an error naming `what` and both sizes, when `bytes` exceed
/// getAvailableMemoryBytes().
bool checkMemoryAvailable(uint64_t bytes, const std::string &what,
                          std::string &error);

} // namespace dyt
} // namespace mlir

#endif // DYT_RUNTIME_MEMORY_H
