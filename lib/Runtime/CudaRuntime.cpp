//===- CudaRuntime.cpp - CUDA host runtime for gpu-to-llvm code -----------===//
//
// The driver is loaded with dlopen and every entry point resolved with dlsym,
// so that this builds without the CUDA toolkit and loads on machines without
// a GPU (where every call fails with a message instead of a link error).
//
// The extern "C" mgpu* functions have the signatures that MLIR 22's
// gpu-to-llvm and gpu.binary translation emit (checked against mlir-opt /
// mlir-translate output):
//   ptr  mgpuModuleLoad(ptr, i64)          ptr  mgpuModuleLoadJIT(ptr, i32)
//   void mgpuModuleUnload(ptr)             ptr  mgpuModuleGetFunction(ptr, ptr)
//   void mgpuLaunchKernel(ptr, i64 x6, i32, ptr, ptr, ptr, i64)
//   ptr  mgpuStreamCreate()                void mgpuStreamDestroy(ptr)
//   void mgpuStreamSynchronize(ptr)        void mgpuStreamWaitEvent(ptr, ptr)
//   ptr  mgpuEventCreate()                 void mgpuEventDestroy(ptr)
//   void mgpuEventSynchronize(ptr)         void mgpuEventRecord(ptr, ptr)
//   ptr  mgpuMemAlloc(i64, ptr, i8)        void mgpuMemFree(ptr, ptr)
//   void mgpuMemcpy(ptr, ptr, i64, ptr)    void mgpuMemset32(ptr, i32, i64, ptr)
//   void mgpuMemset16(ptr, i16, i64, ptr)  void mgpuSetDefaultDevice(i32)
//   void mgpuMemHostRegisterMemRef(i64, ptr, i64)   (and ...Unregister...)
//
// Device memory comes from the device's stream-ordered memory pool
// (cuMemAllocAsync / cuMemFreeAsync) where the driver and device support it:
// results are allocated inside every timed call, and cuMemAlloc / cuMemFree
// are synchronous driver calls of tens to hundreds of microseconds, while the
// pool, once it holds enough, hands out and takes back memory without going
// to the OS. Otherwise (old driver, device without pools) it is cuMemAlloc /
// cuMemFree. The choice is made once, at initialize, for every allocation of
// the process, so that each free matches its allocation without looking the
// pointer up (managed memory aside, see freeMemory).
//
//===----------------------------------------------------------------------===//

#include "dyt/Runtime/CudaRuntime.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <limits>
#include <mutex>
#include <string>
#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace {

//===----------------------------------------------------------------------===//
// The few driver API types and constants we need (values from CUDA 13's
// cuda.h; they are ABI and do not change between versions).
//===----------------------------------------------------------------------===//

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using CUevent = struct CUevent_st *;
using CUmemoryPool = struct CUmemPoolHandle_st *;

constexpr CUresult CUDA_SUCCESS = 0;
// CUdevice_attribute
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
constexpr int CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED = 115;
// CUmemPool_attribute (value type cuuint64_t)
constexpr int CU_MEMPOOL_ATTR_RELEASE_THRESHOLD = 4;
// CUfunction_attribute
constexpr int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
// CUjit_option
constexpr int CU_JIT_ERROR_LOG_BUFFER = 5;
constexpr int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
constexpr int CU_JIT_OPTIMIZATION_LEVEL = 7;
// CUmemAttach_flags
constexpr unsigned CU_MEM_ATTACH_GLOBAL = 0x1;
// CUstream_flags: CU_STREAM_DEFAULT (0) synchronises with the legacy stream.
constexpr unsigned CU_STREAM_DEFAULT = 0x0;
// CUevent_flags
constexpr unsigned CU_EVENT_DEFAULT = 0x0;
constexpr unsigned CU_EVENT_DISABLE_TIMING = 0x2;

/// Kernels may use this much dynamic shared memory without opting in.
constexpr int32_t kDefaultDynamicSharedBytes = 48 * 1024;

/// Entry points, resolved by the names the driver exports (cuda.h's
/// `#define cuXxx cuXxx_v2` lines).
struct Driver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetName)(char *, int, CUdevice);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuCtxSynchronize)();
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*cuMemcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*cuMemsetD16Async)(CUdeviceptr, unsigned short, size_t, CUstream);
  CUresult (*cuMemHostRegister)(void *, size_t, unsigned);
  CUresult (*cuMemHostUnregister)(void *);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuFuncSetAttribute)(CUfunction, int, int);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, unsigned, CUstream,
                             void **, void **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuEventElapsedTime)(float *, CUevent, CUevent);
  // Optional (CUDA 11.2+): the stream-ordered allocator. Null where the driver
  // lacks them; then memory comes from cuMemAlloc.
  CUresult (*cuMemAllocAsync)(CUdeviceptr *, size_t, CUstream);
  CUresult (*cuMemFreeAsync)(CUdeviceptr, CUstream);
  CUresult (*cuDeviceGetDefaultMemPool)(CUmemoryPool *, CUdevice);
  CUresult (*cuMemPoolSetAttribute)(CUmemoryPool, int, void *);
};

struct State {
  std::mutex mutex; // Guards everything below but `ready` and the errors.
  /// Set (release) once initialization succeeded; the fields it publishes
  /// (cu, context, ...) do not change afterwards.
  std::atomic<bool> ready{false};
  bool attempted = false;
  std::string failure;
  Driver cu{};
  int ordinal = 0;
  CUcontext context = nullptr;
  std::string deviceName;
  int computeCapability = 0;
  /// Device memory comes from the default memory pool (cuMemAllocAsync /
  /// cuMemFreeAsync), not cuMemAlloc / cuMemFree. Published by `ready`.
  bool memoryPools = false;
  /// From mgpuSetDefaultDevice; -1: none.
  int requestedDevice = -1;
  /// Idle streams (see mgpuStreamCreate).
  std::vector<CUstream> streamPool;

  /// With memory pools: the managed (cuMemAllocManaged) allocations not
  /// freed yet, which need cuMemFree where everything else gets
  /// cuMemFreeAsync. `managedCount` is their number, so that frees skip the
  /// lock while there are none (generated code never asks for managed
  /// memory).
  std::mutex managedMutex;
  std::unordered_set<CUdeviceptr> managed;
  std::atomic<size_t> managedCount{0};

  std::mutex errorMutex;
  std::string lastError;
};

/// Never destroyed: generated code unloads its modules from a global
/// destructor, which may run after this file's statics would be gone.
State &state() {
  static State *s = new State;
  return *s;
}

/// The context this thread last made current, to skip cuCtxSetCurrent on the
/// hot path.
thread_local CUcontext tlsCurrentContext = nullptr;

std::string describe(const Driver &cu, const char *call, CUresult result) {
  const char *name = nullptr;
  const char *text = nullptr;
  if (cu.cuGetErrorName)
    cu.cuGetErrorName(result, &name);
  if (cu.cuGetErrorString)
    cu.cuGetErrorString(result, &text);
  std::string message = std::string(call) + ": ";
  message += name ? name : "CUDA error " + std::to_string(result);
  if (text)
    message += std::string(" (") + text + ")";
  return message;
}

void recordError(const std::string &message) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.errorMutex);
  if (!s.lastError.empty())
    return;
  s.lastError = message;
  std::fprintf(stderr, "dyt-cuda-runtime: %s\n", message.c_str());
}

template <typename F>
void resolve(void *library, F &fn, const char *name, std::string &missing) {
  fn = reinterpret_cast<F>(dlsym(library, name));
  if (!fn)
    missing += std::string(missing.empty() ? "" : ", ") + name;
}

bool resolveAll(void *lib, Driver &cu, std::string &missing) {
  resolve(lib, cu.cuInit, "cuInit", missing);
  resolve(lib, cu.cuDeviceGetCount, "cuDeviceGetCount", missing);
  resolve(lib, cu.cuDeviceGet, "cuDeviceGet", missing);
  resolve(lib, cu.cuDeviceGetName, "cuDeviceGetName", missing);
  resolve(lib, cu.cuDeviceGetAttribute, "cuDeviceGetAttribute", missing);
  resolve(lib, cu.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain",
          missing);
  resolve(lib, cu.cuCtxSetCurrent, "cuCtxSetCurrent", missing);
  resolve(lib, cu.cuCtxSynchronize, "cuCtxSynchronize", missing);
  resolve(lib, cu.cuGetErrorName, "cuGetErrorName", missing);
  resolve(lib, cu.cuGetErrorString, "cuGetErrorString", missing);
  resolve(lib, cu.cuMemAlloc, "cuMemAlloc_v2", missing);
  resolve(lib, cu.cuMemAllocManaged, "cuMemAllocManaged", missing);
  resolve(lib, cu.cuMemFree, "cuMemFree_v2", missing);
  resolve(lib, cu.cuMemcpyHtoD, "cuMemcpyHtoD_v2", missing);
  resolve(lib, cu.cuMemcpyDtoH, "cuMemcpyDtoH_v2", missing);
  resolve(lib, cu.cuMemcpyAsync, "cuMemcpyAsync", missing);
  resolve(lib, cu.cuMemsetD32Async, "cuMemsetD32Async", missing);
  resolve(lib, cu.cuMemsetD16Async, "cuMemsetD16Async", missing);
  resolve(lib, cu.cuMemHostRegister, "cuMemHostRegister_v2", missing);
  resolve(lib, cu.cuMemHostUnregister, "cuMemHostUnregister", missing);
  resolve(lib, cu.cuModuleLoadData, "cuModuleLoadData", missing);
  resolve(lib, cu.cuModuleLoadDataEx, "cuModuleLoadDataEx", missing);
  resolve(lib, cu.cuModuleGetFunction, "cuModuleGetFunction", missing);
  resolve(lib, cu.cuModuleUnload, "cuModuleUnload", missing);
  resolve(lib, cu.cuFuncSetAttribute, "cuFuncSetAttribute", missing);
  resolve(lib, cu.cuLaunchKernel, "cuLaunchKernel", missing);
  resolve(lib, cu.cuStreamCreate, "cuStreamCreate", missing);
  resolve(lib, cu.cuStreamDestroy, "cuStreamDestroy_v2", missing);
  resolve(lib, cu.cuStreamSynchronize, "cuStreamSynchronize", missing);
  resolve(lib, cu.cuStreamWaitEvent, "cuStreamWaitEvent", missing);
  resolve(lib, cu.cuEventCreate, "cuEventCreate", missing);
  resolve(lib, cu.cuEventDestroy, "cuEventDestroy_v2", missing);
  resolve(lib, cu.cuEventRecord, "cuEventRecord", missing);
  resolve(lib, cu.cuEventSynchronize, "cuEventSynchronize", missing);
  // _v2 (CUDA 12.8+) is what cuda.h maps the name to; older drivers only
  // export the original, which has the same signature.
  std::string ignored;
  resolve(lib, cu.cuEventElapsedTime, "cuEventElapsedTime_v2", ignored);
  if (!cu.cuEventElapsedTime)
    resolve(lib, cu.cuEventElapsedTime, "cuEventElapsedTime", missing);
  // Optional. The names without _ptsz: those use the legacy default stream
  // for a null stream, as everything else here does.
  resolve(lib, cu.cuMemAllocAsync, "cuMemAllocAsync", ignored);
  resolve(lib, cu.cuMemFreeAsync, "cuMemFreeAsync", ignored);
  resolve(lib, cu.cuDeviceGetDefaultMemPool, "cuDeviceGetDefaultMemPool",
          ignored);
  resolve(lib, cu.cuMemPoolSetAttribute, "cuMemPoolSetAttribute", ignored);
  return missing.empty();
}

/// Whether device memory can come from the device's default memory pool, and
/// if so makes the pool keep what is freed (its release threshold is 0 by
/// default: memory goes back to the OS at every synchronization, and the next
/// allocation maps it again, which is as slow as cuMemAlloc). Anything
/// missing or failing means no pools, which is not an error. The threshold is
/// the device's default pool's, so it holds for the whole process; the pool's
/// memory is reused by every allocation here, and released at exit.
///
/// cuMemAllocAsync allocates from the device's current pool, which is the
/// default pool unless someone calls cuDeviceSetMemPool (nothing here does).
bool setUpMemoryPool(const Driver &cu, CUdevice device) {
  if (!cu.cuMemAllocAsync || !cu.cuMemFreeAsync ||
      !cu.cuDeviceGetDefaultMemPool || !cu.cuMemPoolSetAttribute)
    return false;
  int supported = 0;
  if (cu.cuDeviceGetAttribute(&supported,
                              CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED,
                              device) != CUDA_SUCCESS ||
      !supported)
    return false;
  CUmemoryPool pool = nullptr;
  if (cu.cuDeviceGetDefaultMemPool(&pool, device) != CUDA_SUCCESS || !pool)
    return false;
  uint64_t threshold = std::numeric_limits<uint64_t>::max();
  return cu.cuMemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD,
                                  &threshold) == CUDA_SUCCESS;
}

/// The mgpuSetDefaultDevice one, else $DYT_CUDA_DEVICE, else 0.
bool pickOrdinal(const State &s, int &ordinal, std::string &error) {
  ordinal = 0;
  if (s.requestedDevice >= 0) {
    ordinal = s.requestedDevice;
    return true;
  }
  const char *env = std::getenv("DYT_CUDA_DEVICE");
  if (!env || !*env)
    return true;
  char *end = nullptr;
  errno = 0;
  long value = std::strtol(env, &end, 10);
  if (errno || *end || value < 0 || value > std::numeric_limits<int>::max()) {
    error = std::string("DYT_CUDA_DEVICE='") + env +
            "' is not a device number";
    return false;
  }
  ordinal = static_cast<int>(value);
  return true;
}

/// Called with s.mutex held, once.
bool load(State &s, std::string &error) {
  const char *override = std::getenv("DYT_CUDA_LIBRARY");
  std::vector<std::string> candidates;
  if (override && *override)
    candidates.push_back(override);
  else
    candidates = {"libcuda.so.1", "libcuda.so"};

  void *lib = nullptr;
  std::string loaded, firstDlError;
  for (const std::string &name : candidates) {
    lib = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib) {
      loaded = name;
      break;
    }
    if (firstDlError.empty()) {
      const char *why = dlerror();
      firstDlError = why ? why : name + ": dlopen failed";
    }
  }
  if (!lib) {
    if (override && *override)
      error = "cannot load the CUDA driver named by DYT_CUDA_LIBRARY (" +
              firstDlError + ")";
    else
      error = "cannot load the CUDA driver (" + firstDlError +
              "): no NVIDIA driver on this machine";
    return false;
  }

  Driver cu{};
  std::string missing;
  if (!resolveAll(lib, cu, missing)) {
    error = "the CUDA driver (" + loaded + ") lacks " + missing +
            ": driver too old?";
    dlclose(lib);
    return false;
  }

  // From cuInit on, the driver may have started threads and registered exit
  // handlers: it stays loaded even when initialization fails.
  auto fail = [&](const char *call, CUresult result) {
    error = describe(cu, call, result);
    return false;
  };
  CUresult result = cu.cuInit(0);
  if (result != CUDA_SUCCESS)
    return fail("cuInit", result);
  int ordinal = 0;
  if (!pickOrdinal(s, ordinal, error))
    return false;
  int count = 0;
  if ((result = cu.cuDeviceGetCount(&count)) != CUDA_SUCCESS)
    return fail("cuDeviceGetCount", result);
  if (ordinal >= count) {
    error = "CUDA device " + std::to_string(ordinal) + " requested, but " +
            std::to_string(count) + " device(s) found";
    return false;
  }
  CUdevice device = 0;
  if ((result = cu.cuDeviceGet(&device, ordinal)) != CUDA_SUCCESS)
    return fail("cuDeviceGet", result);
  char name[256] = {0};
  if ((result = cu.cuDeviceGetName(name, sizeof(name) - 1, device)) !=
      CUDA_SUCCESS)
    return fail("cuDeviceGetName", result);
  int major = 0, minor = 0;
  if (cu.cuDeviceGetAttribute(&major,
                              CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                              device) != CUDA_SUCCESS ||
      cu.cuDeviceGetAttribute(&minor,
                              CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                              device) != CUDA_SUCCESS)
    major = minor = 0;
  CUcontext context = nullptr;
  if ((result = cu.cuDevicePrimaryCtxRetain(&context, device)) !=
      CUDA_SUCCESS)
    return fail("cuDevicePrimaryCtxRetain", result);
  if ((result = cu.cuCtxSetCurrent(context)) != CUDA_SUCCESS)
    return fail("cuCtxSetCurrent", result);
  tlsCurrentContext = context;

  s.cu = cu;
  s.ordinal = ordinal;
  s.context = context;
  s.deviceName = name;
  s.computeCapability = major * 10 + minor;
  s.memoryPools = setUpMemoryPool(cu, device);
  return true;
}

/// Makes the runtime's context current on this thread (after initialize).
bool makeCurrent(std::string &error) {
  State &s = state();
  if (tlsCurrentContext == s.context)
    return true;
  CUresult result = s.cu.cuCtxSetCurrent(s.context);
  if (result != CUDA_SUCCESS) {
    error = describe(s.cu, "cuCtxSetCurrent", result);
    return false;
  }
  tlsCurrentContext = s.context;
  return true;
}

/// Initializes lazily and binds the context to this thread.
bool prepare(std::string &error) {
  if (!state().ready.load(std::memory_order_acquire))
    return dyt::cuda::initialize(error);
  return makeCurrent(error);
}

/// prepare() for the mgpu* entry points: failures go to the last error.
bool enter(const char *entry) {
  std::string error;
  if (prepare(error))
    return true;
  recordError(std::string(entry) + ": " + error);
  return false;
}

const Driver &driver() { return state().cu; }

/// Records a failed driver call; true on success.
bool check(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return true;
  recordError(describe(driver(), call, result));
  return false;
}

bool check(CUresult result, const char *call, std::string &error) {
  if (result == CUDA_SUCCESS)
    return true;
  error = describe(driver(), call, result);
  return false;
}

CUdeviceptr devicePtr(const void *ptr) {
  return static_cast<CUdeviceptr>(reinterpret_cast<uintptr_t>(ptr));
}

void *hostPtr(CUdeviceptr ptr) {
  return reinterpret_cast<void *>(static_cast<uintptr_t>(ptr));
}

/// A driver call's outcome and the name to report it under.
struct DriverCall {
  CUresult result;
  const char *name;
};

/// Device memory (after prepare): from the pool, in `stream`'s order (null:
/// the legacy default stream), else cuMemAlloc.
///
/// A pool allocation may be used by work ordered after it on `stream`. The
/// runtime's streams are created with CU_STREAM_DEFAULT (blocking), so the
/// legacy stream and they are ordered with one another: work queued later on
/// any of them, and the synchronous copies (which run on the legacy stream),
/// come after the allocation whichever of them it was queued on.
DriverCall allocateDevice(CUdeviceptr *ptr, size_t bytes, CUstream stream) {
  const State &s = state();
  if (s.memoryPools)
    return {s.cu.cuMemAllocAsync(ptr, bytes, stream), "cuMemAllocAsync"};
  return {s.cu.cuMemAlloc(ptr, bytes), "cuMemAlloc"};
}

/// Managed memory; remembered where frees need to tell it from pool memory.
DriverCall allocateManaged(CUdeviceptr *ptr, size_t bytes) {
  State &s = state();
  CUresult result = s.cu.cuMemAllocManaged(ptr, bytes, CU_MEM_ATTACH_GLOBAL);
  if (result == CUDA_SUCCESS && s.memoryPools) {
    std::lock_guard<std::mutex> lock(s.managedMutex);
    s.managed.insert(*ptr);
    s.managedCount.store(s.managed.size(), std::memory_order_release);
  }
  return {result, "cuMemAllocManaged"};
}

/// Frees what allocateDevice or allocateManaged gave (after prepare). Pool
/// memory goes back to the pool in `stream`'s order (null: the legacy
/// stream): the driver hands it out again only to allocations ordered after
/// the free, or once the free has run, so the free is safe as soon as every
/// use of the memory is ordered before it on `stream`. The legacy stream
/// waits for all work queued before on the runtime's streams (created
/// blocking, with flags 0), so a free there is safe for memory used on any of
/// them: that is how the C++ API frees what generated code allocated on its
/// streams and returned, without synchronizing first.
DriverCall freeMemory(CUdeviceptr ptr, CUstream stream) {
  State &s = state();
  if (s.memoryPools) {
    bool managed = false;
    if (s.managedCount.load(std::memory_order_acquire)) {
      std::lock_guard<std::mutex> lock(s.managedMutex);
      managed = s.managed.erase(ptr);
      s.managedCount.store(s.managed.size(), std::memory_order_release);
    }
    if (!managed)
      return {s.cu.cuMemFreeAsync(ptr, stream), "cuMemFreeAsync"};
  }
  return {s.cu.cuMemFree(ptr), "cuMemFree"};
}

bool toUnsigned(intptr_t value, unsigned &out) {
  if (value < 0 || static_cast<uintmax_t>(value) >
                       std::numeric_limits<unsigned>::max())
    return false;
  out = static_cast<unsigned>(value);
  return true;
}

/// The head of MLIR's ranked memref descriptor; sizes[rank] and
/// strides[rank] follow it.
struct MemRefDescriptor {
  char *allocated;
  char *aligned;
  int64_t offset;
};

/// The bytes a memref spans from its first element (strides need not be
/// dense).
uint64_t memrefSpanBytes(int64_t rank, const MemRefDescriptor *desc,
                         int64_t elementBytes) {
  const int64_t *sizes = reinterpret_cast<const int64_t *>(desc + 1);
  const int64_t *strides = sizes + rank;
  int64_t lastIndex = 0;
  for (int64_t i = 0; i < rank; ++i) {
    if (sizes[i] <= 0)
      return 0;
    lastIndex += (sizes[i] - 1) * strides[i];
  }
  return static_cast<uint64_t>(lastIndex + 1) * elementBytes;
}

/// The dynamic shared memory limits raised per kernel function (functions
/// live as long as their module; a reloaded module gets new handles).
std::mutex sharedLimitsMutex;
std::unordered_map<CUfunction, intptr_t> &sharedLimits() {
  static std::unordered_map<CUfunction, intptr_t> limits;
  return limits;
}

bool raisedSharedLimit(CUfunction fn, intptr_t bytes) {
  std::lock_guard<std::mutex> lock(sharedLimitsMutex);
  auto it = sharedLimits().find(fn);
  return it != sharedLimits().end() && it->second >= bytes;
}

void forgetSharedLimits() {
  std::lock_guard<std::mutex> lock(sharedLimitsMutex);
  sharedLimits().clear();
}

void rememberSharedLimit(CUfunction fn, intptr_t bytes) {
  std::lock_guard<std::mutex> lock(sharedLimitsMutex);
  intptr_t &limit = sharedLimits()[fn];
  limit = std::max(limit, bytes);
}

} // namespace

//===----------------------------------------------------------------------===//
// C++ API
//===----------------------------------------------------------------------===//

bool dyt::cuda::initialize(std::string &error) {
  State &s = state();
  if (s.ready.load(std::memory_order_acquire))
    return makeCurrent(error);
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.ready.load(std::memory_order_relaxed))
    return makeCurrent(error);
  if (s.attempted) {
    error = s.failure;
    return false;
  }
  s.attempted = true;
  if (!load(s, s.failure)) {
    error = s.failure;
    return false;
  }
  s.ready.store(true, std::memory_order_release);
  return true;
}

std::string dyt::cuda::getDeviceName() {
  State &s = state();
  return s.ready.load(std::memory_order_acquire) ? s.deviceName : "";
}

int dyt::cuda::getComputeCapability() {
  State &s = state();
  return s.ready.load(std::memory_order_acquire) ? s.computeCapability : 0;
}

std::string dyt::cuda::takeLastError() {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.errorMutex);
  std::string error;
  error.swap(s.lastError);
  return error;
}

bool dyt::cuda::usesMemoryPool() {
  State &s = state();
  return s.ready.load(std::memory_order_acquire) && s.memoryPools;
}

void *dyt::cuda::allocate(size_t bytes, std::string &error) {
  if (!prepare(error) || bytes == 0)
    return nullptr;
  CUdeviceptr ptr = 0;
  DriverCall call = allocateDevice(&ptr, bytes, nullptr);
  if (!check(call.result, call.name, error))
    return nullptr;
  return hostPtr(ptr);
}

/// On the legacy stream, and nothing after it: see freeMemory.
bool dyt::cuda::release(void *ptr, std::string &error) {
  if (!ptr)
    return true;
  if (!prepare(error))
    return false;
  DriverCall call = freeMemory(devicePtr(ptr), nullptr);
  return check(call.result, call.name, error);
}

bool dyt::cuda::copyToDevice(void *dst, const void *src, size_t bytes,
                             std::string &error) {
  if (!prepare(error))
    return false;
  return bytes == 0 || check(driver().cuMemcpyHtoD(devicePtr(dst), src, bytes),
                             "cuMemcpyHtoD", error);
}

bool dyt::cuda::copyToHost(void *dst, const void *src, size_t bytes,
                           std::string &error) {
  if (!prepare(error))
    return false;
  return bytes == 0 || check(driver().cuMemcpyDtoH(dst, devicePtr(src), bytes),
                             "cuMemcpyDtoH", error);
}

bool dyt::cuda::copyOnDevice(void *dst, const void *src, size_t bytes,
                             std::string &error) {
  if (!prepare(error))
    return false;
  if (bytes == 0)
    return true;
  const Driver &cu = driver();
  return check(cu.cuMemcpyAsync(devicePtr(dst), devicePtr(src), bytes,
                                nullptr),
               "cuMemcpyAsync", error) &&
         check(cu.cuStreamSynchronize(nullptr), "cuStreamSynchronize", error);
}

bool dyt::cuda::synchronize(std::string &error) {
  return prepare(error) &&
         check(driver().cuCtxSynchronize(), "cuCtxSynchronize", error);
}

bool dyt::cuda::timeWithEvents(const std::function<void()> &fn,
                               unsigned iterations,
                               std::vector<double> &seconds,
                               std::string &error) {
  seconds.clear();
  if (!prepare(error))
    return false;
  const Driver &cu = driver();
  // All events are recorded first and read at the end, so that waiting for
  // one iteration does not leave the GPU idle before the next.
  std::vector<CUevent> events;
  events.reserve(2 * static_cast<size_t>(iterations));
  auto cleanup = [&] {
    for (CUevent event : events)
      cu.cuEventDestroy(event);
  };
  for (size_t i = 0; i < 2 * static_cast<size_t>(iterations); ++i) {
    CUevent event = nullptr;
    if (!check(cu.cuEventCreate(&event, CU_EVENT_DEFAULT), "cuEventCreate",
               error)) {
      cleanup();
      return false;
    }
    events.push_back(event);
  }
  for (unsigned i = 0; i < iterations; ++i) {
    if (!check(cu.cuEventRecord(events[2 * i], nullptr), "cuEventRecord",
               error)) {
      cleanup();
      return false;
    }
    fn();
    // fn() may have made another context current.
    if (!makeCurrent(error) ||
        !check(cu.cuEventRecord(events[2 * i + 1], nullptr), "cuEventRecord",
               error)) {
      cleanup();
      return false;
    }
  }
  if (iterations &&
      !check(cu.cuEventSynchronize(events.back()), "cuEventSynchronize",
             error)) {
    cleanup();
    return false;
  }
  for (unsigned i = 0; i < iterations; ++i) {
    float ms = 0;
    if (!check(cu.cuEventElapsedTime(&ms, events[2 * i], events[2 * i + 1]),
               "cuEventElapsedTime", error)) {
      cleanup();
      seconds.clear();
      return false;
    }
    seconds.push_back(ms * 1e-3);
  }
  cleanup();
  return true;
}

void dyt::cuda::detail::resetForTesting() {
  State &s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.ready.load(std::memory_order_relaxed))
      for (CUstream stream : s.streamPool)
        s.cu.cuStreamDestroy(stream);
    s.streamPool.clear();
    s.ready.store(false, std::memory_order_release);
    s.attempted = false;
    s.failure.clear();
    s.requestedDevice = -1;
    // The library stays loaded: a leaked dlopen reference is harmless and
    // pointers handed out before stay usable.
    s.cu = Driver{};
    s.context = nullptr;
    s.deviceName.clear();
    s.computeCapability = 0;
    s.memoryPools = false;
  }
  {
    std::lock_guard<std::mutex> lock(s.managedMutex);
    s.managed.clear();
    s.managedCount.store(0, std::memory_order_release);
  }
  tlsCurrentContext = nullptr;
  std::lock_guard<std::mutex> lock(s.errorMutex);
  s.lastError.clear();
}

//===----------------------------------------------------------------------===//
// The entry points of MLIR's gpu-to-llvm lowering. Never abort: failures are
// recorded (takeLastError) and give null/no-op results.
//===----------------------------------------------------------------------===//

#define DYT_CUDA_EXPORT extern "C" __attribute__((visibility("default")))

DYT_CUDA_EXPORT void *mgpuModuleLoad(void *data, size_t /*sizeBytes*/) {
  if (!enter("mgpuModuleLoad"))
    return nullptr;
  CUmodule module = nullptr;
  if (!check(driver().cuModuleLoadData(&module, data), "cuModuleLoadData"))
    return nullptr;
  return module;
}

/// `data` is NUL-terminated PTX, compiled by the driver's JIT.
DYT_CUDA_EXPORT void *mgpuModuleLoadJIT(void *data, int optLevel) {
  if (!enter("mgpuModuleLoadJIT"))
    return nullptr;
  char log[8192] = {0};
  int options[] = {CU_JIT_OPTIMIZATION_LEVEL, CU_JIT_ERROR_LOG_BUFFER,
                   CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  // Option values are passed as pointer-sized integers.
  void *values[] = {reinterpret_cast<void *>(static_cast<intptr_t>(optLevel)),
                    log, reinterpret_cast<void *>(sizeof(log) - 1)};
  CUmodule module = nullptr;
  CUresult result =
      driver().cuModuleLoadDataEx(&module, data, 3, options, values);
  if (result != CUDA_SUCCESS) {
    std::string message = describe(driver(), "cuModuleLoadDataEx", result);
    if (log[0])
      message += ": " + std::string(log);
    recordError(message);
    return nullptr;
  }
  return module;
}

DYT_CUDA_EXPORT void mgpuModuleUnload(void *module) {
  if (!module || !enter("mgpuModuleUnload"))
    return;
  // Its functions' handles may be reused by a module loaded later.
  forgetSharedLimits();
  check(driver().cuModuleUnload(static_cast<CUmodule>(module)),
        "cuModuleUnload");
}

DYT_CUDA_EXPORT void *mgpuModuleGetFunction(void *module, const char *name) {
  if (!enter("mgpuModuleGetFunction"))
    return nullptr;
  if (!module) {
    recordError(std::string("mgpuModuleGetFunction: no module to get '") +
                (name ? name : "") + "' from (its loading failed)");
    return nullptr;
  }
  CUfunction function = nullptr;
  if (!check(driver().cuModuleGetFunction(&function,
                                          static_cast<CUmodule>(module), name),
             "cuModuleGetFunction"))
    return nullptr;
  return function;
}

/// The dimensions are MLIR index values (intptr_t); paramsCount is unused
/// (the driver reads the kernel's parameter layout itself).
DYT_CUDA_EXPORT void mgpuLaunchKernel(void *function, intptr_t gridX,
                                      intptr_t gridY, intptr_t gridZ,
                                      intptr_t blockX, intptr_t blockY,
                                      intptr_t blockZ, int32_t smem,
                                      void *stream, void **params,
                                      void **extra, size_t /*paramsCount*/) {
  if (!enter("mgpuLaunchKernel"))
    return;
  if (!function) {
    recordError("mgpuLaunchKernel: no kernel (getting it failed)");
    return;
  }
  unsigned gx, gy, gz, bx, by, bz;
  if (!toUnsigned(gridX, gx) || !toUnsigned(gridY, gy) ||
      !toUnsigned(gridZ, gz) || !toUnsigned(blockX, bx) ||
      !toUnsigned(blockY, by) || !toUnsigned(blockZ, bz) || smem < 0) {
    recordError("mgpuLaunchKernel: grid (" + std::to_string(gridX) + ", " +
                std::to_string(gridY) + ", " + std::to_string(gridZ) +
                "), block (" + std::to_string(blockX) + ", " +
                std::to_string(blockY) + ", " + std::to_string(blockZ) +
                ") or shared memory " + std::to_string(smem) +
                " out of range");
    return;
  }
  const Driver &cu = driver();
  auto *fn = static_cast<CUfunction>(function);
  // Above 48 KiB the kernel must opt in, or the launch fails. The limit
  // raised for a function is remembered: norm kernels launch with their
  // row cache on every call, and the driver call is not free.
  if (smem > kDefaultDynamicSharedBytes && !raisedSharedLimit(fn, smem)) {
    if (!check(cu.cuFuncSetAttribute(
                   fn, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, smem),
               "cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES)"))
      return;
    rememberSharedLimit(fn, smem);
  }
  check(cu.cuLaunchKernel(fn, gx, gy, gz, bx, by, bz,
                          static_cast<unsigned>(smem),
                          static_cast<CUstream>(stream), params, extra),
        "cuLaunchKernel");
}

/// MLIR's host code creates and destroys a stream around every launch (and
/// per async region); in a benchmark loop that would be two driver calls per
/// iteration, with their own latency, in what is measured. So streams come
/// from a pool and go back to it. They are created with CU_STREAM_DEFAULT
/// (not NON_BLOCKING) so that they synchronise with the legacy default
/// stream, which the C++ API's copies, timing events and frees use: pool
/// memory allocated on one of them and freed on the legacy stream relies on
/// it (see freeMemory).
DYT_CUDA_EXPORT void *mgpuStreamCreate() {
  if (!enter("mgpuStreamCreate"))
    return nullptr;
  State &s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.streamPool.empty()) {
      CUstream stream = s.streamPool.back();
      s.streamPool.pop_back();
      return stream;
    }
  }
  CUstream stream = nullptr;
  if (!check(driver().cuStreamCreate(&stream, CU_STREAM_DEFAULT),
             "cuStreamCreate"))
    return nullptr;
  return stream;
}

/// Back to the pool. Work still queued on it stays ordered before whatever
/// its next user queues, which keeps reuse correct.
DYT_CUDA_EXPORT void mgpuStreamDestroy(void *stream) {
  if (!stream)
    return;
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.streamPool.push_back(static_cast<CUstream>(stream));
}

DYT_CUDA_EXPORT void mgpuStreamSynchronize(void *stream) {
  if (!enter("mgpuStreamSynchronize"))
    return;
  check(driver().cuStreamSynchronize(static_cast<CUstream>(stream)),
        "cuStreamSynchronize");
}

DYT_CUDA_EXPORT void mgpuStreamWaitEvent(void *stream, void *event) {
  if (!enter("mgpuStreamWaitEvent"))
    return;
  check(driver().cuStreamWaitEvent(static_cast<CUstream>(stream),
                                   static_cast<CUevent>(event), 0),
        "cuStreamWaitEvent");
}

/// Only for ordering between streams, so no timing (cheaper to record).
DYT_CUDA_EXPORT void *mgpuEventCreate() {
  if (!enter("mgpuEventCreate"))
    return nullptr;
  CUevent event = nullptr;
  if (!check(driver().cuEventCreate(&event, CU_EVENT_DISABLE_TIMING),
             "cuEventCreate"))
    return nullptr;
  return event;
}

DYT_CUDA_EXPORT void mgpuEventDestroy(void *event) {
  if (!event || !enter("mgpuEventDestroy"))
    return;
  check(driver().cuEventDestroy(static_cast<CUevent>(event)),
        "cuEventDestroy");
}

DYT_CUDA_EXPORT void mgpuEventSynchronize(void *event) {
  if (!enter("mgpuEventSynchronize"))
    return;
  if (!event) {
    recordError("mgpuEventSynchronize: no event (creating it failed)");
    return;
  }
  check(driver().cuEventSynchronize(static_cast<CUevent>(event)),
        "cuEventSynchronize");
}

DYT_CUDA_EXPORT void mgpuEventRecord(void *event, void *stream) {
  if (!enter("mgpuEventRecord"))
    return;
  if (!event) {
    recordError("mgpuEventRecord: no event (creating it failed)");
    return;
  }
  check(driver().cuEventRecord(static_cast<CUevent>(event),
                               static_cast<CUstream>(stream)),
        "cuEventRecord");
}

/// Device memory from the pool in `stream`'s order (see allocateDevice),
/// else cuMemAlloc (synchronous whatever the stream). isHostShared gives
/// managed memory (cuMemAllocManaged, synchronous), reachable from host and
/// device alike. 0 bytes gives nullptr.
DYT_CUDA_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, void *stream,
                                   bool isHostShared) {
  if (!enter("mgpuMemAlloc") || sizeBytes == 0)
    return nullptr;
  CUdeviceptr ptr = 0;
  DriverCall call =
      isHostShared
          ? allocateManaged(&ptr, sizeBytes)
          : allocateDevice(&ptr, sizeBytes, static_cast<CUstream>(stream));
  return check(call.result, call.name) ? hostPtr(ptr) : nullptr;
}

/// Pool memory back to the pool in `stream`'s order (see freeMemory), else
/// cuMemFree.
DYT_CUDA_EXPORT void mgpuMemFree(void *ptr, void *stream) {
  if (!ptr || !enter("mgpuMemFree"))
    return;
  DriverCall call = freeMemory(devicePtr(ptr), static_cast<CUstream>(stream));
  check(call.result, call.name);
}

/// Any direction: unified addressing tells host from device pointers.
DYT_CUDA_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                                void *stream) {
  if (sizeBytes == 0 || !enter("mgpuMemcpy"))
    return;
  check(driver().cuMemcpyAsync(devicePtr(dst), devicePtr(src), sizeBytes,
                               static_cast<CUstream>(stream)),
        "cuMemcpyAsync");
}

DYT_CUDA_EXPORT void mgpuMemset32(void *dst, unsigned int value, size_t count,
                                  void *stream) {
  if (count == 0 || !enter("mgpuMemset32"))
    return;
  check(driver().cuMemsetD32Async(devicePtr(dst), value, count,
                                  static_cast<CUstream>(stream)),
        "cuMemsetD32Async");
}

DYT_CUDA_EXPORT void mgpuMemset16(void *dst, unsigned short value,
                                  size_t count, void *stream) {
  if (count == 0 || !enter("mgpuMemset16"))
    return;
  check(driver().cuMemsetD16Async(devicePtr(dst), value, count,
                                  static_cast<CUstream>(stream)),
        "cuMemsetD16Async");
}

DYT_CUDA_EXPORT void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes) {
  if (!ptr || sizeBytes == 0 || !enter("mgpuMemHostRegister"))
    return;
  check(driver().cuMemHostRegister(ptr, sizeBytes, 0), "cuMemHostRegister");
}

DYT_CUDA_EXPORT void mgpuMemHostUnregister(void *ptr) {
  if (!ptr || !enter("mgpuMemHostUnregister"))
    return;
  check(driver().cuMemHostUnregister(ptr), "cuMemHostUnregister");
}

DYT_CUDA_EXPORT void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                                               int64_t elementSizeBytes) {
  auto *desc = static_cast<const MemRefDescriptor *>(descriptor);
  mgpuMemHostRegister(desc->aligned + desc->offset * elementSizeBytes,
                      memrefSpanBytes(rank, desc, elementSizeBytes));
}

DYT_CUDA_EXPORT void mgpuMemHostUnregisterMemRef(int64_t /*rank*/,
                                                 void *descriptor,
                                                 int64_t elementSizeBytes) {
  auto *desc = static_cast<const MemRefDescriptor *>(descriptor);
  mgpuMemHostUnregister(desc->aligned + desc->offset * elementSizeBytes);
}

/// Chooses the device before the runtime initializes; afterwards only the same
/// device is accepted (the context, its streams and allocations are bound to
/// it).
DYT_CUDA_EXPORT void mgpuSetDefaultDevice(int32_t device) {
  State &s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.ready.load(std::memory_order_relaxed)) {
      s.requestedDevice = device < 0 ? 0 : device;
      return;
    }
    if (device == s.ordinal)
      return;
  }
  recordError("mgpuSetDefaultDevice: the runtime already runs on device " +
              std::to_string(s.ordinal) + "; switching to device " +
              std::to_string(device) + " is not supported");
}
