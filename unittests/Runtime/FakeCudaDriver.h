//===- FakeCudaDriver.h - What the fake libcuda counts, for the tests -----===//
//
// Shared by the fake driver (FakeCudaDriver.cpp, which fills it through
// fakeCudaGetStats) and the runtime tests that read it: one layout.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_UNITTESTS_RUNTIME_FAKECUDADRIVER_H
#define DYT_UNITTESTS_RUNTIME_FAKECUDADRIVER_H

/// What the runtime did to the fake driver.
struct FakeCudaStats {
  int streamsCreated, streamsDestroyed, managedAllocations, setAttributeCalls,
      launches, lastJitOptLevel;
  int syncAllocations, syncFrees, asyncAllocations, asyncFrees,
      legacyAsyncFrees, poolAttributeCalls;
  unsigned long long releaseThreshold;
  void *lastAllocationStream;
};

#endif // DYT_UNITTESTS_RUNTIME_FAKECUDADRIVER_H
