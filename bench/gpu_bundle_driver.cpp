//===- gpu_bundle_driver.cpp - Runs dyt-nvvm-pipeline kernels compiled ahead -===//
//
// The GPU machines lent to this project have no LLVM 22: dyt-run, which
// links libMLIR and libLLVM (over 250 MB), cannot run there. bench/
// gpu_bundle.py therefore compiles each benchmark function here, through
// dyt-nvvm-pipeline, mlir-translate and llc, into an object whose only
// dependency is libdyt_cuda_runtime.so (the mgpu* entry points on a dlopen'ed
// libcuda), and links it with this driver. On the GPU machine the driver, for
// each case: makes seeded random inputs, checks the results against a host
// reference computed here in double precision (every element of a norm or
// DyT, a sample of a matmul's), then times the call with CUDA events and a
// device-to-device copy of the same result bytes, and prints one JSON line.
//
// The case table (cases.inc, generated) names each case's C interface
// (_mlir_ciface_<name>), its kind, element type and shape.
//
//===----------------------------------------------------------------------===//

#include "dyt/Runtime/CudaRuntime.h"
#include "dyt/Runtime/FloatConversions.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

template <int Rank> struct Memref {
  void *allocated = nullptr;
  void *aligned = nullptr;
  int64_t offset = 0;
  int64_t sizes[Rank] = {};
  int64_t strides[Rank] = {};
};

// The C interfaces of bench/gpu_bundle.py's functions, by kind (cases.inc
// declares each case's function with one of these types).
using NormSig = void(Memref<2> *, Memref<2> *, Memref<1> *, Memref<1> *);
using DytSig = void(Memref<2> *, Memref<2> *, float, Memref<1> *,
                    Memref<1> *);
using RmsSig = void(Memref<2> *, Memref<2> *, Memref<1> *);
using MatmulSig = void(Memref<2> *, Memref<2> *, Memref<2> *, float,
                       Memref<1> *, Memref<1> *);

// MatmulDyt: DyT(x @ W) (the epilogue); DytMatmul: DyT(x) @ W (the
// prologue, gamma and beta along k); Linear and LinearDyt: x @ W^T (+ DyT),
// W given as n x k.
enum class Kind {
  Dyt,
  LayerNorm,
  RmsNorm,
  Matmul,
  MatmulDyt,
  DytMatmul,
  Linear,
  LinearDyt
};

bool isMatmul(Kind kind) {
  return kind == Kind::Matmul || kind == Kind::MatmulDyt ||
         kind == Kind::DytMatmul || kind == Kind::Linear ||
         kind == Kind::LinearDyt;
}

bool isLinear(Kind kind) {
  return kind == Kind::Linear || kind == Kind::LinearDyt;
}

/// DyT(product) kinds, whose results are bounded.
bool hasDytEpilogue(Kind kind) {
  return kind == Kind::MatmulDyt || kind == Kind::LinearDyt;
}

struct Case {
  const char *name;
  Kind kind;
  bool bf16;
  bool fastTanh;
  // gamma and beta are constants of the function (constantParameter), not
  // the arguments it is passed.
  bool constantParameters;
  int64_t m, k, n; // norms: rows = m, channels = n
  void *function;
};

#include "cases.inc"

using mlir::dyt::bf16ToF32;
using mlir::dyt::f32ToBf16;

/// A host tensor of f32 or bf16 elements (bf16 kept as its bits) and its
/// device copy.
struct Tensor {
  std::vector<int64_t> shape;
  bool bf16 = false;
  std::vector<float> values; // what the kernel sees, as f32
  std::vector<uint8_t> bytes;
  void *device = nullptr;

  int64_t count() const {
    int64_t c = 1;
    for (int64_t s : shape)
      c *= s;
    return c;
  }
};

/// Frees a result the compiled function allocated: device memory, or with
/// DYT_BUNDLE_CPU (gpu_bundle.py --cpu, the same cases through
/// dyt-cpu-pipeline, which tests this driver and its references against the
/// CPU kernels under the runtime's fake driver, whose device memory is host
/// memory) the function's malloc.
void releaseResult(void *allocated) {
#ifdef DYT_BUNDLE_CPU
  std::free(allocated);
#else
  std::string ignored;
  dyt::cuda::release(allocated, ignored);
#endif
}

[[noreturn]] void die(const std::string &what) {
  std::fprintf(stderr, "dyt-gpu-bench: %s\n", what.c_str());
  std::exit(1);
}

Tensor randomTensor(std::vector<int64_t> shape, bool bf16, std::mt19937 &rng,
                    float lo, float hi) {
  Tensor t;
  t.shape = std::move(shape);
  t.bf16 = bf16;
  std::uniform_real_distribution<float> dist(lo, hi);
  int64_t count = t.count();
  t.values.resize(count);
  t.bytes.resize(count * (bf16 ? 2 : 4));
  for (int64_t i = 0; i < count; ++i) {
    float v = dist(rng);
    if (bf16) {
      uint16_t b = f32ToBf16(v);
      v = bf16ToF32(b);
      std::memcpy(&t.bytes[2 * i], &b, 2);
    } else {
      std::memcpy(&t.bytes[4 * i], &v, 4);
    }
    t.values[i] = v;
  }
  std::string error;
  t.device = dyt::cuda::allocate(t.bytes.size(), error);
  if (!t.device ||
      !dyt::cuda::copyToDevice(t.device, t.bytes.data(), t.bytes.size(), error))
    die("inputs: " + error);
  return t;
}

/// gamma or beta of `channel` in the cases with constant parameters: the
/// formula of constant_parameter in gpu_bundle.py, exact in bf16.
float constantParameter(int64_t channel, bool beta) {
  return beta ? 0.0625f * float(channel % 17 - 8)
              : 0.5f + 0.125f * float(channel % 9);
}

template <int Rank> Memref<Rank> describe(const Tensor &t) {
  Memref<Rank> d;
  d.allocated = d.aligned = t.device;
  int64_t stride = 1;
  for (int i = Rank - 1; i >= 0; --i) {
    d.sizes[i] = t.shape[i];
    d.strides[i] = stride;
    stride *= t.shape[i];
  }
  return d;
}

struct Inputs {
  Tensor x, w, gamma, beta;
  float alpha = 0.5f;
};

/// One call; the result descriptor's buffer is the caller's to release.
Memref<2> call(const Case &c, Inputs &in) {
  Memref<2> result, x = describe<2>(in.x);
  Memref<1> g = describe<1>(in.gamma), b;
  if (c.kind != Kind::RmsNorm)
    b = describe<1>(in.beta);
  switch (c.kind) {
  case Kind::Dyt:
    reinterpret_cast<DytSig *>(c.function)(&result, &x, in.alpha, &g, &b);
    break;
  case Kind::LayerNorm:
    reinterpret_cast<NormSig *>(c.function)(&result, &x, &g, &b);
    break;
  case Kind::RmsNorm:
    reinterpret_cast<RmsSig *>(c.function)(&result, &x, &g);
    break;
  case Kind::Matmul:
  case Kind::MatmulDyt:
  case Kind::DytMatmul:
  case Kind::Linear:
  case Kind::LinearDyt: {
    Memref<2> w = describe<2>(in.w);
    reinterpret_cast<MatmulSig *>(c.function)(&result, &x, &w, in.alpha, &g, &b);
    break;
  }
  }
  return result;
}

double dyt(double v, const Inputs &in, int64_t channel) {
  return in.gamma.values[channel] * std::tanh(in.alpha * v) +
         in.beta.values[channel];
}

/// The reference value of output element (row, col), in double.
double reference(const Case &c, const Inputs &in, int64_t row, int64_t col,
                 std::vector<double> &rowStats, int64_t &statsRow) {
  const std::vector<float> &x = in.x.values;
  if (c.kind == Kind::Dyt)
    return dyt(x[row * c.n + col], in, col);
  if (isMatmul(c.kind)) {
    double sum = 0;
    for (int64_t k = 0; k < c.k; ++k) {
      double a = x[row * c.k + k];
      if (c.kind == Kind::DytMatmul)
        a = dyt(a, in, k);
      sum += a * in.w.values[isLinear(c.kind) ? col * c.k + k
                                               : k * c.n + col];
    }
    return hasDytEpilogue(c.kind) ? dyt(sum, in, col) : sum;
  }
  if (statsRow != row) { // mean and 1 / sqrt(var + eps), once per row
    double mean = 0, squares = 0;
    for (int64_t i = 0; i < c.n; ++i)
      mean += x[row * c.n + i];
    mean /= double(c.n);
    for (int64_t i = 0; i < c.n; ++i) {
      double v = x[row * c.n + i] - (c.kind == Kind::LayerNorm ? mean : 0.0);
      squares += v * v;
    }
    double epsilon = c.kind == Kind::LayerNorm ? 1e-5 : 1e-6;
    rowStats = {c.kind == Kind::LayerNorm ? mean : 0.0,
                1.0 / std::sqrt(squares / double(c.n) + epsilon)};
    statsRow = row;
  }
  double normalized = (x[row * c.n + col] - rowStats[0]) * rowStats[1] *
                      in.gamma.values[col];
  return c.kind == Kind::LayerNorm ? normalized + in.beta.values[col]
                                   : normalized;
}

/// Compares the result with the reference: every element, or for matmuls
/// of more than 65536 (each element a K-long dot product on the host) 4096
/// sampled ones.
/// Tolerances as dyt-run --check's: f32 1e-5 + 1e-4 * |ref| (a matmul: the
/// relative term against at least the reference's RMS, summation orders
/// differ), bf16 1e-2 + 4/128 * |ref|; tanh.approx (fast-tanh) is good to
/// about 2^-11, so 2e-3 absolute there.
bool check(const Case &c, const Inputs &in, const Memref<2> &result,
           double &maxError, std::string &error) {
  int64_t rows = c.m, cols = c.n;
  size_t elementBytes = c.bf16 ? 2 : 4;
  std::vector<uint8_t> bytes(size_t(rows * cols) * elementBytes);
  if (!dyt::cuda::copyToHost(bytes.data(), result.aligned, bytes.size(),
                             error))
    return false;
  auto output = [&](int64_t i) {
    if (c.bf16) {
      uint16_t b;
      std::memcpy(&b, &bytes[2 * i], 2);
      return double(bf16ToF32(b));
    }
    float f;
    std::memcpy(&f, &bytes[4 * i], 4);
    return double(f);
  };
  std::vector<std::pair<int64_t, int64_t>> points;
  bool matmul = isMatmul(c.kind);
  if (matmul && rows * cols > 65536) {
    std::mt19937 rng(7);
    for (int i = 0; i < 4096; ++i)
      points.push_back({int64_t(rng() % rows), int64_t(rng() % cols)});
  } else {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t col = 0; col < cols; ++col)
        points.push_back({r, col});
  }
  std::vector<double> expected(points.size());
  std::vector<double> stats;
  int64_t statsRow = -1;
  double squares = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    expected[i] = reference(c, in, points[i].first, points[i].second, stats,
                            statsRow);
    squares += expected[i] * expected[i];
  }
  // A sum of K products (not DyT(sum), which is bounded): the relative
  // term against at least the RMS.
  double rms = !hasDytEpilogue(c.kind) && isMatmul(c.kind)
                   ? std::sqrt(squares / double(points.size()))
                   : 0;
  double rel = c.bf16 ? 4.0 / 128 : 1e-4;
  double abs = c.bf16 ? 1e-2 : (c.fastTanh ? 2e-3 : 1e-5);
  maxError = 0;
  bool ok = true;
  for (size_t i = 0; i < points.size(); ++i) {
    int64_t at = points[i].first * cols + points[i].second;
    double got = output(at), want = expected[i];
    double diff = std::fabs(got - want);
    if (!(diff <= abs + rel * std::max(std::fabs(want), rms))) {
      if (ok)
        error = "element (" + std::to_string(points[i].first) + ", " +
                std::to_string(points[i].second) + "): " +
                std::to_string(got) + " vs " + std::to_string(want) +
                " (host reference)";
      ok = false;
    }
    if (std::isfinite(diff))
      maxError = std::max(maxError, diff);
    else
      maxError = INFINITY;
  }
  return ok;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

const char *kindName(Kind kind) {
  switch (kind) {
  case Kind::Dyt:
    return "dyt";
  case Kind::LayerNorm:
    return "layer_norm";
  case Kind::RmsNorm:
    return "rms_norm";
  case Kind::Matmul:
    return "matmul";
  case Kind::MatmulDyt:
    return "matmul_dyt";
  case Kind::DytMatmul:
    return "dyt_matmul";
  case Kind::Linear:
    return "linear";
  case Kind::LinearDyt:
    return "linear_dyt";
  }
  return "?";
}

} // namespace

int main(int argc, char **argv) {
  unsigned iterations = argc > 1 ? unsigned(std::atoi(argv[1])) : 50;
  const char *only = argc > 2 ? argv[2] : nullptr;
  std::string error;
  if (!dyt::cuda::initialize(error))
    die(error);
  std::printf("{\"device_name\": \"%s\", \"compute_capability\": %d}\n",
              dyt::cuda::getDeviceName().c_str(),
              dyt::cuda::getComputeCapability());
  int failures = 0;
  for (const Case &c : kCases) {
    if (only && std::strcmp(only, c.name) != 0)
      continue;
    std::mt19937 rng(1);
    bool matmul = isMatmul(c.kind);
    Inputs in;
    in.x = randomTensor({c.m, matmul ? c.k : c.n}, c.bf16, rng, -3, 3);
    if (matmul)
      in.w = isLinear(c.kind) ? randomTensor({c.n, c.k}, c.bf16, rng, -1, 1)
                              : randomTensor({c.k, c.n}, c.bf16, rng, -1, 1);
    int64_t channels = c.kind == Kind::DytMatmul ? c.k : c.n;
    in.gamma = randomTensor({channels}, c.bf16, rng, 0.5, 1.5);
    in.beta = randomTensor({channels}, c.bf16, rng, -0.5, 0.5);
    // The function ignores its gamma and beta: the reference takes the
    // constants it holds.
    if (c.constantParameters)
      for (int64_t i = 0; i < channels; ++i) {
        in.gamma.values[i] = constantParameter(i, /*beta=*/false);
        in.beta.values[i] = constantParameter(i, /*beta=*/true);
      }

    // The first call is the warm-up and the one checked.
    Memref<2> result = call(c, in);
    std::string runtimeError = dyt::cuda::takeLastError();
    double maxError = 0;
    std::string checkError;
    bool ok = runtimeError.empty() && check(c, in, result, maxError, checkError);
    if (!runtimeError.empty())
      checkError = runtimeError;
    size_t resultBytes = size_t(c.m * c.n) * (c.bf16 ? 2 : 4);

    std::vector<double> times, copies;
    bool timed = dyt::cuda::timeWithEvents(
        [&] {
          releaseResult(call(c, in).allocated);
        },
        iterations, times, error);
    void *copy = dyt::cuda::allocate(resultBytes, error);
    timed = timed && copy &&
            dyt::cuda::copyOnDevice(copy, result.aligned, resultBytes, error) &&
            dyt::cuda::timeWithEvents(
                [&] {
                  std::string ignored;
                  dyt::cuda::copyOnDevice(copy, result.aligned, resultBytes,
                                          ignored);
                },
                iterations, copies, error);
    std::string ignored;
    dyt::cuda::release(copy, ignored);
    releaseResult(result.allocated);
    for (Tensor *t : {&in.x, &in.w, &in.gamma, &in.beta})
      dyt::cuda::release(t->device, ignored);
    if (!timed)
      die(std::string(c.name) + ": timing: " + error);
    runtimeError = dyt::cuda::takeLastError();
    if (!runtimeError.empty()) {
      ok = false;
      checkError = runtimeError;
    }
    failures += !ok;
    double callMedian = median(times), copyMedian = median(copies);
    std::printf("{\"case\": \"%s\", \"kind\": \"%s\", \"dtype\": \"%s\", "
                "\"fast_tanh\": %s, \"m\": %lld, \"k\": %lld, \"n\": %lld, "
                "\"iterations\": %u, \"median_s\": %.9g, \"min_s\": %.9g, "
                "\"copy_median_s\": %.9g, \"copy_ratio\": %.6g, "
                "\"check\": \"%s\", \"max_error\": %.6g%s%s%s}\n",
                c.name, kindName(c.kind), c.bf16 ? "bf16" : "f32",
                c.fastTanh ? "true" : "false", (long long)c.m, (long long)c.k,
                (long long)c.n, iterations, callMedian,
                *std::min_element(times.begin(), times.end()), copyMedian,
                copyMedian / callMedian, ok ? "pass" : "FAIL", maxError,
                ok ? "" : ", \"error\": \"", ok ? "" : checkError.c_str(),
                ok ? "" : "\"");
    std::fflush(stdout);
  }
  return failures ? 1 : 0;
}
