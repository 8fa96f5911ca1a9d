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

/// Solves symmetric positive definite systems of one size repeatedly, with GSL's storage
/// allocated once (for Newton's method: one solve per iteration, no allocation).
public final class CholeskyWorkspace {
    private let matrix: GSLMatrix
    private let rhs: GSLVector
    private let solution: GSLVector
    /// n.
    public let dimension: Int

    /// A workspace for n × n systems.
    public init(dimension n: Int) {
        dimension = n
        matrix = GSLMatrix(rows: n, columns: n)
        rhs = GSLVector(count: n)
        solution = GSLVector(count: n)
    }

    /// Solves (A + shift·I) x = b for row-major A; throws `GSL_EDOM` when it is not positive definite.
    public func solve(_ a: Span<Double>, shift: Double = 0, _ b: Span<Double>, into x: inout MutableSpan<Double>) throws(GSLError) {
        let n = dimension
        for i in 0..<n {
            for j in 0..<n { gsl_matrix_set(matrix.raw, i, j, a[i * n + j] + (i == j ? shift : 0)) }
            gsl_vector_set(rhs.raw, i, b[i])
        }
        try GSL.check(gsl_linalg_cholesky_decomp1(matrix.raw), "gsl_linalg_cholesky_decomp1")
        try GSL.check(gsl_linalg_cholesky_solve(matrix.raw, rhs.raw, solution.raw), "gsl_linalg_cholesky_solve")
        for i in 0..<n { x[i] = gsl_vector_get(solution.raw, i) }
    }
}
