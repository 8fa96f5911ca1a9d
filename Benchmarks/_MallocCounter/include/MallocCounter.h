#ifndef DESCENT_MALLOC_COUNTER_H
#define DESCENT_MALLOC_COUNTER_H
/// Counts heap allocations (malloc, calloc, realloc, memalign, posix_memalign, aligned_alloc) made
/// while counting is on. Linked into the benchmark executable only, where its definitions replace
/// glibc's (which still do the work, through __libc_*). Elsewhere it counts nothing.
/// 1 when allocations are counted on this platform.
int descent_malloc_counter_available(void);
/// Starts counting from zero.
void descent_malloc_counter_start(void);
/// Stops counting; returns the allocations made since the start.
long descent_malloc_counter_stop(void);
#endif
