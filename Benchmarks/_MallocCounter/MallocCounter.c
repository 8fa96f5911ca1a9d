#include "MallocCounter.h"
#include <stddef.h>
#include <errno.h>
#include <stdatomic.h>

static atomic_int counting;
static atomic_long allocations;

#if defined(__GLIBC__)
// glibc exports its allocator under these names; defining malloc & co. in the executable
// interposes them for every library of the process (the documented way to replace malloc).
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static inline void count(void) {
    if (atomic_load_explicit(&counting, memory_order_relaxed))
        atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}
void *malloc(size_t n) { count(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { count(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { count(); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t alignment, size_t n) { count(); return __libc_memalign(alignment, n); }
void *aligned_alloc(size_t alignment, size_t n) { count(); return __libc_memalign(alignment, n); }
int posix_memalign(void **out, size_t alignment, size_t n) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    count();
    void *p = __libc_memalign(alignment, n);
    if (!p && n) return ENOMEM;
    *out = p;
    return 0;
}
int descent_malloc_counter_available(void) { return 1; }
#else
int descent_malloc_counter_available(void) { return 0; }
#endif

void descent_malloc_counter_start(void) {
    atomic_store(&allocations, 0);
    atomic_store(&counting, 1);
}

long descent_malloc_counter_stop(void) {
    atomic_store(&counting, 0);
    return atomic_load(&allocations);
}
