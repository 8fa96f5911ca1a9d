import DescentCore
import GSL

/// How the eigenvalues of a quadratic's matrix are spread between μ = 1 and L = κ.
public enum Spectrum: String, CaseIterable, Sendable {
    /// λᵢ = κ^{i/(n−1)}: log-spaced (every scale equally represented).
    case log
    /// λᵢ = 1 + (κ − 1) i/(n−1): evenly spaced.
    case uniform
    /// Two clusters: the first half at 1, the second half at κ.
    case clustered
}

/// A strongly convex quadratic f(x) = ½ xᵀAx − bᵀx with a prescribed spectrum.
///
/// A = Q diag(λ) Qᵀ with λ spread from μ = 1 to L = κ by `spectrum`, and Q the orthogonal factor
/// of the QR factorization (GSL) of a seeded Gaussian matrix when `rotated`, else Q = I (then A is
/// stored as its diagonal and n can reach 10⁷). b is seeded standard normal; x₀ = 0.
/// x* = A⁻¹b (GSL Cholesky when rotated, bᵢ/λᵢ when diagonal); f* = f(x*).
/// Dense (rotated) instances are limited to n ≤ 2000.
public struct Quadratic: QuadraticProblem {
    /// n.
    public let dimension: Int
    /// A, row-major n × n, when rotated; empty when diagonal.
    public let matrix: [Double]
    /// b.
    public let linear: [Double]
    /// The eigenvalues of A (for a diagonal A, its diagonal), in construction order.
    public let eigenvalues: [Double]
    /// x*.
    public let minimizer: [Double]

    /// The largest n of a rotated (dense) instance.
    public static let denseLimit = 2000

    /// Generates the instance from `seed`.
    public init(dimension n: Int, conditionNumber kappa: Double, spectrum: Spectrum = .log, rotated: Bool = true,
                seed: UInt64) throws(GSLError) {
        var rng = SeededGenerator(seed: seed)
        let lambda = (0..<n).map { i -> Double in
            let t = n == 1 ? 0 : Double(i) / Double(n - 1)
            switch spectrum {
            case .log: return n == 1 ? 1 : _pow(kappa, t)
            case .uniform: return 1 + (kappa - 1) * t
            case .clustered: return i < n / 2 ? 1 : kappa
            }
        }
        dimension = n
        eigenvalues = lambda
        if rotated {
            let gaussian = (0..<(n * n)).map { _ in rng.nextNormal() }
            let b = (0..<n).map { _ in rng.nextNormal() }
            let q = try LinearAlgebra.orthogonalFactor(gaussian, dimension: n)
            var a = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in i..<n {
                    var s = 0.0
                    for k in 0..<n { s += q[i * n + k] * lambda[k] * q[j * n + k] }
                    a[i * n + j] = s
                    a[j * n + i] = s
                }
            }
            matrix = a
            linear = b
            minimizer = try LinearAlgebra.choleskySolve(a, b)
        } else {
            let b = (0..<n).map { _ in rng.nextNormal() }
            matrix = []
            linear = b
            minimizer = (0..<n).map { b[$0] / lambda[$0] }
        }
    }

    /// Whether A is stored dense (rotated) rather than as its diagonal.
    public var isRotated: Bool { !matrix.isEmpty }
    /// μ, the smallest eigenvalue of A.
    public var strongConvexity: Double { eigenvalues.min() ?? 0 }
    /// L, the largest eigenvalue of A (the gradient's Lipschitz constant).
    public var smoothness: Double { eigenvalues.max() ?? 0 }

    public func initialPoint() -> [Double] { [Double](repeating: 0, count: dimension) }

    public func value(at x: Vector) -> Double {
        valueAndGradient(at: x, gradient: nil)
    }

    public func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        valueAndGradient(at: x, gradient: Optional(g))
    }

    private func valueAndGradient(at x: Vector, gradient g: Vector?) -> Double {
        let n = dimension
        var f = 0.0
        if !isRotated {
            eigenvalues.withUnsafeBufferPointer { a in
                linear.withUnsafeBufferPointer { b in
                    x.withUnsafeBufferPointer { x in
                        for i in 0..<n {
                            let ax = a[i] * x[i]
                            g?[i] = ax - b[i]
                            f += 0.5 * x[i] * ax - b[i] * x[i]
                        }
                    }
                }
            }
            return f
        }
        matrix.withUnsafeBufferPointer { a in
            linear.withUnsafeBufferPointer { b in
                x.withUnsafeBufferPointer { x in
                    for i in 0..<n {
                        var ax = 0.0
                        for j in 0..<n { ax += a[i * n + j] * x[j] }
                        g?[i] = ax - b[i]
                        f += 0.5 * x[i] * ax - b[i] * x[i]
                    }
                }
            }
        }
        return f
    }

    public func hessian(at x: Vector, into h: Vector) {
        if isRotated { h.assign(matrix); return }
        h.fill(0)
        for i in 0..<dimension { h[i * dimension + i] = eigenvalues[i] }
    }

    /// x* from the solve; f* = f(x*) evaluated by ``value(at:)``, the same arithmetic the runs use,
    /// so f − f* is never negative by rounding at x* itself.
    public var analyticOptimum: Optimum? {
        Optimum(value: value(at: Vector(minimizer)), point: minimizer, source: isRotated ? .linearSolve : .analytic)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
@inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
@inline(__always) func _log1p(_ x: Double) -> Double { Glibc.log1p(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Glibc.sin(x) }
@inline(__always) func _atan(_ x: Double) -> Double { Glibc.atan(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
@inline(__always) func _exp(_ x: Double) -> Double { Darwin.exp(x) }
@inline(__always) func _log1p(_ x: Double) -> Double { Darwin.log1p(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Darwin.cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Darwin.sin(x) }
@inline(__always) func _atan(_ x: Double) -> Double { Darwin.atan(x) }
#endif
