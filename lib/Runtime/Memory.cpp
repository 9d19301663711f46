//===- Memory.cpp - How much memory a run may take -------------------------===//

#include "dyt/Runtime/Memory.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace mlir::dyt;

namespace {

/// The first unsigned number in `path`, or false ("max" and missing files
/// included).
bool readNumber(const char *path, uint64_t &value) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text.empty() ||
      text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  value = std::strtoull(text.c_str(), nullptr, 10);
  return true;
}

/// The process's cgroup v2 path ("0::/some/path"), or "" if none.
std::string cgroupV2Path() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("0::", 0) == 0)
      return line.substr(3);
  return "";
}

} // namespace

uint64_t mlir::dyt::getAvailableMemoryBytes() {
  if (const char *limit = std::getenv("DYT_MEMORY_LIMIT"))
    if (*limit && std::strspn(limit, "0123456789") == std::strlen(limit))
      return std::strtoull(limit, nullptr, 10);

  uint64_t available = UINT64_MAX;
  {
    std::ifstream in("/proc/meminfo");
    std::string key;
    uint64_t kib;
    std::string unit;
    while (in >> key >> kib) {
      std::getline(in, unit);
      if (key == "MemAvailable:") {
        available = kib * 1024;
        break;
      }
    }
  }
  // A container's limit is what the OOM killer enforces.
  uint64_t limit, usage;
  std::string cg = cgroupV2Path();
  std::string base = "/sys/fs/cgroup" + (cg == "/" ? std::string() : cg);
  if (readNumber((base + "/memory.max").c_str(), limit) &&
      readNumber((base + "/memory.current").c_str(), usage)) {
    available = std::min(available, limit > usage ? limit - usage : 0);
  } else if (readNumber("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                        limit) &&
             readNumber("/sys/fs/cgroup/memory/memory.usage_in_bytes",
                        usage) &&
             limit < (uint64_t(1) << 60)) {
    available = std::min(available, limit > usage ? limit - usage : 0);
  }
  return available;
}

uint64_t mlir::dyt::getShapeBytes(const std::vector<int64_t> &shape,
                                  uint64_t elementSize) {
  uint64_t bytes = elementSize;
  for (int64_t d : shape) {
    if (d <= 0)
      return 0;
    if (bytes > UINT64_MAX / uint64_t(d))
      return UINT64_MAX;
    bytes *= uint64_t(d);
  }
  return bytes;
}

std::string mlir::dyt::formatBytes(uint64_t bytes) {
  if (bytes == UINT64_MAX)
    return "more than 2^64 bytes";
  if (bytes < 1024)
    return std::to_string(bytes) + " bytes";
  const char *units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = double(bytes);
  int unit = -1;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f %s", value, units[unit]);
  return text;
}

bool mlir::dyt::checkMemoryAvailable(uint64_t bytes, const std::string &what,
                                     std::string &error) {
  uint64_t available = getAvailableMemoryBytes();
  if (bytes <= available)
    return true;
  error = what + " needs " + formatBytes(bytes) + " of memory, only " +
          formatBytes(available) + " available";
  return false;
}
