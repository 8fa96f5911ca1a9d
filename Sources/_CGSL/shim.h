// Internal shim: the GSL headers Descent uses, plus accessors for GSL's global
// type variables (Swift 6 strict concurrency rejects reading C globals directly).
#ifndef DESCENT_CGSL_SHIM_H
#define DESCENT_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_version.h>

static inline const gsl_multimin_fdfminimizer_type *descent_gsl_vector_bfgs2(void) {
    return gsl_multimin_fdfminimizer_vector_bfgs2;
}

static inline const gsl_multimin_fdfminimizer_type *descent_gsl_vector_bfgs(void) {
    return gsl_multimin_fdfminimizer_vector_bfgs;
}

static inline const gsl_multimin_fdfminimizer_type *descent_gsl_conjugate_fr(void) {
    return gsl_multimin_fdfminimizer_conjugate_fr;
}

static inline const gsl_multimin_fdfminimizer_type *descent_gsl_conjugate_pr(void) {
    return gsl_multimin_fdfminimizer_conjugate_pr;
}

static inline const gsl_multimin_fdfminimizer_type *descent_gsl_steepest_descent(void) {
    return gsl_multimin_fdfminimizer_steepest_descent;
}

static inline const gsl_multimin_fminimizer_type *descent_gsl_nmsimplex2(void) {
    return gsl_multimin_fminimizer_nmsimplex2;
}

static inline const char *descent_gsl_version(void) {
    return gsl_version;
}

#endif
