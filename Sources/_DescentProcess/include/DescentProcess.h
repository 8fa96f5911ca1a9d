#ifndef DESCENT_PROCESS_H
#define DESCENT_PROCESS_H

/// Process plumbing Swift cannot call directly (prctl is variadic).

#ifdef __linux__
#include <sys/prctl.h>
#include <signal.h>

/// Asks the kernel to send `signal` to this process when its parent thread exits (Linux
/// PR_SET_PDEATHSIG); 0 on success, -1 with errno set otherwise.
static inline int descent_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}
#else
/// Not available off Linux: reports failure (-1).
static inline int descent_set_parent_death_signal(int signal) {
    (void)signal;
    return -1;
}
#endif

#endif
