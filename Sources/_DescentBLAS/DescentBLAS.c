#define _GNU_SOURCE
#include "DescentBLAS.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int);
typedef void (*set_threads_fn)(int);
typedef int (*get_threads_fn)(void);
typedef char *(*get_string_fn)(void);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];
static dgemm_fn dgemm;
static set_threads_fn set_threads;
static get_threads_fn get_threads;
static get_string_fn get_config, get_core;

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

static void load(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) setenv("OPENBLAS_CORETYPE", "Haswell", 0);
#endif
    // One thread unless DESCENT_BLAS_THREADS says otherwise: OpenBLAS's results depend on its thread
    // count (measured: digits-softmax's f* moves in the last bits with 2 threads), so OPENBLAS_NUM_THREADS
    // from the environment is overridden and results stay reproducible.
    const char *requested = getenv("DESCENT_BLAS_THREADS");
    int threads = requested ? atoi(requested) : 1;
    if (threads < 1) threads = 1;
    char count[16];
    snprintf(count, sizeof count, "%d", threads);
    setenv("OPENBLAS_NUM_THREADS", count, 1);
    const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0"};
    void *handle = NULL;
    for (unsigned i = 0; i < sizeof names / sizeof *names && !handle; i++) handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(failure, sizeof failure, "OpenBLAS is not installed (dlopen libopenblas.so.0: %s); install it with "
                 "apt-get install -y libopenblas-dev", dlerror());
        return;
    }
    dgemm = (dgemm_fn)dlsym(handle, "cblas_dgemm");
    set_threads = (set_threads_fn)dlsym(handle, "openblas_set_num_threads");
    get_threads = (get_threads_fn)dlsym(handle, "openblas_get_num_threads");
    get_config = (get_string_fn)dlsym(handle, "openblas_get_config");
    get_core = (get_string_fn)dlsym(handle, "openblas_get_corename");
    if (!dgemm || !set_threads || !get_threads || !get_config || !get_core) {
        snprintf(failure, sizeof failure, "the loaded libopenblas.so.0 lacks cblas_dgemm or openblas_* (is it OpenBLAS?)");
        dgemm = NULL;
        return;
    }
    set_threads(threads);
}

int descent_blas_load(char *message, int capacity) {
    pthread_once(&once, load);
    if (dgemm) return 0;
    if (message && capacity > 0) snprintf(message, (size_t)capacity, "%s", failure);
    return -1;
}

void descent_dgemm(int transposeA, int transposeB, int m, int n, int k, double alpha, const double *a, int lda,
                   const double *b, int ldb, double beta, double *c, int ldc) {
    dgemm(ROW_MAJOR, transposeA ? TRANS : NO_TRANS, transposeB ? TRANS : NO_TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void descent_blas_set_threads(int threads) { if (set_threads) set_threads(threads); }
int descent_blas_threads(void) { return get_threads ? get_threads() : 0; }
const char *descent_blas_config(void) { return get_config ? get_config() : "OpenBLAS not loaded"; }
const char *descent_blas_core(void) { return get_core ? get_core() : "none"; }
