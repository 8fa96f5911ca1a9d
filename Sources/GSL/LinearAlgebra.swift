import _CGSL

/// Dense linear algebra on row-major `[Double]` matrices, computed by GSL.
public enum LinearAlgebra {
    /// Solves `A x = b` for symmetric positive definite `A` (n × n, row-major) by Cholesky.
    ///
    /// Throws ``GSLError`` with `GSL_EDOM` when `A` is not positive definite.
    public static func choleskySolve(_ a: [Double], _ b: [Double]) throws(GSLError) -> [Double] {
        let n = b.count
        let m = GSLMatrix(rows: n, columns: n, rowMajor: a)
        let rhs = GSLVector(b)
        let x = GSLVector(count: n)
        try GSL.check(gsl_linalg_cholesky_decomp1(m.raw), "gsl_linalg_cholesky_decomp1")
        try GSL.check(gsl_linalg_cholesky_solve(m.raw, rhs.raw, x.raw), "gsl_linalg_cholesky_solve")
        return x.array
    }

    /// The least-squares solution of min ‖A x − b‖₂ for A (rows × columns, row-major, rows ≥ columns)
    /// of full column rank, by Householder QR (`gsl_linalg_QR_lssolve`).
    public static func leastSquares(_ a: [Double], rows: Int, columns: Int, _ b: [Double]) throws(GSLError) -> [Double] {
        precondition(rows >= columns && b.count == rows, "least squares needs rows >= columns and b of length rows")
        let m = GSLMatrix(rows: rows, columns: columns, rowMajor: a)
        let tau = GSLVector(count: columns)
        let rhs = GSLVector(b)
        let x = GSLVector(count: columns)
        let residual = GSLVector(count: rows)
        try GSL.check(gsl_linalg_QR_decomp(m.raw, tau.raw), "gsl_linalg_QR_decomp")
        try GSL.check(gsl_linalg_QR_lssolve(m.raw, tau.raw, rhs.raw, x.raw, residual.raw), "gsl_linalg_QR_lssolve")
        return x.array
    }

    /// The orthogonal factor Q of the Householder QR factorization of a square matrix (row-major).
    public static func orthogonalFactor(_ a: [Double], dimension n: Int) throws(GSLError) -> [Double] {
        let m = GSLMatrix(rows: n, columns: n, rowMajor: a)
        let tau = GSLVector(count: n)
        try GSL.check(gsl_linalg_QR_decomp(m.raw, tau.raw), "gsl_linalg_QR_decomp")
        let q = GSLMatrix(rows: n, columns: n)
        let r = GSLMatrix(rows: n, columns: n)
        try GSL.check(gsl_linalg_QR_unpack(m.raw, tau.raw, q.raw, r.raw), "gsl_linalg_QR_unpack")
        return q.rowMajor
    }

    /// The eigenvalues of a symmetric matrix (row-major), in ascending order.
    public static func symmetricEigenvalues(_ a: [Double], dimension n: Int) throws(GSLError) -> [Double] {
        let m = GSLMatrix(rows: n, columns: n, rowMajor: a)
        let eval = GSLVector(count: n)
        guard let work = gsl_eigen_symm_alloc(n) else { fatalError("gsl_eigen_symm_alloc(\(n)) failed: out of memory") }
        defer { gsl_eigen_symm_free(work) }
        try GSL.check(gsl_eigen_symm(m.raw, eval.raw, work), "gsl_eigen_symm")
        return eval.array.sorted()
    }
}
