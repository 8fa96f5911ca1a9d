#ifndef DESCENT_SIMD_H
#define DESCENT_SIMD_H
/// Vector square root for Descent's kernels. Swift's `Double.squareRoot()` keeps libm's errno
/// fallback (a scalar `sqrtsd` plus a call for negative input), so it never vectorizes; SSE2's
/// `sqrtpd` is the same correctly rounded IEEE square root, two lanes at a time.
#if defined(__AVX__)
#include <immintrin.h>
/// out[k] = √in[k] for k < 8 (correctly rounded), four lanes at a time (DESCENT_TARGET_CPU builds).
static inline __attribute__((always_inline)) void descent_sqrt8(const double *in, double *out) {
    _mm256_storeu_pd(out, _mm256_sqrt_pd(_mm256_loadu_pd(in)));
    _mm256_storeu_pd(out + 4, _mm256_sqrt_pd(_mm256_loadu_pd(in + 4)));
}
#elif defined(__SSE2__)
#include <emmintrin.h>
/// out[k] = √in[k] for k < 8 (correctly rounded).
static inline __attribute__((always_inline)) void descent_sqrt8(const double *in, double *out) {
    _mm_storeu_pd(out, _mm_sqrt_pd(_mm_loadu_pd(in)));
    _mm_storeu_pd(out + 2, _mm_sqrt_pd(_mm_loadu_pd(in + 2)));
    _mm_storeu_pd(out + 4, _mm_sqrt_pd(_mm_loadu_pd(in + 4)));
    _mm_storeu_pd(out + 6, _mm_sqrt_pd(_mm_loadu_pd(in + 6)));
}
#else
/// out[k] = √in[k] for k < 8 (correctly rounded).
static inline void descent_sqrt8(const double *in, double *out) {
    for (int k = 0; k < 8; k++) out[k] = __builtin_sqrt(in[k]);
}
#endif
#endif
