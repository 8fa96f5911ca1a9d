import DescentCore
import GSL

/// A strongly convex quadratic f(x) = ½ xᵀAx − bᵀx with a prescribed condition number.
///
/// A = Q diag(λ) Qᵀ with λ log-spaced from μ = 1 to L = κ and Q the orthogonal factor of
/// the QR factorization (GSL) of a seeded Gaussian matrix; b is seeded standard normal;
/// x₀ = 0. x* = A⁻¹b by GSL's Cholesky solve, f* = f(x*) (= −½ bᵀx* up to rounding). Dense: n ≤ 2000.
public struct Quadratic: TwiceDifferentiable {
    /// n.
    public let dimension: Int
    /// A, row-major n × n.
    public let matrix: [Double]
    /// b.
    public let linear: [Double]
    /// The eigenvalues of A, ascending (μ = first, L = last).
    public let eigenvalues: [Double]
    /// x* from the Cholesky solve.
    public let minimizer: [Double]

    /// Generates the instance of dimension `n` and condition number `kappa` from `seed`.
    public init(dimension n: Int, conditionNumber kappa: Double, seed: UInt64) throws(GSLError) {
        var rng = SeededGenerator(seed: seed)
        let gaussian = (0..<(n * n)).map { _ in rng.nextNormal() }
        let b = (0..<n).map { _ in rng.nextNormal() }
        let q = try LinearAlgebra.orthogonalFactor(gaussian, dimension: n)
        let lambda = (0..<n).map { i in n == 1 ? 1 : _pow(kappa, Double(i) / Double(n - 1)) }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                var s = 0.0
                for k in 0..<n { s += q[i * n + k] * lambda[k] * q[j * n + k] }
                a[i * n + j] = s
                a[j * n + i] = s
            }
        }
        dimension = n
        matrix = a
        linear = b
        eigenvalues = lambda
        minimizer = try LinearAlgebra.choleskySolve(a, b)
    }

    /// μ, the smallest eigenvalue of A.
    public var strongConvexity: Double { eigenvalues.first ?? 0 }
    /// L, the largest eigenvalue of A (the gradient's Lipschitz constant).
    public var smoothness: Double { eigenvalues.last ?? 0 }

    public func initialPoint() -> [Double] { [Double](repeating: 0, count: dimension) }

    public func value(at x: Vector) -> Double {
        let n = dimension
        var f = 0.0
        for i in 0..<n {
            var ax = 0.0
            for j in 0..<n { ax += matrix[i * n + j] * x[j] }
            f += 0.5 * x[i] * ax - linear[i] * x[i]
        }
        return f
    }

    public func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        let n = dimension
        var f = 0.0
        matrix.withUnsafeBufferPointer { a in
            linear.withUnsafeBufferPointer { b in
                x.withUnsafeBufferPointer { x in
                    g.withUnsafeMutableBufferPointer { g in
                        for i in 0..<n {
                            var ax = 0.0
                            for j in 0..<n { ax += a[i * n + j] * x[j] }
                            g[i] = ax - b[i]
                            f += 0.5 * x[i] * ax - b[i] * x[i]
                        }
                    }
                }
            }
        }
        return f
    }

    public func hessian(at x: Vector, into h: Vector) { h.assign(matrix) }

    /// x* from the Cholesky solve; f* = f(x*) evaluated by ``value(at:)``, the same arithmetic
    /// the runs use, so f − f* is never negative by rounding at x* itself.
    public var analyticOptimum: Optimum? {
        Optimum(value: value(at: Vector(minimizer)), point: minimizer, source: .linearSolve)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
@inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
@inline(__always) func _log1p(_ x: Double) -> Double { Glibc.log1p(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
@inline(__always) func _exp(_ x: Double) -> Double { Darwin.exp(x) }
@inline(__always) func _log1p(_ x: Double) -> Double { Darwin.log1p(x) }
#endif
