// What bounds DyT on bf16 at one thread: the shape of the loop dyt-mlir
// generated for dyt.dyt on RxC bf16 before its narrowing became a shuffle
// (AVX-512, 16 lanes per vector, no unrolling or prefetch), by hand with
// intrinsics, and variants of it that each drop or replace one part, timed
// in the same run, interleaved with a memcpy of the same bytes:
//   gcc -O3 -march=native bench/peers/dyt_bf16_variants.c -lm -o /tmp/v
//   /tmp/v [ROWS COLS ROUNDS]            (default 8192 4096 7)
// Needs AVX-512 F/BW; the hardware-conversion variant also AVX512-BF16.
// Prints, per variant, the median over rounds of memcpy time / variant
// time (1.0 = memcpy speed), and whether its output equals the full
// kernel's bit for bit.
//   full      x -> tanh(alpha x) (the pipeline's rational 13/6, clamp at 9)
//             -> gamma * t + beta (f32 gamma/beta) -> bf16 (integer RNE,
//             NaN -> 0x7fc0), streaming stores: dyt-mlir's kernel;
//   hw-cvt    full, vcvtneps2bf16 for the narrowing;
//   no-div    full, the tanh's division replaced by a multiplication;
//   no-tanh   x -> gamma * x + beta -> bf16: the memory and conversions;
//   lut       tanh(alpha x) from a table of all 65536 bf16 inputs (built
//             per call, f32), read with vgatherdps.
#include <immintrin.h>
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

static __m512 c(uint32_t bits) { return _mm512_castsi512_ps(_mm512_set1_epi32(bits)); }

// lib/Codegen/ApproximateTanh.cpp's coefficients (bit patterns).
static inline __m512 tanh_rational(__m512 x, int divide) {
  __m512 y = _mm512_max_ps(c(0xc1100000), _mm512_min_ps(c(0x41100000), x));
  __m512 y2 = _mm512_mul_ps(y, y), y3 = _mm512_mul_ps(y, y2);
  __m512 p = c(0xa97e141b);
  p = _mm512_fmadd_ps(y2, p, c(0x2e33c43c));
  p = _mm512_fmadd_ps(y2, p, c(0xb2970b2e));
  p = _mm512_fmadd_ps(y2, p, c(0x372f9d90));
  p = _mm512_fmadd_ps(y2, p, c(0x3b46f949));
  p = _mm512_fmadd_ps(y2, p, c(0x3e0559d9));
  __m512 q = c(0x39806160);
  q = _mm512_fmadd_ps(y2, q, c(0x3cc66ed2));
  q = _mm512_fmadd_ps(y2, q, c(0x3eed578b));
  __m512 num = _mm512_fmadd_ps(y3, p, y);
  __m512 den = _mm512_fmadd_ps(y2, q, _mm512_set1_ps(1.0f));
  return divide ? _mm512_div_ps(num, den) : _mm512_mul_ps(num, den);
}

static inline __m512 load_bf16(const uint16_t *p) {
  __m512i w = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const void *)p));
  return _mm512_castsi512_ps(_mm512_slli_epi32(w, 16));
}

static inline void store_bf16_int(uint16_t *p, __m512 v) {
  __m512i b = _mm512_castps_si512(v);
  __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(b, 16), _mm512_set1_epi32(1));
  __m512i r = _mm512_add_epi32(b, _mm512_add_epi32(lsb, _mm512_set1_epi32(0x7fff)));
  __mmask16 nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
  r = _mm512_mask_mov_epi32(r, nan, _mm512_set1_epi32(0x7fc00000));
  _mm256_stream_si256((void *)p, _mm512_cvtepi32_epi16(_mm512_srli_epi32(r, 16)));
}

enum { FULL, HW_CVT, NO_DIV, NO_TANH, LUT, VARIANTS };
static const char *names[] = {"full", "hw-cvt", "no-div", "no-tanh", "lut"};

static float *table;

static void run(int variant, const uint16_t *x, float alpha, const float *g,
                const float *b, uint16_t *y, long R, long C) {
  __m512 a = _mm512_set1_ps(alpha);
  if (variant == LUT)
    for (int i = 0; i < 65536; i += 16) {
      __m512i bits = _mm512_add_epi32(
          _mm512_set1_epi32(i),
          _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
      __m512 v = _mm512_castsi512_ps(_mm512_slli_epi32(bits, 16));
      _mm512_storeu_ps(table + i, tanh_rational(_mm512_mul_ps(a, v), 1));
    }
  for (long r = 0; r < R; r++)
    for (long col = 0; col < C; col += 16) {
      const uint16_t *in = x + r * C + col;
      __m512 t;
      switch (variant) {
      case NO_TANH:
        t = load_bf16(in);
        break;
      case LUT:
        t = _mm512_i32gather_ps(
            _mm512_cvtepu16_epi32(_mm256_loadu_si256((const void *)in)), table, 4);
        break;
      default:
        t = tanh_rational(_mm512_mul_ps(a, load_bf16(in)), variant != NO_DIV);
      }
      __m512 o = _mm512_fmadd_ps(_mm512_loadu_ps(g + col), t, _mm512_loadu_ps(b + col));
#ifdef __AVX512BF16__
      if (variant == HW_CVT) {
        _mm256_stream_si256((void *)(y + r * C + col), (__m256i)_mm512_cvtneps_pbh(o));
        continue;
      }
#endif
      store_bf16_int(y + r * C + col, o);
    }
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  long R = argc > 1 ? atol(argv[1]) : 8192, C = argc > 2 ? atol(argv[2]) : 4096;
  int rounds = argc > 3 ? atoi(argv[3]) : 7;
  if (rounds < 1 || rounds > 64) {
    fprintf(stderr, "ROUNDS must be in 1..64\n");
    return 1;
  }
  if (C % 16) {
    fprintf(stderr, "COLS must be a multiple of 16\n");
    return 1;
  }
  size_t n = (size_t)R * C;
  uint16_t *x = aligned_alloc(64, n * 2), *ref = aligned_alloc(64, n * 2),
           *y = aligned_alloc(64, n * 2);
  float *g = aligned_alloc(64, C * 4), *b = aligned_alloc(64, C * 4);
  table = aligned_alloc(64, 65536 * 4);
  srand(1);
  for (size_t i = 0; i < n; i++) { // uniform on [-4, 4], rounded to bf16
    float f = ((rand() % 20001) - 10000) / 2500.0f;
    uint32_t u;
    memcpy(&u, &f, 4);
    x[i] = (uint16_t)(u >> 16);
  }
  for (long i = 0; i < C; i++) {
    g[i] = 1.0f + i * 1e-4f;
    b[i] = i * 1e-5f;
  }
  run(FULL, x, 0.5f, g, b, ref, R, C);
  double ratio[VARIANTS][64];
  int same[VARIANTS];
  for (int v = 0; v < VARIANTS; v++) same[v] = 1;
  for (int k = 0; k < rounds; k++)
    for (int v = 0; v < VARIANTS; v++) {
#ifndef __AVX512BF16__
      if (v == HW_CVT) continue;
#endif
      double t0 = now();
      run(v, x, 0.5f, g, b, y, R, C);
      double t1 = now();
      memcpy(y, x, n * 2);
      double t2 = now();
      ratio[v][k] = (t2 - t1) / (t1 - t0);
      run(v, x, 0.5f, g, b, y, R, C);
      same[v] &= memcmp(y, ref, n * 2) == 0;
    }
  printf("%ldx%ld bf16, %d rounds: memcpy time / variant time (median)\n", R, C, rounds);
  for (int v = 0; v < VARIANTS; v++) {
#ifndef __AVX512BF16__
    if (v == HW_CVT) { printf("  %-8s (no AVX512-BF16)\n", names[v]); continue; }
#endif
    qsort(ratio[v], rounds, sizeof(double), cmp);
    printf("  %-8s %.2f   %s\n", names[v], ratio[v][rounds / 2],
           same[v] ? "bit-identical to full" : "differs from full");
  }
  return 0;
}
