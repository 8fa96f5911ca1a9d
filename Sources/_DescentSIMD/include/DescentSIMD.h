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

/// out[k] = a[k] / b for k < 8, correctly rounded (the same bits as the division), given
/// y = 1 / b computed by a division. With FMA (DESCENT_TARGET_CPU builds) the quotient comes from
/// multiplications: q = a·y, then two corrections q ← q − (b·q − a)·y, each remainder formed
/// exactly by one fused multiply-add. The first correction brings q within one ulp of a/b; then,
/// y being 1/b correctly rounded, Markstein's theorem (IBM J. Res. Dev. 34(1), 1990) makes the
/// second one return a/b correctly rounded, provided nothing overflows or underflows. So this path
/// is taken only when 2⁻⁵⁰⁰ ≤ b ≤ 2⁵⁰⁰ and every |a[k]| is 0 or in [2⁻⁴⁰⁰, 2⁴⁰⁰] (quotients and
/// remainders then stay far inside the normal range); otherwise, and without FMA, it divides.
/// ±0 keeps its sign: with b > 0 the remainder b·q − a of a zero q is +0 and the correction −(+0)·y
/// is −0, which leaves q = ±0 as it is (with b < 0 it would not, so negative divisors divide).
/// The multiplications and FMAs run beside the divider, which a rule with several divisions per
/// coordinate (NAdam's three) keeps busy.
#if defined(__AVX__) && defined(__FMA__)
static inline __attribute__((always_inline)) __m256d descent_quotient4(__m256d a, __m256d b, __m256d y) {
    __m256d q = _mm256_mul_pd(a, y);
    __m256d e = _mm256_fmsub_pd(b, q, a);
    q = _mm256_fnmadd_pd(e, y, q);
    e = _mm256_fmsub_pd(b, q, a);
    return _mm256_fnmadd_pd(e, y, q);
}
/// Lanes of `t` (magnitudes) that are NaN, above 2⁴⁰⁰, or non-zero below 2⁻⁴⁰⁰.
static inline __attribute__((always_inline)) __m256d descent_outside4(__m256d t) {
    __m256d high = _mm256_cmp_pd(t, _mm256_set1_pd(0x1p400), _CMP_NLE_UQ);
    __m256d low = _mm256_and_pd(_mm256_cmp_pd(t, _mm256_set1_pd(0x1p-400), _CMP_LT_OQ),
                                _mm256_cmp_pd(t, _mm256_setzero_pd(), _CMP_NEQ_OQ));
    return _mm256_or_pd(high, low);
}
static inline __attribute__((always_inline)) void descent_quotient8(const double *a, double b, double y, double *out) {
    __m256d a0 = _mm256_loadu_pd(a), a1 = _mm256_loadu_pd(a + 4);
    __m256d vb = _mm256_set1_pd(b);
    __m256d sign = _mm256_set1_pd(-0.0);
    __m256d outside = _mm256_or_pd(descent_outside4(_mm256_andnot_pd(sign, a0)),
                                   descent_outside4(_mm256_andnot_pd(sign, a1)));
    if (__builtin_expect(_mm256_movemask_pd(outside) != 0 || !(b >= 0x1p-500 && b <= 0x1p500), 0)) {
        _mm256_storeu_pd(out, _mm256_div_pd(a0, vb));
        _mm256_storeu_pd(out + 4, _mm256_div_pd(a1, vb));
        return;
    }
    __m256d vy = _mm256_set1_pd(y);
    _mm256_storeu_pd(out, descent_quotient4(a0, vb, vy));
    _mm256_storeu_pd(out + 4, descent_quotient4(a1, vb, vy));
}
#else
/// out[k] = a[k] / b for k < 8 (no FMA here: the division itself).
static inline void descent_quotient8(const double *a, double b, double y, double *out) {
    (void)y;
    for (int k = 0; k < 8; k++) out[k] = a[k] / b;
}
#endif
#endif
