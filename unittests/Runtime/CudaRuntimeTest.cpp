//===- CudaRuntimeTest.cpp - The CUDA host runtime --------------------------===//
//
// The no-driver tests run everywhere; the others need a GPU and skip (with the
// reason) where initialize() fails.
//
//===----------------------------------------------------------------------===//

#include "FakeCudaDriver.h"
#include "dyt/Runtime/CudaRuntime.h"

#include "gtest/gtest.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

// The entry points of gpu-to-llvm host code, as the library exports them.
extern "C" {
void *mgpuModuleLoad(void *data, size_t sizeBytes);
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t paramsCount);
void *mgpuStreamCreate();
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate();
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, bool isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream);
void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream);
void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  void *stream);
void mgpuSetDefaultDevice(int32_t device);
}

namespace cuda = dyt::cuda;

namespace {

/// y[i] = x[i] + 1 for i < n (checked with ptxas -arch=sm_90).
const char kAddOnePtx[] = R"(
.version 8.0
.target sm_90
.address_size 64

.visible .entry add_one(
  .param .u64 x,
  .param .u64 y,
  .param .u32 n
)
{
  .reg .pred %p<2>;
  .reg .b32 %r<6>;
  .reg .f32 %f<3>;
  .reg .b64 %rd<8>;

  ld.param.u64 %rd1, [x];
  ld.param.u64 %rd2, [y];
  ld.param.u32 %r1, [n];
  mov.u32 %r2, %ctaid.x;
  mov.u32 %r3, %ntid.x;
  mov.u32 %r4, %tid.x;
  mad.lo.s32 %r5, %r2, %r3, %r4;
  setp.ge.u32 %p1, %r5, %r1;
  @%p1 bra DONE;
  cvta.to.global.u64 %rd3, %rd1;
  cvta.to.global.u64 %rd4, %rd2;
  mul.wide.u32 %rd5, %r5, 4;
  add.s64 %rd6, %rd3, %rd5;
  add.s64 %rd7, %rd4, %rd5;
  ld.global.f32 %f1, [%rd6];
  add.f32 %f2, %f1, 0f3F800000;
  st.global.f32 [%rd7], %f2;
DONE:
  ret;
}
)";

/// Sets (or unsets, for nullptr) an environment variable for one test and
/// restores it after.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name(name) {
    if (const char *old = std::getenv(name)) {
      hadOld = true;
      oldValue = old;
    }
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (hadOld)
      setenv(name, oldValue.c_str(), 1);
    else
      unsetenv(name);
  }

private:
  const char *name;
  bool hadOld = false;
  std::string oldValue;
};

/// Each test starts from an uninitialized runtime and leaves one behind, so
/// that the environment it sets is what initialize() sees.
class CudaRuntimeFreshTest : public ::testing::Test {
protected:
  void SetUp() override { cuda::detail::resetForTesting(); }
  void TearDown() override { cuda::detail::resetForTesting(); }
};

constexpr const char *kMissingDriver = "/nonexistent/dyt-test/libcuda.so.1";

TEST_F(CudaRuntimeFreshTest, MissingDriverFailsWithItsName) {
  ScopedEnv env("DYT_CUDA_LIBRARY", kMissingDriver);
  std::string error;
  EXPECT_FALSE(cuda::initialize(error));
  EXPECT_NE(error.find("cannot load the CUDA driver"), std::string::npos)
      << error;
  EXPECT_NE(error.find(kMissingDriver), std::string::npos) << error;
  EXPECT_EQ(cuda::getDeviceName(), "");
  EXPECT_EQ(cuda::getComputeCapability(), 0);

  // The outcome is kept: the same answer without trying again.
  std::string again;
  EXPECT_FALSE(cuda::initialize(again));
  EXPECT_EQ(again, error);
  // initialize() itself does not touch the mgpu* error.
  EXPECT_EQ(cuda::takeLastError(), "");
}

TEST_F(CudaRuntimeFreshTest, EntryPointsFailCleanlyWithoutDriver) {
  ScopedEnv env("DYT_CUDA_LIBRARY", kMissingDriver);
  EXPECT_EQ(mgpuMemAlloc(256, nullptr, false), nullptr);
  std::string error = cuda::takeLastError();
  EXPECT_NE(error.find("mgpuMemAlloc"), std::string::npos) << error;
  EXPECT_NE(error.find("cannot load the CUDA driver"), std::string::npos)
      << error;
  EXPECT_NE(error.find(kMissingDriver), std::string::npos) << error;
  EXPECT_EQ(cuda::takeLastError(), "") << "taking the error clears it";

  // What generated host code does, in order: none of it may crash, and the
  // first failure is the one kept.
  void *module = mgpuModuleLoadJIT(const_cast<char *>(kAddOnePtx), 2);
  EXPECT_EQ(module, nullptr);
  void *function = mgpuModuleGetFunction(module, "add_one");
  EXPECT_EQ(function, nullptr);
  void *stream = mgpuStreamCreate();
  EXPECT_EQ(stream, nullptr);
  void *buffer = mgpuMemAlloc(64, stream, true);
  EXPECT_EQ(buffer, nullptr);
  mgpuMemset32(buffer, 0, 16, stream);
  mgpuMemset16(buffer, 0, 32, stream);
  mgpuMemcpy(buffer, buffer, 64, stream);
  void *params[] = {&buffer};
  mgpuLaunchKernel(function, 1, 1, 1, 32, 1, 1, 0, stream, params, nullptr,
                   1);
  void *event = mgpuEventCreate();
  mgpuEventRecord(event, stream);
  mgpuStreamWaitEvent(stream, event);
  mgpuEventSynchronize(event);
  mgpuEventDestroy(event);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  mgpuMemFree(buffer, stream);
  mgpuModuleUnload(module);
  error = cuda::takeLastError();
  EXPECT_NE(error.find("mgpuModuleLoadJIT: cannot load the CUDA driver"),
            std::string::npos)
      << error;

  // The C++ API reports the same failure directly.
  std::string direct;
  EXPECT_EQ(cuda::allocate(16, direct), nullptr);
  EXPECT_NE(direct.find(kMissingDriver), std::string::npos) << direct;
  std::vector<double> seconds;
  EXPECT_FALSE(cuda::timeWithEvents([] {}, 3, seconds, direct));
  EXPECT_TRUE(seconds.empty());
  EXPECT_EQ(cuda::takeLastError(), "");
}

TEST_F(CudaRuntimeFreshTest, DefaultDriverLoadsOrSaysWhy) {
  ScopedEnv env("DYT_CUDA_LIBRARY", nullptr);
  std::string error;
  if (cuda::initialize(error)) {
    EXPECT_NE(cuda::getDeviceName(), "");
    EXPECT_GT(cuda::getComputeCapability(), 0);
    return;
  }
  EXPECT_FALSE(error.empty());
  if (error.find("cannot load") != std::string::npos) {
    EXPECT_NE(error.find("libcuda.so.1"), std::string::npos) << error;
    EXPECT_NE(error.find("no NVIDIA driver"), std::string::npos) << error;
  }
}

/// The library can stand in for MLIR's CUDA runtime wrappers: it exports
/// every entry point that MLIR 22's gpu-to-llvm output declares.
TEST(CudaRuntimeLibraryTest, ExportsTheMgpuEntryPoints) {
  void *lib = dlopen(DYT_CUDA_RUNTIME_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(lib, nullptr) << dlerror();
  for (const char *name :
       {"mgpuModuleLoad", "mgpuModuleLoadJIT", "mgpuModuleUnload",
        "mgpuModuleGetFunction", "mgpuLaunchKernel", "mgpuStreamCreate",
        "mgpuStreamDestroy", "mgpuStreamSynchronize", "mgpuStreamWaitEvent",
        "mgpuEventCreate", "mgpuEventDestroy", "mgpuEventSynchronize",
        "mgpuEventRecord", "mgpuMemAlloc", "mgpuMemFree", "mgpuMemcpy",
        "mgpuMemset32", "mgpuMemset16", "mgpuSetDefaultDevice",
        "mgpuMemHostRegisterMemRef", "mgpuMemHostUnregisterMemRef"})
    EXPECT_NE(dlsym(lib, name), nullptr) << name;
  dlclose(lib);
}

//===----------------------------------------------------------------------===//
// On the fake driver (FakeCudaDriver.cpp): the success paths, everywhere
//===----------------------------------------------------------------------===//


using GetFakeStats = void (*)(FakeCudaStats *);

/// The stats of a fake driver the runtime loaded; null if it did not.
GetFakeStats fakeStatsOf(const char *driver) {
  void *lib = dlopen(driver, RTLD_NOW | RTLD_NOLOAD);
  if (!lib)
    return nullptr;
  auto getStats =
      reinterpret_cast<GetFakeStats>(dlsym(lib, "fakeCudaGetStats"));
  dlclose(lib); // The runtime's reference keeps it loaded.
  return getStats;
}

class FakeDriverTest : public CudaRuntimeFreshTest {
protected:
  void SetUp() override {
    CudaRuntimeFreshTest::SetUp();
    std::string error;
    ASSERT_TRUE(cuda::initialize(error)) << error;
    getStats = fakeStatsOf(DYT_FAKE_CUDA_DRIVER);
    ASSERT_NE(getStats, nullptr) << "the runtime did not load the fake driver";
  }
  void TearDown() override {
    EXPECT_EQ(cuda::takeLastError(), "");
    CudaRuntimeFreshTest::TearDown();
  }
  FakeCudaStats stats() {
    FakeCudaStats s{};
    getStats(&s);
    return s;
  }

  ScopedEnv env{"DYT_CUDA_LIBRARY", DYT_FAKE_CUDA_DRIVER};
  ScopedEnv device{"DYT_CUDA_DEVICE", nullptr};
  ScopedEnv pools{"DYT_FAKE_CUDA_MEMORY_POOLS", nullptr};
  GetFakeStats getStats = nullptr;
};

TEST_F(FakeDriverTest, DescribesTheDevice) {
  EXPECT_EQ(cuda::getDeviceName(), "dyt fake CUDA device");
  EXPECT_EQ(cuda::getComputeCapability(), 90);
}

TEST_F(FakeDriverTest, CopiesAndMemsets) {
  std::string error;
  std::vector<uint32_t> in = {1, 2, 3, 4}, out(4, 0);
  void *a = cuda::allocate(16, error);
  void *b = cuda::allocate(16, error);
  ASSERT_TRUE(a && b) << error;
  ASSERT_TRUE(cuda::copyToDevice(a, in.data(), 16, error)) << error;
  ASSERT_TRUE(cuda::copyOnDevice(b, a, 16, error)) << error;
  ASSERT_TRUE(cuda::copyToHost(out.data(), b, 16, error)) << error;
  EXPECT_EQ(out, in);

  mgpuMemset32(a, 0xDEADBEEF, 4, nullptr);
  mgpuMemcpy(out.data(), a, 16, nullptr);
  EXPECT_EQ(out, std::vector<uint32_t>(4, 0xDEADBEEF));
  mgpuMemset16(b, 0xABCD, 8, nullptr);
  std::vector<uint16_t> out16(8, 0);
  mgpuMemcpy(out16.data(), b, 16, nullptr);
  EXPECT_EQ(out16, std::vector<uint16_t>(8, 0xABCD));

  EXPECT_TRUE(cuda::synchronize(error)) << error;
  EXPECT_TRUE(cuda::release(a, error)) << error;
  EXPECT_TRUE(cuda::release(b, error)) << error;
  EXPECT_EQ(cuda::allocate(0, error), nullptr);
  EXPECT_TRUE(cuda::release(nullptr, error));
}

TEST_F(FakeDriverTest, ReusesStreams) {
  FakeCudaStats before = stats();
  for (int i = 0; i < 10; ++i)
    mgpuStreamDestroy(mgpuStreamCreate());
  FakeCudaStats after = stats();
  EXPECT_EQ(after.streamsCreated - before.streamsCreated, 1);
  EXPECT_EQ(after.streamsDestroyed, before.streamsDestroyed);

  void *a = mgpuStreamCreate();
  void *b = mgpuStreamCreate();
  EXPECT_NE(a, b);
  EXPECT_EQ(stats().streamsCreated - before.streamsCreated, 2);
  mgpuStreamDestroy(a);
  mgpuStreamDestroy(b);
}

TEST_F(FakeDriverTest, LaunchesAndOptsIntoLargeSharedMemory) {
  constexpr unsigned n = 300;
  std::vector<float> in(n), out(n, 0.0f);
  for (unsigned i = 0; i < n; ++i)
    in[i] = static_cast<float>(i) * 0.25f;
  std::string error;
  void *x = cuda::allocate(n * 4, error);
  void *y = cuda::allocate(n * 4, error);
  ASSERT_TRUE(x && y) << error;
  ASSERT_TRUE(cuda::copyToDevice(x, in.data(), n * 4, error)) << error;

  void *module = mgpuModuleLoadJIT(const_cast<char *>(kAddOnePtx), 3);
  ASSERT_NE(module, nullptr) << cuda::takeLastError();
  EXPECT_EQ(stats().lastJitOptLevel, 3);
  void *function = mgpuModuleGetFunction(module, "add_one");
  ASSERT_NE(function, nullptr) << cuda::takeLastError();

  unsigned count = n;
  void *params[] = {&x, &y, &count};
  FakeCudaStats before = stats();
  void *stream = mgpuStreamCreate();
  mgpuLaunchKernel(function, (n + 127) / 128, 1, 1, 128, 1, 1, 48 * 1024,
                   stream, params, nullptr, 3);
  EXPECT_EQ(stats().setAttributeCalls, before.setAttributeCalls);
  mgpuLaunchKernel(function, (n + 127) / 128, 1, 1, 128, 1, 1, 100 * 1024,
                   stream, params, nullptr, 3);
  EXPECT_EQ(stats().setAttributeCalls, before.setAttributeCalls + 1);
  EXPECT_EQ(stats().launches, before.launches + 2);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  ASSERT_TRUE(cuda::copyToHost(out.data(), y, n * 4, error)) << error;
  for (unsigned i = 0; i < n; ++i)
    ASSERT_EQ(out[i], in[i] + 1.0f) << i;

  mgpuModuleUnload(module);
  void *loaded = mgpuModuleLoad(const_cast<char *>(kAddOnePtx),
                                sizeof(kAddOnePtx));
  EXPECT_NE(loaded, nullptr);
  mgpuModuleUnload(loaded);
  EXPECT_TRUE(cuda::release(x, error) && cuda::release(y, error)) << error;
}

TEST_F(FakeDriverTest, ReportsTheFirstDriverErrorByName) {
  void *module = mgpuModuleLoad(const_cast<char *>(kAddOnePtx), 0);
  ASSERT_NE(module, nullptr) << cuda::takeLastError();
  EXPECT_EQ(mgpuModuleGetFunction(module, "missing"), nullptr);
  // A later failure does not replace the first.
  EXPECT_EQ(mgpuModuleLoadJIT(const_cast<char *>("not ptx"), 2), nullptr);
  EXPECT_EQ(cuda::takeLastError(),
            "cuModuleGetFunction: CUDA_ERROR_NOT_FOUND (named symbol not "
            "found)");
  EXPECT_EQ(mgpuModuleLoadJIT(const_cast<char *>("not ptx"), 2), nullptr);
  EXPECT_EQ(cuda::takeLastError(),
            "cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX (a PTX JIT "
            "compilation failed): ptxas fatal: no .entry in the image");
  mgpuModuleUnload(module);

  std::string error;
  EXPECT_EQ(cuda::allocate(size_t(1) << 62, error), nullptr);
  EXPECT_EQ(error,
            "cuMemAllocAsync: CUDA_ERROR_OUT_OF_MEMORY (out of memory)");
  EXPECT_EQ(mgpuMemAlloc(size_t(1) << 62, nullptr, false), nullptr);
  EXPECT_EQ(cuda::takeLastError(),
            "cuMemAllocAsync: CUDA_ERROR_OUT_OF_MEMORY (out of memory)");
}

TEST_F(FakeDriverTest, MakesTheContextCurrentOnEachThread) {
  // The fake driver refuses work from a thread without the context.
  void *fromThread = nullptr;
  std::string threadError, threadLastError;
  std::thread worker([&] {
    fromThread = mgpuMemAlloc(64, nullptr, false);
    mgpuMemFree(fromThread, nullptr);
    void *p = cuda::allocate(8, threadError);
    cuda::release(p, threadError);
    threadLastError = cuda::takeLastError();
  });
  worker.join();
  EXPECT_NE(fromThread, nullptr);
  EXPECT_EQ(threadError, "");
  EXPECT_EQ(threadLastError, "");
}

TEST_F(FakeDriverTest, ConcurrentFirstUse) {
  cuda::detail::resetForTesting();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        void *stream = mgpuStreamCreate();
        void *p = mgpuMemAlloc(32, stream, false);
        if (!stream || !p)
          ++failures;
        mgpuMemset32(p, 1, 8, stream);
        mgpuStreamSynchronize(stream);
        mgpuMemFree(p, stream);
        mgpuStreamDestroy(stream);
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(cuda::getDeviceName(), "dyt fake CUDA device");
}

TEST_F(FakeDriverTest, HostSharedIsManagedMemory) {
  FakeCudaStats before = stats();
  auto *p = static_cast<float *>(mgpuMemAlloc(64, nullptr, true));
  ASSERT_NE(p, nullptr);
  p[15] = 1.0f;
  EXPECT_EQ(stats().managedAllocations, before.managedAllocations + 1);
  mgpuMemFree(p, nullptr);
  EXPECT_EQ(mgpuMemAlloc(0, nullptr, false), nullptr);
}

TEST_F(FakeDriverTest, EventsOrderAndTime) {
  void *stream = mgpuStreamCreate();
  void *event = mgpuEventCreate();
  ASSERT_NE(event, nullptr);
  mgpuEventRecord(event, stream);
  mgpuStreamWaitEvent(nullptr, event);
  mgpuEventSynchronize(event);
  mgpuEventDestroy(event);
  mgpuStreamDestroy(stream);

  std::vector<double> seconds;
  std::string error;
  unsigned calls = 0;
  ASSERT_TRUE(cuda::timeWithEvents([&] { ++calls; }, 4, seconds, error))
      << error;
  EXPECT_EQ(calls, 4u);
  ASSERT_EQ(seconds.size(), 4u);
  for (double s : seconds)
    EXPECT_NEAR(s, 0.25e-3, 1e-9); // The fake clock: 0.25 ms per record.
  ASSERT_TRUE(cuda::timeWithEvents([] {}, 0, seconds, error)) << error;
  EXPECT_TRUE(seconds.empty());
}

TEST_F(FakeDriverTest, ChoosesTheDeviceBeforeInitialization) {
  cuda::detail::resetForTesting();
  std::string error;
  {
    ScopedEnv env("DYT_CUDA_DEVICE", "5");
    EXPECT_FALSE(cuda::initialize(error));
    EXPECT_EQ(error, "CUDA device 5 requested, but 1 device(s) found");
  }
  cuda::detail::resetForTesting();
  {
    ScopedEnv env("DYT_CUDA_DEVICE", "gpu0");
    EXPECT_FALSE(cuda::initialize(error));
    EXPECT_EQ(error, "DYT_CUDA_DEVICE='gpu0' is not a device number");
  }
  cuda::detail::resetForTesting();
  mgpuSetDefaultDevice(2);
  EXPECT_FALSE(cuda::initialize(error));
  EXPECT_EQ(error, "CUDA device 2 requested, but 1 device(s) found");
  cuda::detail::resetForTesting();
  mgpuSetDefaultDevice(0);
  EXPECT_TRUE(cuda::initialize(error)) << error;
  mgpuSetDefaultDevice(0);
  mgpuSetDefaultDevice(1);
  EXPECT_EQ(cuda::takeLastError(),
            "mgpuSetDefaultDevice: the runtime already runs on device 0; "
            "switching to device 1 is not supported");
}

//===----------------------------------------------------------------------===//
// Device memory: the stream-ordered pool, or cuMemAlloc (on the fake driver,
// which rejects a free of the wrong kind)
//===----------------------------------------------------------------------===//

/// What allocations and frees the runtime made between two snapshots.
struct MemoryCalls {
  int syncAllocations, syncFrees, asyncAllocations, asyncFrees,
      legacyAsyncFrees, managedAllocations;
  bool operator==(const MemoryCalls &o) const {
    return syncAllocations == o.syncAllocations && syncFrees == o.syncFrees &&
           asyncAllocations == o.asyncAllocations &&
           asyncFrees == o.asyncFrees &&
           legacyAsyncFrees == o.legacyAsyncFrees &&
           managedAllocations == o.managedAllocations;
  }
};
std::ostream &operator<<(std::ostream &os, const MemoryCalls &c) {
  return os << "{cuMemAlloc " << c.syncAllocations << ", cuMemFree "
            << c.syncFrees << ", cuMemAllocAsync " << c.asyncAllocations
            << ", cuMemFreeAsync " << c.asyncFrees << " (legacy stream "
            << c.legacyAsyncFrees << "), cuMemAllocManaged "
            << c.managedAllocations << "}";
}
MemoryCalls operator-(const FakeCudaStats &a, const FakeCudaStats &b) {
  return {a.syncAllocations - b.syncAllocations, a.syncFrees - b.syncFrees,
          a.asyncAllocations - b.asyncAllocations,
          a.asyncFrees - b.asyncFrees,
          a.legacyAsyncFrees - b.legacyAsyncFrees,
          a.managedAllocations - b.managedAllocations};
}

/// Every way to allocate and free: mgpuMemAlloc/mgpuMemFree on a stream and on
/// the legacy stream, allocate/release, release of what mgpuMemAlloc gave (as
/// dyt-run frees results), and managed memory freed both ways. Each buffer
/// round-trips data. Four device allocations, of which the second is freed on
/// `stream`, the others on the legacy stream; two managed ones.
void allocateAndFreeEveryWay() {
  std::string error;
  std::vector<uint32_t> in = {1, 2, 3, 4}, out(4, 0);
  void *stream = mgpuStreamCreate();
  ASSERT_NE(stream, nullptr) << cuda::takeLastError();

  void *a = cuda::allocate(16, error);
  ASSERT_NE(a, nullptr) << error;
  void *b = mgpuMemAlloc(16, stream, false);
  ASSERT_NE(b, nullptr) << cuda::takeLastError();
  void *c = mgpuMemAlloc(16, stream, false);
  ASSERT_NE(c, nullptr) << cuda::takeLastError();
  void *d = mgpuMemAlloc(16, nullptr, false);
  ASSERT_NE(d, nullptr) << cuda::takeLastError();

  ASSERT_TRUE(cuda::copyToDevice(a, in.data(), 16, error)) << error;
  mgpuMemcpy(b, a, 16, stream);
  mgpuMemcpy(c, b, 16, stream);
  mgpuStreamSynchronize(stream);
  ASSERT_TRUE(cuda::copyOnDevice(d, c, 16, error)) << error;
  ASSERT_TRUE(cuda::copyToHost(out.data(), d, 16, error)) << error;
  EXPECT_EQ(out, in);

  EXPECT_TRUE(cuda::release(a, error)) << error;
  mgpuMemFree(b, stream);
  // A result the generated code allocated on its stream, freed by the caller.
  EXPECT_TRUE(cuda::release(c, error)) << error;
  mgpuMemFree(d, nullptr);
  mgpuStreamDestroy(stream);

  auto *m = static_cast<uint32_t *>(mgpuMemAlloc(16, nullptr, true));
  auto *n = static_cast<uint32_t *>(mgpuMemAlloc(16, nullptr, true));
  ASSERT_TRUE(m && n) << cuda::takeLastError();
  m[3] = n[3] = 7;
  mgpuMemFree(m, nullptr);
  EXPECT_TRUE(cuda::release(n, error)) << error;
  EXPECT_EQ(cuda::takeLastError(), "");
}

TEST_F(FakeDriverTest, AllocatesFromTheMemoryPoolWhereSupported) {
  EXPECT_TRUE(cuda::usesMemoryPool());
  // Initialization made the pool keep what is freed, once.
  FakeCudaStats before = stats();
  cuda::detail::resetForTesting();
  EXPECT_FALSE(cuda::usesMemoryPool());
  std::string error;
  ASSERT_TRUE(cuda::initialize(error)) << error;
  EXPECT_TRUE(cuda::usesMemoryPool());
  EXPECT_EQ(stats().poolAttributeCalls, before.poolAttributeCalls + 1);
  EXPECT_EQ(stats().releaseThreshold, UINT64_MAX);

  before = stats();
  allocateAndFreeEveryWay();
  EXPECT_EQ(stats() - before, (MemoryCalls{0, 2, 4, 4, 3, 2}));

  // mgpuMemAlloc allocates in its stream's order.
  void *stream = mgpuStreamCreate();
  void *p = mgpuMemAlloc(64, stream, false);
  EXPECT_EQ(stats().lastAllocationStream, stream);
  mgpuMemFree(p, stream);
  mgpuStreamDestroy(stream);

  // Steady state, as in a benchmark loop: no synchronous driver allocation.
  before = stats();
  for (int i = 0; i < 100; ++i) {
    void *stream = mgpuStreamCreate();
    void *result = mgpuMemAlloc(256, stream, false);
    mgpuMemset32(result, 1, 64, stream);
    mgpuStreamDestroy(stream);
    ASSERT_TRUE(cuda::release(result, error)) << error;
  }
  EXPECT_EQ(stats() - before, (MemoryCalls{0, 0, 100, 100, 100, 0}));
  EXPECT_EQ(stats().poolAttributeCalls, before.poolAttributeCalls);
}

TEST_F(FakeDriverTest, FallsBackWithoutPoolSupport) {
  ScopedEnv unsupported("DYT_FAKE_CUDA_MEMORY_POOLS", "unsupported");
  cuda::detail::resetForTesting();
  std::string error;
  FakeCudaStats before = stats();
  ASSERT_TRUE(cuda::initialize(error)) << error;
  EXPECT_FALSE(cuda::usesMemoryPool());
  EXPECT_EQ(stats().poolAttributeCalls, before.poolAttributeCalls);
  EXPECT_EQ(cuda::takeLastError(), "");

  before = stats();
  allocateAndFreeEveryWay();
  EXPECT_EQ(stats() - before, (MemoryCalls{4, 6, 0, 0, 0, 2}));
  EXPECT_EQ(cuda::allocate(size_t(1) << 62, error), nullptr);
  EXPECT_EQ(error, "cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY (out of memory)");
}

/// A pool whose release threshold cannot be raised would give memory back at
/// every synchronization: not worth it, cuMemAlloc it is, and no error.
TEST_F(FakeDriverTest, FallsBackWhenThePoolCannotBeSetUp) {
  ScopedEnv broken("DYT_FAKE_CUDA_MEMORY_POOLS", "broken");
  cuda::detail::resetForTesting();
  std::string error;
  FakeCudaStats before = stats();
  ASSERT_TRUE(cuda::initialize(error)) << error;
  EXPECT_FALSE(cuda::usesMemoryPool());
  EXPECT_EQ(stats().poolAttributeCalls, before.poolAttributeCalls + 1);
  EXPECT_EQ(cuda::takeLastError(), "");

  before = stats();
  allocateAndFreeEveryWay();
  EXPECT_EQ(stats() - before, (MemoryCalls{4, 6, 0, 0, 0, 2}));
}

/// A driver without cuMemAllocAsync and co. (before CUDA 11.2) loads, and
/// allocates with cuMemAlloc.
TEST_F(CudaRuntimeFreshTest, FallsBackOnADriverWithoutMemoryPools) {
  ScopedEnv env("DYT_CUDA_LIBRARY", DYT_FAKE_CUDA_DRIVER_NO_POOLS);
  ScopedEnv device("DYT_CUDA_DEVICE", nullptr);
  ScopedEnv pools("DYT_FAKE_CUDA_MEMORY_POOLS", nullptr);
  std::string error;
  ASSERT_TRUE(cuda::initialize(error)) << error;
  EXPECT_FALSE(cuda::usesMemoryPool());
  EXPECT_EQ(cuda::getDeviceName(), "dyt fake CUDA device");
  void *lib = dlopen(DYT_FAKE_CUDA_DRIVER_NO_POOLS, RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(lib, nullptr);
  EXPECT_EQ(dlsym(lib, "cuMemAllocAsync"), nullptr);
  EXPECT_EQ(dlsym(lib, "cuMemPoolSetAttribute"), nullptr);
  dlclose(lib);
  GetFakeStats getStats = fakeStatsOf(DYT_FAKE_CUDA_DRIVER_NO_POOLS);
  ASSERT_NE(getStats, nullptr);

  FakeCudaStats before{}, after{};
  getStats(&before);
  allocateAndFreeEveryWay();
  getStats(&after);
  EXPECT_EQ(after - before, (MemoryCalls{4, 6, 0, 0, 0, 2}));
  EXPECT_EQ(cuda::takeLastError(), "");
}

/// Several threads allocating and freeing on their own streams, through the
/// pool, while managed memory is being tracked.
TEST_F(FakeDriverTest, PoolAllocationsFromManyThreads) {
  void *managed = mgpuMemAlloc(16, nullptr, true);
  ASSERT_NE(managed, nullptr);
  FakeCudaStats before = stats();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([] {
      for (int i = 0; i < 100; ++i) {
        void *stream = mgpuStreamCreate();
        void *p = mgpuMemAlloc(32, stream, false);
        void *m = i % 10 ? nullptr : mgpuMemAlloc(32, stream, true);
        mgpuMemset32(p, 1, 8, stream);
        mgpuMemFree(p, stream);
        std::string error;
        cuda::release(m, error);
        mgpuStreamDestroy(stream);
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(stats() - before, (MemoryCalls{0, 80, 800, 800, 0, 80}));
  std::string error;
  EXPECT_TRUE(cuda::release(managed, error)) << error;
}

//===----------------------------------------------------------------------===//
// On a GPU
//===----------------------------------------------------------------------===//

class CudaGpuTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string error;
    if (!cuda::initialize(error))
      GTEST_SKIP() << "no CUDA driver/GPU: " << error;
    cuda::takeLastError();
  }
  void TearDown() override {
    if (!IsSkipped()) {
      EXPECT_EQ(cuda::takeLastError(), "");
    }
  }

  void *deviceBuffer(size_t bytes) {
    std::string error;
    void *ptr = cuda::allocate(bytes, error);
    EXPECT_NE(ptr, nullptr) << error;
    buffers.push_back(ptr);
    return ptr;
  }
  ~CudaGpuTest() override {
    std::string error;
    for (void *ptr : buffers)
      EXPECT_TRUE(cuda::release(ptr, error)) << error;
  }

  std::vector<void *> buffers;
};

TEST_F(CudaGpuTest, DescribesTheDevice) {
  EXPECT_NE(cuda::getDeviceName(), "");
  EXPECT_GE(cuda::getComputeCapability(), 30);
}

TEST_F(CudaGpuTest, CopiesRoundTrip) {
  constexpr size_t n = 4096;
  std::vector<float> in(n), out(n, -1.0f), back(n, -1.0f);
  for (size_t i = 0; i < n; ++i)
    in[i] = 0.5f * static_cast<float>(i);
  void *a = deviceBuffer(n * sizeof(float));
  void *b = deviceBuffer(n * sizeof(float));
  std::string error;
  ASSERT_TRUE(cuda::copyToDevice(a, in.data(), n * sizeof(float), error))
      << error;
  ASSERT_TRUE(cuda::copyToHost(out.data(), a, n * sizeof(float), error))
      << error;
  EXPECT_EQ(out, in);
  ASSERT_TRUE(cuda::copyOnDevice(b, a, n * sizeof(float), error)) << error;
  ASSERT_TRUE(cuda::copyToHost(back.data(), b, n * sizeof(float), error))
      << error;
  EXPECT_EQ(back, in);
  EXPECT_TRUE(cuda::synchronize(error)) << error;
}

TEST_F(CudaGpuTest, MemsetAndMemcpyOnStreams) {
  constexpr size_t n = 1000;
  void *a = mgpuMemAlloc(n * sizeof(float), nullptr, false);
  ASSERT_NE(a, nullptr) << cuda::takeLastError();
  void *h = mgpuMemAlloc(n * sizeof(uint16_t), nullptr, false);
  ASSERT_NE(h, nullptr) << cuda::takeLastError();
  float value = 2.5f;
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));

  void *stream = mgpuStreamCreate();
  ASSERT_NE(stream, nullptr) << cuda::takeLastError();
  mgpuMemset32(a, bits, n, stream);
  mgpuMemset16(h, 0xBEEF, n, stream);
  std::vector<float> out(n, 0.0f);
  std::vector<uint16_t> out16(n, 0);
  mgpuMemcpy(out.data(), a, n * sizeof(float), stream);
  mgpuMemcpy(out16.data(), h, n * sizeof(uint16_t), stream);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  EXPECT_EQ(out, std::vector<float>(n, 2.5f));
  EXPECT_EQ(out16, std::vector<uint16_t>(n, 0xBEEF));
  mgpuMemFree(a, nullptr);
  mgpuMemFree(h, nullptr);
}

TEST_F(CudaGpuTest, StreamsComeFromAPool) {
  void *first = mgpuStreamCreate();
  ASSERT_NE(first, nullptr) << cuda::takeLastError();
  mgpuStreamDestroy(first);
  void *second = mgpuStreamCreate();
  EXPECT_EQ(second, first);
  void *third = mgpuStreamCreate();
  EXPECT_NE(third, nullptr);
  EXPECT_NE(third, second);
  mgpuStreamDestroy(second);
  mgpuStreamDestroy(third);
}

TEST_F(CudaGpuTest, EventsOrderStreams) {
  constexpr size_t n = 1 << 20;
  void *a = deviceBuffer(n * 4);
  void *producer = mgpuStreamCreate();
  void *consumer = mgpuStreamCreate();
  void *event = mgpuEventCreate();
  ASSERT_NE(event, nullptr) << cuda::takeLastError();
  mgpuMemset32(a, 7, n, producer);
  mgpuEventRecord(event, producer);
  mgpuStreamWaitEvent(consumer, event);
  std::vector<uint32_t> out(n, 0);
  mgpuMemcpy(out.data(), a, n * 4, consumer);
  mgpuStreamSynchronize(consumer);
  mgpuEventSynchronize(event);
  mgpuEventDestroy(event);
  mgpuStreamDestroy(producer);
  mgpuStreamDestroy(consumer);
  EXPECT_EQ(out, std::vector<uint32_t>(n, 7u));
}

TEST_F(CudaGpuTest, TimesWithEvents) {
  constexpr size_t n = 1 << 24;
  void *a = deviceBuffer(n * 4);
  std::vector<double> seconds;
  std::string error;
  // Work on a pooled stream, not synchronised: the legacy-stream events must
  // still bracket it.
  ASSERT_TRUE(cuda::timeWithEvents(
      [&] {
        void *stream = mgpuStreamCreate();
        mgpuMemset32(a, 1, n, stream);
        mgpuStreamDestroy(stream);
      },
      3, seconds, error))
      << error;
  ASSERT_EQ(seconds.size(), 3u);
  for (double s : seconds) {
    EXPECT_GT(s, 0.0);
    EXPECT_LT(s, 10.0);
  }
}

/// Loads the PTX both ways generated code does and runs it, once with more
/// than 48 KiB of dynamic shared memory (which needs the opt-in attribute).
TEST_F(CudaGpuTest, LoadsAndLaunchesAKernel) {
  if (cuda::getComputeCapability() < 90)
    GTEST_SKIP() << "the test's PTX targets sm_90";
  constexpr unsigned n = 1000;
  std::vector<float> in(n), out(n, 0.0f);
  for (unsigned i = 0; i < n; ++i)
    in[i] = static_cast<float>(i) - 100.0f;
  void *x = deviceBuffer(n * sizeof(float));
  void *y = deviceBuffer(n * sizeof(float));
  std::string error;
  ASSERT_TRUE(cuda::copyToDevice(x, in.data(), n * sizeof(float), error))
      << error;

  void *jitModule = mgpuModuleLoadJIT(const_cast<char *>(kAddOnePtx), 2);
  ASSERT_NE(jitModule, nullptr) << cuda::takeLastError();
  void *module = mgpuModuleLoad(const_cast<char *>(kAddOnePtx),
                                sizeof(kAddOnePtx));
  ASSERT_NE(module, nullptr) << cuda::takeLastError();

  for (void *mod : {jitModule, module}) {
    for (int32_t smem : {0, 64 * 1024}) {
      void *function = mgpuModuleGetFunction(mod, "add_one");
      ASSERT_NE(function, nullptr) << cuda::takeLastError();
      std::string cleared;
      ASSERT_TRUE(cuda::copyToDevice(y, std::vector<float>(n, 0.0f).data(),
                                     n * sizeof(float), cleared))
          << cleared;
      unsigned count = n;
      void *params[] = {&x, &y, &count};
      void *stream = mgpuStreamCreate();
      mgpuLaunchKernel(function, (n + 127) / 128, 1, 1, 128, 1, 1, smem,
                       stream, params, nullptr, 3);
      mgpuStreamSynchronize(stream);
      mgpuStreamDestroy(stream);
      EXPECT_EQ(cuda::takeLastError(), "") << "smem " << smem;
      ASSERT_TRUE(cuda::copyToHost(out.data(), y, n * sizeof(float), error))
          << error;
      for (unsigned i = 0; i < n; ++i)
        ASSERT_EQ(out[i], in[i] + 1.0f) << "i = " << i << ", smem " << smem;
    }
  }

  // A missing kernel is reported, not fatal.
  EXPECT_EQ(mgpuModuleGetFunction(module, "no_such_kernel"), nullptr);
  std::string missing = cuda::takeLastError();
  EXPECT_NE(missing.find("cuModuleGetFunction: CUDA_ERROR_NOT_FOUND"),
            std::string::npos)
      << missing;
  // So is a grid that does not fit the driver's unsigned dimensions.
  void *function = mgpuModuleGetFunction(module, "add_one");
  mgpuLaunchKernel(function, -1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr,
                   0);
  EXPECT_NE(cuda::takeLastError().find("out of range"), std::string::npos);

  mgpuModuleUnload(jitModule);
  mgpuModuleUnload(module);
}

/// isHostShared: managed memory the host writes and reads directly.
TEST_F(CudaGpuTest, HostSharedAllocation) {
  if (cuda::getComputeCapability() < 90)
    GTEST_SKIP() << "the test's PTX targets sm_90";
  constexpr unsigned n = 256;
  auto *x = static_cast<float *>(mgpuMemAlloc(n * 4, nullptr, true));
  auto *y = static_cast<float *>(mgpuMemAlloc(n * 4, nullptr, true));
  ASSERT_NE(x, nullptr) << cuda::takeLastError();
  ASSERT_NE(y, nullptr) << cuda::takeLastError();
  for (unsigned i = 0; i < n; ++i)
    x[i] = static_cast<float>(i);
  void *module = mgpuModuleLoadJIT(const_cast<char *>(kAddOnePtx), 2);
  void *function = mgpuModuleGetFunction(module, "add_one");
  ASSERT_NE(function, nullptr) << cuda::takeLastError();
  unsigned count = n;
  void *params[] = {&x, &y, &count};
  mgpuLaunchKernel(function, 1, 1, 1, n, 1, 1, 0, nullptr, params, nullptr,
                   3);
  mgpuStreamSynchronize(nullptr);
  for (unsigned i = 0; i < n; ++i)
    ASSERT_EQ(y[i], static_cast<float>(i) + 1.0f) << i;
  mgpuModuleUnload(module);
  mgpuMemFree(x, nullptr);
  mgpuMemFree(y, nullptr);
}

/// Pool memory allocated on a stream, written there by a kernel-like memset,
/// freed by the C++ API on the legacy stream without synchronizing first (as
/// dyt-run frees results), and reused; cuMemAllocManaged memory freed through
/// the same calls. Also reports what an allocation costs in steady state.
TEST_F(CudaGpuTest, StreamOrderedAllocations) {
  // Devices of compute capability 6.0+ with a CUDA 11.2+ driver have pools.
  std::printf("memory pool: %s\n", cuda::usesMemoryPool() ? "yes" : "no");
  constexpr size_t n = 1 << 22;
  std::string error;
  for (int round = 0; round < 3; ++round) {
    void *stream = mgpuStreamCreate();
    void *p = mgpuMemAlloc(n * 4, stream, false);
    ASSERT_NE(p, nullptr) << cuda::takeLastError();
    mgpuMemset32(p, 0x3F800000u + round, n, stream);
    mgpuStreamDestroy(stream); // Not synchronized.
    std::vector<uint32_t> out(n, 0);
    ASSERT_TRUE(cuda::copyToHost(out.data(), p, n * 4, error)) << error;
    EXPECT_EQ(out, std::vector<uint32_t>(n, 0x3F800000u + round));
    void *again = mgpuStreamCreate();
    mgpuMemset32(p, 0, n, again); // Queued, still running at the free.
    mgpuStreamDestroy(again);
    ASSERT_TRUE(cuda::release(p, error)) << error;
  }
  void *managed = mgpuMemAlloc(64, nullptr, true);
  ASSERT_NE(managed, nullptr) << cuda::takeLastError();
  ASSERT_TRUE(cuda::release(managed, error)) << error;
  void *a = cuda::allocate(256, error);
  ASSERT_NE(a, nullptr) << error;
  mgpuMemFree(a, nullptr);
  EXPECT_TRUE(cuda::synchronize(error)) << error;

  constexpr int iterations = 1000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) {
    void *stream = mgpuStreamCreate();
    void *p = mgpuMemAlloc(1 << 20, stream, false);
    mgpuStreamDestroy(stream);
    cuda::release(p, error);
  }
  EXPECT_TRUE(cuda::synchronize(error)) << error;
  double us = std::chrono::duration<double, std::micro>(
                  std::chrono::steady_clock::now() - start)
                  .count() /
              iterations;
  std::printf("mgpuMemAlloc + release of 1 MiB: %.2f us per pair\n", us);
}

TEST_F(CudaGpuTest, SameDefaultDeviceIsAccepted) {
  // The runtime picked device $DYT_CUDA_DEVICE or 0; asking for it again is
  // fine, asking for another one after initialization is reported.
  const char *env = std::getenv("DYT_CUDA_DEVICE");
  int ordinal = env && *env ? std::atoi(env) : 0;
  mgpuSetDefaultDevice(ordinal);
  EXPECT_EQ(cuda::takeLastError(), "");
  mgpuSetDefaultDevice(ordinal + 1000);
  EXPECT_NE(cuda::takeLastError().find("not supported"), std::string::npos);
}

/// An impossible $DYT_CUDA_DEVICE fails initialization with a message (needs
/// a driver to count the devices).
TEST_F(CudaRuntimeFreshTest, RejectsAMissingDevice) {
  {
    ScopedEnv noOverride("DYT_CUDA_DEVICE", nullptr);
    std::string error;
    if (!cuda::initialize(error))
      GTEST_SKIP() << "no CUDA driver/GPU: " << error;
  }
  cuda::detail::resetForTesting();
  ScopedEnv env("DYT_CUDA_DEVICE", "999");
  std::string error;
  EXPECT_FALSE(cuda::initialize(error));
  EXPECT_NE(error.find("CUDA device 999 requested"), std::string::npos)
      << error;
}

} // namespace
