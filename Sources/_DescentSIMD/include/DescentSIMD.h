#ifndef DESCENT_SIMD_H
#define DESCENT_SIMD_H
/// Eight doubles, imported into Swift as SIMD8<Double>: passed and returned by value, so the
/// kernels below leave no stack copies behind for the optimizer to split up.
typedef double descent_double8 __attribute__((ext_vector_type(8)));
/// √x for each of the eight lanes, correctly rounded like `Double.squareRoot()` (same bits). Swift's
/// `Double.squareRoot()` keeps libm's errno fallback (a scalar `sqrtsd` plus a call for negative
/// input), so it never vectorizes; this is `sqrtpd`/`vsqrtpd`, by value.
static inline __attribute__((always_inline)) descent_double8 descent_sqrt8(descent_double8 x) {
    return __builtin_elementwise_sqrt(x);
}

#if defined(__AVX__) && defined(__FMA__)
#include <immintrin.h>
#endif

/// a / b lane by lane, as one eight-lane division in the IR (`divpd`/`vdivpd`), by value.
static inline __attribute__((always_inline)) descent_double8 descent_divide8(descent_double8 a, descent_double8 b) {
    return a / b;
}

/// a[k] / b for k < 8, correctly rounded (the same bits as the division), given y = 1 / b
/// computed by a division. With FMA (DESCENT_TARGET_CPU builds) the quotient comes from
/// multiplications: q = a·y, then two corrections q ← q − (b·q − a)·y, each remainder b·q − a
/// formed exactly by one fused multiply-add. The first correction brings q within one ulp of a/b;
/// then, y being 1/b correctly rounded, Markstein's theorem (IBM J. Res. Dev. 34(1), 1990) makes
/// the second return a/b correctly rounded, provided nothing overflows or underflows. So this path
/// is taken only when 2⁻⁵⁰⁰ ≤ b ≤ 2⁵⁰⁰ and every |a[k]| is 0 or in [2⁻⁴⁰⁰, 2⁴⁰⁰] (quotients and
/// remainders then stay far inside the normal range); otherwise, and without FMA, the eight lanes
/// are divided. ±0 keeps its sign: with b > 0 the remainder of a zero q is +0 and the correction
/// −(+0)·y is −0, which leaves q = ±0 as it is (with b < 0 it would not, so negative divisors
/// divide). The multiplications and FMAs run beside the divider, which NAdam's three divisions per
/// coordinate keep busy.
#if defined(__AVX__) && defined(__FMA__)
static inline __attribute__((always_inline)) __m256d descent_quotient4(__m256d a, __m256d b, __m256d y) {
    __m256d q = _mm256_mul_pd(a, y);
    __m256d e = _mm256_fmsub_pd(b, q, a);
    q = _mm256_fnmadd_pd(e, y, q);
    e = _mm256_fmsub_pd(b, q, a);
    return _mm256_fnmadd_pd(e, y, q);
}
/// The lanes of `a` whose magnitude is NaN, above 2⁴⁰⁰, or non-zero below 2⁻⁴⁰⁰.
static inline __attribute__((always_inline)) __m256d descent_outside4(__m256d a) {
    __m256d t = _mm256_andnot_pd(_mm256_set1_pd(-0.0), a);
    __m256d high = _mm256_cmp_pd(t, _mm256_set1_pd(0x1p400), _CMP_NLE_UQ);
    __m256d low = _mm256_and_pd(_mm256_cmp_pd(t, _mm256_set1_pd(0x1p-400), _CMP_LT_OQ),
                                _mm256_cmp_pd(t, _mm256_setzero_pd(), _CMP_NEQ_OQ));
    return _mm256_or_pd(high, low);
}
static inline __attribute__((always_inline)) descent_double8 descent_quotient8(descent_double8 a, double b, double y) {
    typedef double descent_double4 __attribute__((ext_vector_type(4)));
    __m256d a0 = (__m256d)__builtin_shufflevector(a, a, 0, 1, 2, 3), a1 = (__m256d)__builtin_shufflevector(a, a, 4, 5, 6, 7);
    if (__builtin_expect(_mm256_movemask_pd(_mm256_or_pd(descent_outside4(a0), descent_outside4(a1))) != 0
                         || !(b >= 0x1p-500 && b <= 0x1p500), 0)) return a / b;
    __m256d vb = _mm256_set1_pd(b), vy = _mm256_set1_pd(y);
    descent_double4 q0 = (descent_double4)descent_quotient4(a0, vb, vy), q1 = (descent_double4)descent_quotient4(a1, vb, vy);
    return __builtin_shufflevector(q0, q1, 0, 1, 2, 3, 4, 5, 6, 7);
}
#else
static inline __attribute__((always_inline)) descent_double8 descent_quotient8(descent_double8 a, double b, double y) {
    (void)y;
    return a / b;
}
#endif
#endif
