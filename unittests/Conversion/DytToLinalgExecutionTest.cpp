//===- DytToLinalgExecutionTest.cpp - Numerics of the dyt lowering ---------===//
//
// Lowers each dyt op with convert-dyt-to-linalg and a plain upstream CPU
// pipeline (scalar loops, libm tanh), JIT-compiles it with MLIR's
// ExecutionEngine, runs it on seeded random data and special values, and
// compares every element with an independent reference computed here in
// double precision: odd sizes, dynamic shapes, f32/f16/bf16, NaN/Inf/-0.
//
//===----------------------------------------------------------------------===//

#include "dyt/InitAllDyt.h"
#include "dyt/Pipelines/CpuPipeline.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

using namespace mlir;

namespace {

//===----------------------------------------------------------------------===//
// Element types and host buffers
//===----------------------------------------------------------------------===//

enum class Elem { F32, F16, BF16 };

/// Every numerics test runs through both CPU pipelines: the reference one
/// (scalar loops, libm tanhf) and the fast one (fused, vectorized, rational
/// tanh), each against the same double-precision reference.
enum class Pipeline { Reference, Fast };
constexpr Pipeline kPipelines[] = {Pipeline::Reference, Pipeline::Fast};

const char *pipelineName(Pipeline p) {
  return p == Pipeline::Fast ? "dyt-cpu-pipeline"
                             : "dyt-cpu-reference-pipeline";
}

const llvm::fltSemantics &semantics(Elem e) {
  switch (e) {
  case Elem::F32:
    return llvm::APFloat::IEEEsingle();
  case Elem::F16:
    return llvm::APFloat::IEEEhalf();
  case Elem::BF16:
    return llvm::APFloat::BFloat();
  }
  llvm_unreachable("unknown element type");
}

size_t byteWidth(Elem e) { return e == Elem::F32 ? 4 : 2; }

/// Rounds `v` to the nearest value of `e`, returned as a double.
double roundTo(Elem e, double v) {
  llvm::APFloat f(v);
  bool losesInfo;
  f.convert(semantics(e), llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return f.convertToDouble();
}

/// The relative tolerance of a once-rounded result: a couple of ulps of the
/// element type (f32 leaves room for f32 intermediate arithmetic).
double relTolerance(Elem e) {
  switch (e) {
  case Elem::F32:
    return 2e-5;
  case Elem::F16:
    return 2.0 / 1024;
  case Elem::BF16:
    return 2.0 / 128;
  }
  llvm_unreachable("unknown element type");
}

/// A tensor on the host: values kept as doubles (already representable in
/// the element type) and packed into the element type's bytes for the call.
struct HostTensor {
  Elem elem;
  std::vector<int64_t> shape;
  std::vector<double> values;

  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t s : shape)
      n *= s;
    return n;
  }

  std::vector<char> pack() const {
    std::vector<char> bytes(values.size() * byteWidth(elem));
    for (size_t i = 0; i < values.size(); ++i) {
      llvm::APFloat f(values[i]);
      bool losesInfo;
      f.convert(semantics(elem), llvm::APFloat::rmNearestTiesToEven,
                &losesInfo);
      uint64_t bits = f.bitcastToAPInt().getZExtValue();
      std::memcpy(&bytes[i * byteWidth(elem)], &bits, byteWidth(elem));
    }
    return bytes;
  }

  static std::vector<double> unpack(Elem elem, const char *data, int64_t n) {
    std::vector<double> out(n);
    for (int64_t i = 0; i < n; ++i) {
      uint64_t bits = 0;
      std::memcpy(&bits, data + i * byteWidth(elem), byteWidth(elem));
      llvm::APFloat f(semantics(elem),
                      llvm::APInt(8 * byteWidth(elem), bits));
      out[i] = f.convertToDouble();
    }
    return out;
  }
};

/// A memref descriptor of any rank as MLIR's C interface lays it out:
/// {allocated, aligned, offset, sizes[rank], strides[rank]} (row-major).
struct Descriptor {
  std::vector<int64_t> words;

  explicit Descriptor(size_t rank) : words(3 + 2 * rank, 0) {}
  Descriptor(void *data, const std::vector<int64_t> &shape)
      : Descriptor(shape.size()) {
    words[0] = words[1] = reinterpret_cast<int64_t>(data);
    int64_t stride = 1;
    for (size_t i = shape.size(); i-- > 0;) {
      words[3 + i] = shape[i];
      words[3 + shape.size() + i] = stride;
      stride *= shape[i];
    }
  }
  char *aligned() const { return reinterpret_cast<char *>(words[1]); }
  void *allocated() const { return reinterpret_cast<void *>(words[0]); }
};

//===----------------------------------------------------------------------===//
// References (double precision, independent of MLIR)
//===----------------------------------------------------------------------===//

/// A reference value, and the sum of the magnitudes of the terms it adds up:
/// f32 arithmetic is accurate relative to that sum, not to the value, which
/// can be ~0 by cancellation (gamma * tanh(alpha * x) ~ -beta).
struct Expected {
  double value;
  double magnitude;
};

std::vector<Expected> referenceDyt(const HostTensor &x, double alpha,
                                   const HostTensor &gamma,
                                   const HostTensor &beta, int64_t axis) {
  int64_t inner = 1;
  for (size_t d = axis + 1; d < x.shape.size(); ++d)
    inner *= x.shape[d];
  int64_t channels = x.shape[axis];
  std::vector<Expected> y(x.values.size());
  for (size_t i = 0; i < y.size(); ++i) {
    int64_t c = (static_cast<int64_t>(i) / inner) % channels;
    double scaled = gamma.values[c] * std::tanh(alpha * x.values[i]);
    y[i] = {scaled + beta.values[c],
            std::fabs(scaled) + std::fabs(beta.values[c])};
  }
  return y;
}

/// LayerNorm (hasBeta) or RMSNorm (!hasBeta, !centre) over the last dim.
std::vector<Expected> referenceNorm(const HostTensor &x,
                                    const HostTensor &gamma,
                                    const HostTensor *beta, bool centre,
                                    double epsilon) {
  int64_t c = x.shape.back();
  int64_t rows = c == 0 ? 0 : x.numElements() / c;
  std::vector<Expected> y(x.values.size());
  for (int64_t r = 0; r < rows; ++r) {
    const double *row = &x.values[r * c];
    double mean = 0;
    if (centre) {
      for (int64_t i = 0; i < c; ++i)
        mean += row[i];
      mean /= c;
    }
    double sq = 0;
    for (int64_t i = 0; i < c; ++i)
      sq += (row[i] - mean) * (row[i] - mean);
    double rstd = 1.0 / std::sqrt(sq / c + epsilon);
    for (int64_t i = 0; i < c; ++i) {
      double scaled = (row[i] - mean) * rstd * gamma.values[i];
      double shift = beta ? beta->values[i] : 0.0;
      // The f32 sum behind the mean errs by ~sqrt(c) ulps of |mean|, which
      // x - mean turns into an absolute error: its magnitude counts too.
      double meanTerm =
          std::fabs(mean * rstd * gamma.values[i]) * std::sqrt(double(c));
      y[r * c + i] = {scaled + shift,
                      std::fabs(scaled) + std::fabs(shift) + meanTerm};
    }
  }
  return y;
}

//===----------------------------------------------------------------------===//
// The harness
//===----------------------------------------------------------------------===//

/// An argument of the function under test: a tensor or an f32 scalar.
struct Arg {
  const HostTensor *tensor = nullptr;
  float scalar = 0;
  Arg(const HostTensor &t) : tensor(&t) {}
  Arg(float s) : scalar(s) {}
};

class DytExecutionTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    dyt::registerAllPasses();
  }

  DytExecutionTest() {
    DialectRegistry registry;
    dyt::registerAllDialectsAndExtensions(registry);
    registerAllToLLVMIRTranslations(registry);
    context.appendDialectRegistry(registry);
  }

  /// Compiles `@f` of `source` with `pipeline`.
  std::unique_ptr<ExecutionEngine> compile(StringRef source,
                                           Pipeline pipeline) {
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(source, &context);
    if (!module) {
      ADD_FAILURE() << "failed to parse:\n" << source.str();
      return nullptr;
    }
    PassManager pm(&context);
    if (pipeline == Pipeline::Fast)
      dyt::buildDytCpuPipeline(pm, dyt::DytCpuPipelineOptions());
    else
      dyt::buildDytCpuReferencePipeline(pm);
    if (failed(pm.run(*module))) {
      ADD_FAILURE() << "lowering failed for:\n" << source.str();
      return nullptr;
    }
    ExecutionEngineOptions options;
    auto engine = ExecutionEngine::create(*module, options);
    if (!engine) {
      ADD_FAILURE() << "JIT failed: " << llvm::toString(engine.takeError());
      return nullptr;
    }
    return std::move(*engine);
  }

  /// Calls `@f` (with `llvm.emit_c_interface`) and returns its one tensor
  /// result of `resultShape` and element type `resultElem`.
  std::vector<double> call(ExecutionEngine &engine, ArrayRef<Arg> args,
                           Elem resultElem,
                           const std::vector<int64_t> &resultShape) {
    // Keep every packed buffer, descriptor and pointer alive for the call.
    std::vector<std::vector<char>> buffers;
    std::vector<Descriptor> descriptors;
    buffers.reserve(args.size());
    descriptors.reserve(args.size() + 1);
    std::vector<void *> pointers;
    pointers.reserve(args.size() + 1);
    std::vector<float> scalars;
    scalars.reserve(args.size());

    descriptors.emplace_back(resultShape.size());
    pointers.push_back(descriptors.back().words.data());
    for (const Arg &arg : args) {
      if (!arg.tensor) {
        scalars.push_back(arg.scalar);
        continue;
      }
      buffers.push_back(arg.tensor->pack());
      descriptors.emplace_back(buffers.back().data(), arg.tensor->shape);
      pointers.push_back(descriptors.back().words.data());
    }
    // The C interface takes a pointer to each descriptor and each scalar by
    // value; invokePacked wants the address of every argument.
    SmallVector<void *> packed;
    size_t nextPointer = 0, nextScalar = 0;
    packed.push_back(&pointers[nextPointer++]);
    for (const Arg &arg : args)
      packed.push_back(arg.tensor ? static_cast<void *>(&pointers[nextPointer++])
                                  : static_cast<void *>(&scalars[nextScalar++]));
    llvm::Error error = engine.invokePacked("_mlir_ciface_f", packed);
    if (error) {
      ADD_FAILURE() << "call failed: " << llvm::toString(std::move(error));
      return {};
    }
    const Descriptor &result = descriptors.front();
    for (size_t d = 0; d < resultShape.size(); ++d)
      EXPECT_EQ(result.words[3 + d], resultShape[d]) << "result dim " << d;
    int64_t n = 1;
    for (int64_t s : resultShape)
      n *= s;
    std::vector<double> out = HostTensor::unpack(resultElem, result.aligned(), n);
    std::free(result.allocated());
    return out;
  }

  /// Checks `got` against the double reference rounded once to `elem`:
  /// within the element type's rounding of the value, plus a few f32 ulps of
  /// the magnitude of the terms (the f32 intermediate arithmetic), plus
  /// `absTolerance`. NaN must match NaN, infinities and zeros exactly.
  static void expectClose(Elem elem, const std::vector<double> &got,
                          const std::vector<Expected> &reference,
                          double absTolerance = 0) {
    ASSERT_EQ(got.size(), reference.size());
    double rel = relTolerance(elem);
    int reported = 0;
    for (size_t i = 0; i < got.size() && reported < 10; ++i) {
      double want = roundTo(elem, reference[i].value);
      double tolerance = rel * std::fabs(want) +
                         1e-6 * reference[i].magnitude + absTolerance;
      bool ok;
      if (std::isnan(want))
        ok = std::isnan(got[i]);
      else if (std::isinf(want))
        ok = got[i] == want;
      else
        ok = std::fabs(got[i] - want) <= tolerance;
      if (!ok) {
        ++reported;
        ADD_FAILURE() << "element " << i << ": got " << got[i]
                      << ", reference " << reference[i].value
                      << " (tolerance " << tolerance << ")";
      }
    }
  }

  /// Seeded values in [lo, hi], rounded to `elem`.
  HostTensor random(Elem elem, std::vector<int64_t> shape, double lo,
                    double hi) {
    HostTensor t{elem, std::move(shape), {}};
    std::uniform_real_distribution<double> dist(lo, hi);
    t.values.resize(t.numElements());
    for (double &v : t.values)
      v = roundTo(elem, dist(rng));
    return t;
  }

  MLIRContext context;
  std::mt19937 rng{20250317};
};

const char *typeName(Elem e) {
  return e == Elem::F32 ? "f32" : e == Elem::F16 ? "f16" : "bf16";
}

/// "tensor<2x?x7xf32>" from a shape in which -1 stands for a dynamic dim.
std::string tensorType(const std::vector<int64_t> &shape, Elem e) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += (d < 0 ? std::string("?") : std::to_string(d)) + "x";
  return s + typeName(e) + ">";
}

//===----------------------------------------------------------------------===//
// dyt.dyt
//===----------------------------------------------------------------------===//

struct DytCase {
  Elem elem;
  std::vector<int64_t> shape;     // run-time shape
  std::vector<int64_t> irShape;   // shape in the IR (-1 = dynamic)
  int64_t axis;                   // non-negative channel dim
};

void PrintTo(const DytCase &c, std::ostream *os) {
  *os << tensorType(c.irShape, c.elem) << " axis " << c.axis;
}

class DytNumericsTest : public DytExecutionTest,
                        public ::testing::WithParamInterface<DytCase> {};

TEST_P(DytNumericsTest, MatchesReference) {
  const DytCase &c = GetParam();
  std::string in = tensorType(c.irShape, c.elem);
  std::string param = tensorType({c.irShape[c.axis]}, c.elem);
  std::string source =
      "func.func @f(%x: " + in + ", %a: f32, %g: " + param + ", %b: " + param +
      ") -> " + in + " attributes {llvm.emit_c_interface} {\n"
      "  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : " + param +
      ") beta(%b : " + param + ") axis = " + std::to_string(c.axis) + " : " +
      in + " -> " + in + "\n  return %y : " + in + "\n}\n";
  for (Pipeline pipeline : kPipelines) {
    SCOPED_TRACE(pipelineName(pipeline));
    std::unique_ptr<ExecutionEngine> engine = compile(source, pipeline);
    ASSERT_TRUE(engine);

    HostTensor x = random(c.elem, c.shape, -4, 4);
    HostTensor gamma = random(c.elem, {c.shape[c.axis]}, -2, 2);
    HostTensor beta = random(c.elem, {c.shape[c.axis]}, -1, 1);
    float alpha = 0.8f;
    std::vector<double> got =
        call(*engine, {x, alpha, gamma, beta}, c.elem, c.shape);
    expectClose(c.elem, got, referenceDyt(x, alpha, gamma, beta, c.axis));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, DytNumericsTest,
    ::testing::Values(
        DytCase{Elem::F32, {1}, {1}, 0},
        DytCase{Elem::F32, {3, 7}, {3, 7}, 1},
        DytCase{Elem::F32, {5, 1001}, {5, 1001}, 1},
        DytCase{Elem::F32, {2, 64, 7, 7}, {2, 64, 7, 7}, 1}, // NCHW
        DytCase{Elem::F32, {3, 5, 7}, {-1, -1, 7}, 2},       // dynamic
        DytCase{Elem::F32, {6, 9}, {-1, -1}, 0},             // dynamic channels
        DytCase{Elem::F16, {5, 1001}, {5, 1001}, 1},
        DytCase{Elem::BF16, {4, 3, 7}, {4, -1, 7}, 2},
        DytCase{Elem::BF16, {2, 8, 3, 3}, {2, 8, 3, 3}, 1}));

TEST_F(DytExecutionTest, DytSpecialValues) {
  // Splat gamma = 1 and beta = 0 take the zero-cost path, so -0 must stay -0;
  // tanh saturates to +-1 for infinities and huge inputs; NaN propagates.
  for (Pipeline pipeline : kPipelines) {
    SCOPED_TRACE(pipelineName(pipeline));
    std::unique_ptr<ExecutionEngine> engine = compile(R"mlir(
func.func @f(%x: tensor<8xf32>, %a: f32) -> tensor<8xf32> attributes {llvm.emit_c_interface} {
  %one = arith.constant dense<1.0> : tensor<8xf32>
  %zero = arith.constant dense<0.0> : tensor<8xf32>
  %y = dyt.dyt %x alpha(%a : f32) gamma(%one : tensor<8xf32>) beta(%zero : tensor<8xf32>)
         : tensor<8xf32> -> tensor<8xf32>
  return %y : tensor<8xf32>
}
)mlir",
                                                      pipeline);
    ASSERT_TRUE(engine);
    double inf = std::numeric_limits<double>::infinity();
    HostTensor x{Elem::F32,
                 {8},
                 {0.0, -0.0, inf, -inf, std::nan(""), 1e30, -1e30, 0.25}};
    std::vector<double> got = call(*engine, {x, 0.5f}, Elem::F32, {8});
    ASSERT_EQ(got.size(), 8u);
    EXPECT_EQ(got[0], 0.0);
    EXPECT_FALSE(std::signbit(got[0]));
    EXPECT_EQ(got[1], 0.0);
    EXPECT_TRUE(std::signbit(got[1])) << "-0 must stay -0";
    EXPECT_EQ(got[2], 1.0);
    EXPECT_EQ(got[3], -1.0);
    EXPECT_TRUE(std::isnan(got[4]));
    EXPECT_EQ(got[5], 1.0);
    EXPECT_EQ(got[6], -1.0);
    EXPECT_NEAR(got[7], std::tanh(0.125), 1e-7);
  }
}

TEST_F(DytExecutionTest, DytSplatParametersAndTensorAlpha) {
  // gamma a splat 2 (a scalar in the body), alpha a 1-element f16 tensor.
  for (Pipeline pipeline : kPipelines) {
    SCOPED_TRACE(pipelineName(pipeline));
    std::unique_ptr<ExecutionEngine> engine = compile(R"mlir(
func.func @f(%x: tensor<3x5xf16>, %a: tensor<1xf16>, %b: tensor<5xf16>) -> tensor<3x5xf16> attributes {llvm.emit_c_interface} {
  %two = arith.constant dense<2.0> : tensor<5xf16>
  %y = dyt.dyt %x alpha(%a : tensor<1xf16>) gamma(%two : tensor<5xf16>) beta(%b : tensor<5xf16>)
         : tensor<3x5xf16> -> tensor<3x5xf16>
  return %y : tensor<3x5xf16>
}
)mlir",
                                                      pipeline);
    ASSERT_TRUE(engine);
    HostTensor x = random(Elem::F16, {3, 5}, -3, 3);
    HostTensor alpha{Elem::F16, {1}, {roundTo(Elem::F16, 0.2)}};
    HostTensor beta = random(Elem::F16, {5}, -1, 1);
    HostTensor gamma{Elem::F16, {5}, std::vector<double>(5, 2.0)};
    std::vector<double> got = call(*engine, {x, alpha, beta}, Elem::F16, {3, 5});
    expectClose(Elem::F16, got,
                referenceDyt(x, alpha.values[0], gamma, beta, /*axis=*/1));
  }
}

//===----------------------------------------------------------------------===//
// dyt.layer_norm and dyt.rms_norm
//===----------------------------------------------------------------------===//

struct NormCase {
  bool layerNorm;
  Elem elem;
  std::vector<int64_t> shape;
  std::vector<int64_t> irShape;
  double offset;      // centre of the inputs: cancellation in the variance
  double spread = 3;  // inputs in offset +- spread; small: epsilon matters
};

void PrintTo(const NormCase &c, std::ostream *os) {
  *os << (c.layerNorm ? "layer_norm " : "rms_norm ") << typeName(c.elem)
      << " " << tensorType(c.irShape, c.elem) << " offset " << c.offset
      << " spread " << c.spread;
}

class NormNumericsTest : public DytExecutionTest,
                         public ::testing::WithParamInterface<NormCase> {};

TEST_P(NormNumericsTest, MatchesReference) {
  const NormCase &c = GetParam();
  std::string in = tensorType(c.irShape, c.elem);
  std::string param = tensorType({c.irShape.back()}, c.elem);
  std::string op =
      c.layerNorm ? "dyt.layer_norm %x gamma(%g : " + param + ") beta(%b : " +
                        param + ")"
                  : "dyt.rms_norm %x gamma(%g : " + param + ")";
  std::string source = "func.func @f(%x: " + in + ", %g: " + param +
                       ", %b: " + param + ") -> " + in +
                       " attributes {llvm.emit_c_interface} {\n  %y = " + op +
                       " : " + in + " -> " + in + "\n  return %y : " + in +
                       "\n}\n";
  for (Pipeline pipeline : kPipelines) {
    SCOPED_TRACE(pipelineName(pipeline));
    std::unique_ptr<ExecutionEngine> engine = compile(source, pipeline);
    ASSERT_TRUE(engine);

    HostTensor x =
        random(c.elem, c.shape, c.offset - c.spread, c.offset + c.spread);
    HostTensor gamma = random(c.elem, {c.shape.back()}, 0.5, 1.5);
    HostTensor beta = random(c.elem, {c.shape.back()}, -1, 1);
    std::vector<double> got = call(*engine, {x, gamma, beta}, c.elem, c.shape);
    std::vector<Expected> reference =
        c.layerNorm ? referenceNorm(x, gamma, &beta, /*centre=*/true, 1e-5)
                    : referenceNorm(x, gamma, nullptr, /*centre=*/false, 1e-6);
    // The statistics add a rounding error relative to the normalised value's
    // scale (O(1)), not to the value: an absolute floor covers values near 0.
    expectClose(c.elem, got, reference, /*absTolerance=*/1e-5);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, NormNumericsTest,
    ::testing::Values(
        NormCase{true, Elem::F32, {7}, {7}, 0},            // rank 1: 0-d stats
        NormCase{true, Elem::F32, {3, 1001}, {3, 1001}, 0},
        NormCase{true, Elem::F32, {2, 3, 64}, {-1, 3, -1}, 0},
        NormCase{true, Elem::F32, {4, 256}, {4, 256}, 1000}, // large mean
        NormCase{true, Elem::F16, {4, 7}, {4, 7}, 0},
        NormCase{true, Elem::BF16, {2, 3, 64}, {2, 3, 64}, 0},
        NormCase{true, Elem::F32, {1, 1}, {1, 1}, 0},
        NormCase{false, Elem::F32, {1, 7, 4096}, {1, 7, 4096}, 0},
        NormCase{false, Elem::F32, {5, 1001}, {-1, -1}, 0},
        NormCase{false, Elem::F16, {3, 7}, {3, 7}, 0},
        NormCase{false, Elem::BF16, {2, 1001}, {2, -1}, 0},
        NormCase{false, Elem::F32, {1}, {1}, 0},
        // Variance ~ epsilon: a lowering that drops or misplaces it fails.
        NormCase{true, Elem::F32, {3, 64}, {3, 64}, 0, 0.005},
        NormCase{false, Elem::F32, {3, 64}, {3, 64}, 0, 0.005}));

} // namespace
