//===- FakeCudaDriver.cpp - A libcuda stand-in for tests --------------------===//
//
// Exports the driver entry points CudaRuntime.cpp resolves, under the names a
// real driver exports, on host memory, so that the runtime's success paths run
// on machines without a GPU. Work runs synchronously at submission. It is
// strict where the runtime could go wrong: every call but the device queries
// fails with CUDA_ERROR_INVALID_CONTEXT unless the primary context is current
// on the calling thread, and a launch above 48 KiB of dynamic shared memory
// fails unless the kernel opted in. The only kernel it can run is the test's
// add_one (y[i] = x[i] + 1); other kernels found in the image launch as
// no-ops. It exports cuEventElapsedTime but not _v2, to exercise the
// fallback.
//
// The stream-ordered allocator (cuMemAllocAsync, cuMemFreeAsync,
// cuDeviceGetDefaultMemPool, cuMemPoolSetAttribute) is there too, stream order
// trivially kept since work runs at submission. Memory pools are reported
// supported unless $DYT_FAKE_CUDA_MEMORY_POOLS says otherwise (read at each
// call): "unsupported" makes CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED 0,
// "broken" makes cuMemPoolSetAttribute fail with CUDA_ERROR_NOT_SUPPORTED.
// Built with DYT_FAKE_CUDA_NO_MEMORY_POOLS (libDytFakeCudaDriverNoPools), it
// lacks those four symbols, as a driver older than CUDA 11.2 does. Stricter
// than a real driver, so that the runtime's pairing of allocations and frees
// is checked: cuMemFreeAsync takes only cuMemAllocAsync memory and cuMemFree
// only the other kinds (CUDA_ERROR_INVALID_VALUE otherwise).
//
//===----------------------------------------------------------------------===//

#include "FakeCudaDriver.h"
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

using CUresult = int;
using CUdeviceptr = unsigned long long;

constexpr CUresult kSuccess = 0;
constexpr CUresult kInvalidValue = 1;
constexpr CUresult kOutOfMemory = 2;
constexpr CUresult kInvalidDevice = 101;
constexpr CUresult kInvalidContext = 201;
constexpr CUresult kInvalidPtx = 218;
constexpr CUresult kNotFound = 500;
constexpr CUresult kNotSupported = 801;

struct Context {};
struct Function {
  std::string name;
  int maxDynamicShared = 48 * 1024;
};
struct Module {
  std::string image;
  std::vector<std::unique_ptr<Function>> functions; // Freed with the module.
};
struct Stream {};
struct Event {
  double ms = 0;
};
struct MemPool {};

Context primary;
thread_local Context *current = nullptr;
std::atomic<int> streamsCreated{0};
std::atomic<int> streamsDestroyed{0};
std::atomic<int> managedAllocations{0};
std::atomic<int> setAttributeCalls{0};
std::atomic<int> launches{0};
std::atomic<int> lastJitOptLevel{-1};
std::atomic<int> syncAllocations{0};  // cuMemAlloc_v2
std::atomic<int> syncFrees{0};        // cuMemFree_v2
std::atomic<int> asyncAllocations{0}; // cuMemAllocAsync
std::atomic<int> asyncFrees{0};       // cuMemFreeAsync
std::atomic<int> legacyAsyncFrees{0}; // ... on the legacy (null) stream
std::atomic<int> poolAttributeCalls{0};
std::atomic<unsigned long long> releaseThreshold{0};
std::atomic<Stream *> lastAllocationStream{nullptr};
std::mutex poolMutex;
std::unordered_set<CUdeviceptr> poolAllocations; // Not freed yet.
#ifndef DYT_FAKE_CUDA_NO_MEMORY_POOLS
MemPool defaultPool;
#endif
std::mutex clockMutex;
double clockMs = 0; // Advances 0.25 ms per recorded event.

bool ok() { return current == &primary; }

void *ptr(CUdeviceptr p) { return reinterpret_cast<void *>(p); }

/// $DYT_FAKE_CUDA_MEMORY_POOLS is `mode`.
bool poolMode(const char *mode) {
  const char *env = std::getenv("DYT_FAKE_CUDA_MEMORY_POOLS");
  return env && std::strcmp(env, mode) == 0;
}

/// The fake device's memory: 1 TiB (ASan would abort on a larger calloc).
CUresult allocate(CUdeviceptr *p, size_t bytes) {
  if (!ok())
    return kInvalidContext;
  if (bytes == 0)
    return kInvalidValue;
  void *memory = bytes > (size_t(1) << 40) ? nullptr : std::calloc(1, bytes);
  if (!memory)
    return kOutOfMemory;
  *p = reinterpret_cast<CUdeviceptr>(memory);
  return kSuccess;
}

bool isPoolAllocation(CUdeviceptr p) {
  std::lock_guard<std::mutex> lock(poolMutex);
  return poolAllocations.count(p) != 0;
}

} // namespace

#define FAKE extern "C" __attribute__((visibility("default")))

FAKE CUresult cuInit(unsigned flags) { return flags ? kInvalidValue : 0; }
FAKE CUresult cuDeviceGetCount(int *count) {
  *count = 1;
  return kSuccess;
}
FAKE CUresult cuDeviceGet(int *device, int ordinal) {
  if (ordinal != 0)
    return kInvalidDevice;
  *device = 0;
  return kSuccess;
}
FAKE CUresult cuDeviceGetName(char *name, int len, int) {
  std::strncpy(name, "dyt fake CUDA device", len);
  return kSuccess;
}
FAKE CUresult cuDeviceGetAttribute(int *value, int attribute, int) {
  *value = attribute == 75 ? 9 : attribute == 76 ? 0 : 1;
  if (attribute == 115) // CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED
    *value = poolMode("unsupported") ? 0 : 1;
  return kSuccess;
}
FAKE CUresult cuDevicePrimaryCtxRetain(Context **ctx, int) {
  *ctx = &primary;
  return kSuccess;
}
FAKE CUresult cuCtxSetCurrent(Context *ctx) {
  current = ctx;
  return kSuccess;
}
FAKE CUresult cuCtxSynchronize() { return ok() ? kSuccess : kInvalidContext; }

FAKE CUresult cuGetErrorName(CUresult error, const char **name) {
  switch (error) {
  case kInvalidValue: *name = "CUDA_ERROR_INVALID_VALUE"; return kSuccess;
  case kOutOfMemory: *name = "CUDA_ERROR_OUT_OF_MEMORY"; return kSuccess;
  case kInvalidDevice: *name = "CUDA_ERROR_INVALID_DEVICE"; return kSuccess;
  case kInvalidContext: *name = "CUDA_ERROR_INVALID_CONTEXT"; return kSuccess;
  case kInvalidPtx: *name = "CUDA_ERROR_INVALID_PTX"; return kSuccess;
  case kNotFound: *name = "CUDA_ERROR_NOT_FOUND"; return kSuccess;
  case kNotSupported: *name = "CUDA_ERROR_NOT_SUPPORTED"; return kSuccess;
  default: *name = nullptr; return kInvalidValue;
  }
}
FAKE CUresult cuGetErrorString(CUresult error, const char **text) {
  switch (error) {
  case kInvalidValue: *text = "invalid argument"; return kSuccess;
  case kOutOfMemory: *text = "out of memory"; return kSuccess;
  case kInvalidDevice: *text = "invalid device ordinal"; return kSuccess;
  case kInvalidContext: *text = "invalid device context"; return kSuccess;
  case kInvalidPtx: *text = "a PTX JIT compilation failed"; return kSuccess;
  case kNotFound: *text = "named symbol not found"; return kSuccess;
  case kNotSupported: *text = "operation not supported"; return kSuccess;
  default: *text = nullptr; return kInvalidValue;
  }
}

FAKE CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
  ++syncAllocations;
  return allocate(p, bytes);
}
FAKE CUresult cuMemAllocManaged(CUdeviceptr *p, size_t bytes, unsigned flags) {
  if (flags != 1)
    return kInvalidValue;
  ++managedAllocations;
  return allocate(p, bytes);
}
FAKE CUresult cuMemFree_v2(CUdeviceptr p) {
  if (!ok())
    return kInvalidContext;
  if (isPoolAllocation(p))
    return kInvalidValue; // Strict: the runtime frees these in stream order.
  ++syncFrees;
  std::free(ptr(p));
  return kSuccess;
}

#ifndef DYT_FAKE_CUDA_NO_MEMORY_POOLS
FAKE CUresult cuDeviceGetDefaultMemPool(MemPool **pool, int device) {
  if (device != 0)
    return kInvalidDevice;
  *pool = &defaultPool;
  return kSuccess;
}
FAKE CUresult cuMemPoolSetAttribute(MemPool *pool, int attribute,
                                    void *value) {
  ++poolAttributeCalls;
  if (pool != &defaultPool || !value)
    return kInvalidValue;
  if (poolMode("broken"))
    return kNotSupported;
  if (attribute != 4) // Only CU_MEMPOOL_ATTR_RELEASE_THRESHOLD is expected.
    return kInvalidValue;
  releaseThreshold = *static_cast<unsigned long long *>(value);
  return kSuccess;
}
FAKE CUresult cuMemAllocAsync(CUdeviceptr *p, size_t bytes, Stream *stream) {
  ++asyncAllocations;
  lastAllocationStream = stream;
  CUresult result = allocate(p, bytes);
  if (result == kSuccess) {
    std::lock_guard<std::mutex> lock(poolMutex);
    poolAllocations.insert(*p);
  }
  return result;
}
FAKE CUresult cuMemFreeAsync(CUdeviceptr p, Stream *stream) {
  if (!ok())
    return kInvalidContext;
  {
    std::lock_guard<std::mutex> lock(poolMutex);
    if (!poolAllocations.erase(p))
      return kInvalidValue; // Strict: only stream-ordered allocations.
  }
  ++asyncFrees;
  if (!stream)
    ++legacyAsyncFrees;
  std::free(ptr(p));
  return kSuccess;
}
#endif
FAKE CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t n) {
  if (!ok())
    return kInvalidContext;
  std::memcpy(ptr(dst), src, n);
  return kSuccess;
}
FAKE CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t n) {
  if (!ok())
    return kInvalidContext;
  std::memcpy(dst, ptr(src), n);
  return kSuccess;
}
FAKE CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t n,
                            Stream *) {
  if (!ok())
    return kInvalidContext;
  std::memcpy(ptr(dst), ptr(src), n);
  return kSuccess;
}
FAKE CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned value, size_t n,
                               Stream *) {
  if (!ok())
    return kInvalidContext;
  for (size_t i = 0; i < n; ++i)
    std::memcpy(static_cast<char *>(ptr(dst)) + 4 * i, &value, 4);
  return kSuccess;
}
FAKE CUresult cuMemsetD16Async(CUdeviceptr dst, unsigned short value,
                               size_t n, Stream *) {
  if (!ok())
    return kInvalidContext;
  for (size_t i = 0; i < n; ++i)
    std::memcpy(static_cast<char *>(ptr(dst)) + 2 * i, &value, 2);
  return kSuccess;
}
FAKE CUresult cuMemHostRegister_v2(void *, size_t, unsigned) {
  return ok() ? kSuccess : kInvalidContext;
}
FAKE CUresult cuMemHostUnregister(void *) {
  return ok() ? kSuccess : kInvalidContext;
}

FAKE CUresult cuModuleLoadData(Module **module, const void *image) {
  if (!ok())
    return kInvalidContext;
  std::string text(static_cast<const char *>(image));
  if (text.find(".entry") == std::string::npos)
    return kInvalidPtx;
  *module = new Module{text, {}};
  return kSuccess;
}
FAKE CUresult cuModuleLoadDataEx(Module **module, const void *image,
                                 unsigned count, int *options,
                                 void **values) {
  if (!ok())
    return kInvalidContext;
  char *log = nullptr;
  size_t logSize = 0;
  for (unsigned i = 0; i < count; ++i) {
    auto value = reinterpret_cast<uintptr_t>(values[i]);
    if (options[i] == 7)
      lastJitOptLevel = static_cast<int>(value);
    else if (options[i] == 5)
      log = static_cast<char *>(values[i]);
    else if (options[i] == 6)
      logSize = value;
  }
  CUresult result = cuModuleLoadData(module, image);
  if (result == kInvalidPtx && log && logSize)
    std::strncpy(log, "ptxas fatal: no .entry in the image", logSize);
  return result;
}
FAKE CUresult cuModuleGetFunction(Function **fn, Module *module,
                                  const char *name) {
  if (!ok())
    return kInvalidContext;
  if (module->image.find(std::string(".entry ") + name + "(") ==
      std::string::npos)
    return kNotFound;
  module->functions.push_back(std::make_unique<Function>());
  module->functions.back()->name = name;
  *fn = module->functions.back().get();
  return kSuccess;
}
FAKE CUresult cuModuleUnload(Module *module) {
  if (!ok())
    return kInvalidContext;
  delete module;
  return kSuccess;
}
FAKE CUresult cuFuncSetAttribute(Function *fn, int attribute, int value) {
  if (!ok())
    return kInvalidContext;
  ++setAttributeCalls;
  if (attribute != 8 || value > 227 * 1024)
    return kInvalidValue;
  fn->maxDynamicShared = value;
  return kSuccess;
}
FAKE CUresult cuLaunchKernel(Function *fn, unsigned gx, unsigned gy,
                             unsigned gz, unsigned bx, unsigned by,
                             unsigned bz, unsigned smem, Stream *,
                             void **params, void **) {
  if (!ok())
    return kInvalidContext;
  if (static_cast<int>(smem) > fn->maxDynamicShared || !gx || !gy || !gz ||
      !bx || !by || !bz)
    return kInvalidValue;
  ++launches;
  if (fn->name != "add_one")
    return kSuccess;
  auto *x = *static_cast<float **>(params[0]);
  auto *y = *static_cast<float **>(params[1]);
  unsigned n = *static_cast<unsigned *>(params[2]);
  for (unsigned i = 0; i < gx * bx && i < n; ++i)
    y[i] = x[i] + 1.0f;
  return kSuccess;
}

FAKE CUresult cuStreamCreate(Stream **stream, unsigned flags) {
  if (!ok())
    return kInvalidContext;
  if (flags != 0)
    return kInvalidValue; // The runtime promises legacy-synchronising streams.
  ++streamsCreated;
  *stream = new Stream;
  return kSuccess;
}
FAKE CUresult cuStreamDestroy_v2(Stream *stream) {
  if (!ok())
    return kInvalidContext;
  ++streamsDestroyed;
  delete stream;
  return kSuccess;
}
FAKE CUresult cuStreamSynchronize(Stream *) {
  return ok() ? kSuccess : kInvalidContext;
}
FAKE CUresult cuStreamWaitEvent(Stream *, Event *event, unsigned) {
  if (!ok())
    return kInvalidContext;
  return event ? kSuccess : kInvalidValue;
}
FAKE CUresult cuEventCreate(Event **event, unsigned) {
  if (!ok())
    return kInvalidContext;
  *event = new Event;
  return kSuccess;
}
FAKE CUresult cuEventDestroy_v2(Event *event) {
  if (!ok())
    return kInvalidContext;
  delete event;
  return kSuccess;
}
FAKE CUresult cuEventRecord(Event *event, Stream *) {
  if (!ok())
    return kInvalidContext;
  std::lock_guard<std::mutex> lock(clockMutex);
  clockMs += 0.25;
  event->ms = clockMs;
  return kSuccess;
}
FAKE CUresult cuEventSynchronize(Event *) {
  return ok() ? kSuccess : kInvalidContext;
}
FAKE CUresult cuEventElapsedTime(float *ms, Event *start, Event *end) {
  if (!ok())
    return kInvalidContext;
  *ms = static_cast<float>(end->ms - start->ms);
  return kSuccess;
}

FAKE void fakeCudaGetStats(FakeCudaStats *stats) {
  *stats = {streamsCreated,   streamsDestroyed,   managedAllocations,
            setAttributeCalls, launches,          lastJitOptLevel,
            syncAllocations,   syncFrees,         asyncAllocations,
            asyncFrees,        legacyAsyncFrees,  poolAttributeCalls,
            releaseThreshold,  lastAllocationStream.load()};
}
