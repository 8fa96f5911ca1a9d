#ifndef DESCENT_BLAS_H
#define DESCENT_BLAS_H
/// Internal shim: OpenBLAS's dgemm for Descent's neural-network and softmax problems.
///
/// OpenBLAS is opened with dlopen (RTLD_LOCAL) rather than linked, for two reasons. Its `cblas_*`
/// symbols would otherwise interpose GSL's reference CBLAS, changing the bits of GSL's reference
/// optima (measured: no speed gain there, docs/PERFORMANCE.md); and OpenBLAS picks its kernels when
/// it is loaded, so loading it ourselves lets Descent pin one kernel family (`OPENBLAS_CORETYPE`,
/// Haswell on every AVX2 + FMA machine unless the user set it) rather than whatever the CPU model
/// selects. The thread count changes the bits too (measured), so it is fixed: 1, or
/// `DESCENT_BLAS_THREADS` (OPENBLAS_NUM_THREADS is overridden).

/// Loads OpenBLAS once (thread-safe). Returns 0 on success; otherwise writes a message naming what
/// is missing into `message` (at most `capacity` bytes, NUL-terminated) and returns −1.
int descent_blas_load(char *message, int capacity);

/// C ← α·op(A)·op(B) + β·C, row-major (cblas_dgemm with CblasRowMajor); `transposeA`/`transposeB`
/// non-zero for op = transpose. Call only after `descent_blas_load` succeeded.
void descent_dgemm(int transposeA, int transposeB, int m, int n, int k, double alpha, const double *a, int lda,
                   const double *b, int ldb, double beta, double *c, int ldc);

/// Sets OpenBLAS's thread count (after loading: 1, or DESCENT_BLAS_THREADS).
void descent_blas_set_threads(int threads);

/// OpenBLAS's thread count.
int descent_blas_threads(void);

/// OpenBLAS's configuration string and the kernel family in use (static strings).
const char *descent_blas_config(void);
const char *descent_blas_core(void);
#endif
