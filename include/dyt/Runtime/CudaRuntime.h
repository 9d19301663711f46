//===- CudaRuntime.h - CUDA host runtime for gpu-to-llvm code -----*- C++ -*-===//
//
// The host side of a GPU run: the CUDA driver, loaded at run time (dlopen), so
// that everything builds and runs on machines without a GPU. The same library
// (libdyt_cuda_runtime.so) exports the extern "C" mgpu* entry points that
// MLIR's gpu-to-llvm lowering calls; this header is the C++ side for tools.
// No MLIR or LLVM in here.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_RUNTIME_CUDARUNTIME_H
#define DYT_RUNTIME_CUDARUNTIME_H

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace dyt::cuda {

/// Loads the driver (dlopen of $DYT_CUDA_LIBRARY if set, else "libcuda.so.1",
/// then "libcuda.so"), cuInit(0), picks the device given to
/// mgpuSetDefaultDevice before, else $DYT_CUDA_DEVICE, else 0, retains its
/// primary context and makes it current on the calling thread. Every other
/// entry point initializes lazily. Idempotent and thread-safe: the
/// first outcome, success or failure, is kept. On failure returns false and
/// sets `error` to what failed.
bool initialize(std::string &error);

/// The device's name; "" before initialize succeeded.
std::string getDeviceName();

/// Major * 10 + minor (e.g. 90); 0 if unknown.
int getComputeCapability();

/// The first error the mgpu* entry points hit since the last call, e.g.
/// "cuLaunchKernel: CUDA_ERROR_INVALID_VALUE (invalid argument)"; "" if none.
/// Clears it.
std::string takeLastError();

/// Whether device memory comes from the device's stream-ordered memory pool
/// (cuMemAllocAsync / cuMemFreeAsync, its release threshold raised so that
/// freed memory stays in the pool), as initialize() chose where the driver and
/// device support it; else it is cuMemAlloc / cuMemFree. False before
/// initialize succeeded.
bool usesMemoryPool();

/// Device memory: from the pool on the legacy default stream, else cuMemAlloc;
/// nullptr and `error` on failure (nullptr without error for 0 bytes). Pool
/// memory may be used by work queued after the call on the legacy stream or
/// on the runtime's streams (they synchronise with it), which includes every
/// copy below: not by other contexts or non-blocking streams before a
/// synchronization.
void *allocate(size_t bytes, std::string &error);
/// Frees what allocate or mgpuMemAlloc gave, managed memory included. With
/// the pool, cuMemFreeAsync on the legacy stream: it does not wait, and is
/// safe for memory whose uses were queued before it on the legacy stream or on
/// the runtime's streams (the legacy stream waits for those). Else cuMemFree.
/// A null pointer is a no-op.
bool release(void *ptr, std::string &error);
/// Synchronous copies (the legacy default stream, so they are ordered after
/// the work already queued on the runtime's streams).
bool copyToDevice(void *dst, const void *src, size_t bytes, std::string &error);
bool copyToHost(void *dst, const void *src, size_t bytes, std::string &error);
bool copyOnDevice(void *dst, const void *src, size_t bytes, std::string &error);
/// cuCtxSynchronize.
bool synchronize(std::string &error);

/// Calls fn() `iterations` times, each bracketed by CUDA events recorded on the
/// legacy default stream (which the runtime's streams synchronise with), and
/// returns each iteration's elapsed GPU time in seconds.
bool timeWithEvents(const std::function<void()> &fn, unsigned iterations,
                    std::vector<double> &seconds, std::string &error);

namespace detail {
/// Tests only: forgets the outcome of initialize() and the last error, so the
/// next call loads the driver again (after a change of $DYT_CUDA_LIBRARY).
/// The driver and the primary context stay loaded/retained; do not call it
/// while another thread uses the runtime.
void resetForTesting();
} // namespace detail

} // namespace dyt::cuda

#endif // DYT_RUNTIME_CUDARUNTIME_H
