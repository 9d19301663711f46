// Peers for bench/cpu_norms.py, in one process per measurement:
//   norms OP ROWS COLS DTYPE ITERATIONS
// OP: memcpy (of the kernel's input bytes), dyt, layer_norm, rms_norm as the
// plain C loops a user would write, compiled with gcc -O3 -march=native
// -ffast-math (which lets gcc call glibc's vector tanhf). DTYPE f32 or bf16
// (bf16 loaded/stored as 16-bit, computed in f32). Prints one JSON line
// {"median_s": ..., "min_s": ..., "copy_median_s": ..., "copy_ratio": ...}:
// after each run of OP, a memcpy of the bytes it writes is timed too, and
// copy_ratio is the median over runs of memcpy time / OP time, as dyt-run
// --bench measures its own (interleaved, the pairs share the machine's load).
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
static inline float bf16_to_f32(uint16_t b) {
  uint32_t u = (uint32_t)b << 16;
  float f;
  memcpy(&f, &u, 4);
  return f;
}
// Round to nearest even, NaN to the quiet NaN 0x7fc0: PyTorch's
// c10::BFloat16 conversion, and what dyt-mlir's kernels compute on hosts
// without a bf16 conversion instruction (with one, vcvtneps2bf16 keeps a
// NaN's sign and payload; either way a NaN stays a NaN). Without the
// NaN case the rounding carry turns some NaNs into infinities or -0
// (0x7fffffff -> 0x8000). The test is on the bits because -ffast-math
// removes isnan().
static inline uint16_t f32_to_bf16(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u) return 0x7fc0;
  return (uint16_t)((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

#define DEFINE_KERNELS(T, LOAD, STORE)                                          \
  static void dyt_##T(const T *restrict x, float a, const float *restrict g,    \
                      const float *restrict b, T *restrict y, long R, long C) { \
    for (long r = 0; r < R; r++)                                                \
      for (long c = 0; c < C; c++)                                              \
        y[r * C + c] = STORE(g[c] * tanhf(a * LOAD(x[r * C + c])) + b[c]);      \
  }                                                                             \
  static void ln_##T(const T *restrict x, const float *restrict g,              \
                     const float *restrict b, T *restrict y, long R, long C) {  \
    for (long r = 0; r < R; r++) {                                              \
      const T *xr = x + r * C;                                                  \
      float s = 0, v = 0;                                                       \
      for (long c = 0; c < C; c++) s += LOAD(xr[c]);                            \
      float m = s / C;                                                          \
      for (long c = 0; c < C; c++) { float d = LOAD(xr[c]) - m; v += d * d; }   \
      float rs = 1.0f / sqrtf(v / C + 1e-5f);                                   \
      for (long c = 0; c < C; c++)                                              \
        y[r * C + c] = STORE((LOAD(xr[c]) - m) * rs * g[c] + b[c]);             \
    }                                                                           \
  }                                                                             \
  static void rms_##T(const T *restrict x, const float *restrict g,             \
                      T *restrict y, long R, long C) {                          \
    for (long r = 0; r < R; r++) {                                              \
      const T *xr = x + r * C;                                                  \
      float s = 0;                                                              \
      for (long c = 0; c < C; c++) { float v = LOAD(xr[c]); s += v * v; }       \
      float rs = 1.0f / sqrtf(s / C + 1e-6f);                                   \
      for (long c = 0; c < C; c++) y[r * C + c] = STORE(LOAD(xr[c]) * rs * g[c]); \
    }                                                                           \
  }

#define ID(v) (v)
DEFINE_KERNELS(float, ID, ID)
DEFINE_KERNELS(uint16_t, bf16_to_f32, f32_to_bf16)

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s OP ROWS COLS f32|bf16 ITERATIONS\n", argv[0]);
    return 2;
  }
  const char *op = argv[1];
  long R = atol(argv[2]), C = atol(argv[3]);
  int bf16 = strcmp(argv[4], "bf16") == 0;
  int n = atoi(argv[5]);
  size_t elem = bf16 ? 2 : 4, bytes = (size_t)R * C * elem;
  char *x = malloc(bytes), *y = malloc(bytes);
  float *g = malloc(C * 4), *b = malloc(C * 4);
  for (size_t i = 0; i < (size_t)R * C; i++) {
    float v = (float)((i * 2654435761u) % 1000) / 500.0f - 1.0f;
    if (bf16) ((uint16_t *)x)[i] = f32_to_bf16(v); else ((float *)x)[i] = v;
  }
  memset(y, 0, bytes);
  for (long c = 0; c < C; c++) { g[c] = 1.0f + c % 7 * 0.01f; b[c] = 0.01f * (c % 5); }
  double *t = malloc(sizeof(double) * (n + 1));
  double *tc = malloc(sizeof(double) * (n + 1)), *ratio = malloc(sizeof(double) * (n + 1));
  char *cf = malloc(bytes), *ct = malloc(bytes);
  memset(cf, 1, bytes);
  memset(ct, 0, bytes);
  for (int i = -1; i < n; i++) {  // one warm-up run
    double s = now();
    if (!strcmp(op, "memcpy")) memcpy(y, x, bytes);
    else if (!strcmp(op, "dyt") && bf16) dyt_uint16_t((uint16_t *)x, 0.5f, g, b, (uint16_t *)y, R, C);
    else if (!strcmp(op, "dyt")) dyt_float((float *)x, 0.5f, g, b, (float *)y, R, C);
    else if (!strcmp(op, "layer_norm") && bf16) ln_uint16_t((uint16_t *)x, g, b, (uint16_t *)y, R, C);
    else if (!strcmp(op, "layer_norm")) ln_float((float *)x, g, b, (float *)y, R, C);
    else if (!strcmp(op, "rms_norm") && bf16) rms_uint16_t((uint16_t *)x, g, (uint16_t *)y, R, C);
    else if (!strcmp(op, "rms_norm")) rms_float((float *)x, g, (float *)y, R, C);
    else { fprintf(stderr, "unknown op %s\n", op); return 2; }
    double e = now();
    memcpy(ct, cf, bytes);
    double c = now() - e;
    if (i >= 0) {
      t[i] = e - s;
      tc[i] = c;
      ratio[i] = c / t[i];
    }
  }
  qsort(t, n, sizeof(double), cmp);
  qsort(tc, n, sizeof(double), cmp);
  qsort(ratio, n, sizeof(double), cmp);
  volatile char sink = y[bytes / 3] + ct[bytes / 5];
  (void)sink;
  printf("{\"median_s\": %.9g, \"min_s\": %.9g, \"copy_median_s\": %.9g, "
         "\"copy_ratio\": %.9g}\n", t[n / 2], t[0], tc[n / 2], ratio[n / 2]);
  return 0;
}
