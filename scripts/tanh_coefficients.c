// How the coefficients of dyt-approximate-tanh (lib/Codegen/ApproximateTanh.cpp)
// were found. Starts from Eigen's 13/6-degree rational tanh divided through
// by its leading numerator coefficient, evaluates it exactly as the pass
// emits it (clamp to +-9, Horner with fmas, one divide), and moves one
// coefficient at a time by up to 24 ulp while that lowers the largest error
// against glibc's tanhf (then the number of inputs at that error) over a
// sweep of every 61st f32 pattern in [2^-15, 10), keeping tanh(9) == 1.
// Deterministic; prints the bit patterns the pass uses.
//
//   gcc -O2 -march=native -ffp-contract=off scripts/tanh_coefficients.c -lm
//   ./a.out            (about 10 s)
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double kEigenNumerator[] = {
    4.89352455891786e-03, 6.37261928875436e-04,  1.48572235717979e-05,
    5.12229709037114e-08, -8.60467152213735e-11, 2.00018790482477e-13,
    -2.76076847742355e-16};
static const double kEigenDenominator[] = {
    4.89352518554385e-03, 2.26843463243900e-03, 1.18534705686654e-04,
    1.19825839466702e-06};

// k[0..5]: p1..p6, P(u) = p1 + p2 u + ... + p6 u^5; k[6..8]: q1..q3.
static float k[9];
static const float kClamp = 9.0f;

static float approx(float x) {
  float y = !(x >= kClamp) ? x : kClamp;
  y = !(y <= -kClamp) ? y : -kClamp;
  float y2 = y * y;
  float p = k[5];
  for (int i = 4; i >= 0; --i)
    p = fmaf(y2, p, k[i]);
  p = fmaf(y * y2, p, y);
  float q = fmaf(y2, fmaf(y2, fmaf(y2, k[8], k[7]), k[6]), 1.0f);
  return p / q;
}

static int64_t ordinal(float f) {
  int32_t b;
  memcpy(&b, &f, 4);
  return b < 0 ? -(int64_t)(b & 0x7fffffff) : b;
}

static float *xs, *want;
static long n;

static int64_t score(void) {
  if (approx(kClamp) != 1.0f)
    return INT64_MAX;
  int64_t worst = 0, at = 0;
  for (long i = 0; i < n; ++i) {
    int64_t d = llabs(ordinal(approx(xs[i])) - ordinal(want[i]));
    if (d > worst)
      worst = d, at = 0;
    if (d == worst)
      ++at;
  }
  return worst * 100000000 + at;
}

static float step(float f, int ulps) {
  int32_t b;
  memcpy(&b, &f, 4);
  b += ulps;
  memcpy(&f, &b, 4);
  return f;
}

int main(void) {
  for (int i = 1; i < 7; ++i)
    k[i - 1] = (float)(kEigenNumerator[i] / kEigenNumerator[0]);
  for (int i = 1; i < 4; ++i)
    k[5 + i] = (float)(kEigenDenominator[i] / kEigenNumerator[0]);
  xs = malloc(sizeof(float) * 4000000);
  want = malloc(sizeof(float) * 4000000);
  for (uint32_t b = 0x38000000u; b < 0x41200000u; b += 61) {
    memcpy(&xs[n], &b, 4);
    want[n] = tanhf(xs[n]);
    ++n;
  }
  int64_t best = score();
  for (int improved = 1, round = 0; improved && round < 12; ++round) {
    improved = 0;
    for (int c = 0; c < 9; ++c)
      for (int d = -24; d <= 24; ++d) {
        float old = k[c];
        if (!d)
          continue;
        k[c] = step(old, d);
        int64_t s = score();
        if (s < best)
          best = s, improved = 1;
        else
          k[c] = old;
      }
  }
  printf("sampled max error %lld ulp (%lld inputs at it)\n",
         (long long)(best / 100000000), (long long)(best % 100000000));
  for (int i = 0; i < 9; ++i) {
    uint32_t b;
    memcpy(&b, &k[i], 4);
    printf("%s%d = %.9g (0x%08x)\n", i < 6 ? "p" : "q", i < 6 ? i + 1 : i - 5,
           k[i], b);
  }
  return 0;
}
