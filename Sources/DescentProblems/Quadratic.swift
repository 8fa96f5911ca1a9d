import DescentCore
import _DescentMath
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

/// How the linear term b of a quadratic is chosen.
public enum LinearTerm: String, CaseIterable, Sendable {
    /// bᵢ ~ N(0, 1), drawn from the seed.
    case gaussian
    /// bᵢ = 1 (the peer kit's W1); a diagonal instance stores it as one number.
    case ones
}

/// A strongly convex quadratic f(x) = ½ xᵀAx − bᵀx with a prescribed spectrum.
///
/// A = Q diag(λ) Qᵀ with λ spread from μ = 1 to L = κ by `spectrum`, and Q the orthogonal factor
/// of the QR factorization (GSL) of a seeded Gaussian matrix when `rotated`, else Q = I (then A is
/// stored as its diagonal and n can reach 10⁷). b is seeded standard normal, or all ones; x₀ = 0.
/// The diagonal form with log spectrum, κ = 10³ and b = 1 is the peer kit's W1.
/// x* = A⁻¹b (GSL Cholesky when rotated, bᵢ/λᵢ when diagonal); f* = f(x*).
/// Dense (rotated) instances are limited to n ≤ 2000.
public struct Quadratic: QuadraticProblem, AffineGradientProblem {
    /// n.
    public let dimension: Int
    /// A, row-major n × n, when rotated; empty when diagonal.
    public let matrix: [Double]
    /// b; empty for a diagonal instance with constant b (see ``constantLinear``).
    public let linear: [Double]
    /// The value of every bᵢ when b is constant and not stored.
    public let constantLinear: Double?
    /// The eigenvalues of A (for a diagonal A, its diagonal), in construction order.
    public let eigenvalues: [Double]
    /// x* (computed on request for a diagonal A, so a large instance holds only A's diagonal).
    public var minimizer: [Double] {
        if let x = storedMinimizer { return x }
        if let c = constantLinear { return eigenvalues.map { c / $0 } }
        return (0..<dimension).map { linear[$0] / eigenvalues[$0] }
    }
    /// x* from the Cholesky solve (rotated instances only).
    private let storedMinimizer: [Double]?
    /// x₀ given with the arrays (``init(diagonal:linear:start:)``); `nil`: zeros.
    private var standardStart: [Double]? = nil

    /// The largest n of a rotated (dense) instance.
    public static let denseLimit = 2000

    /// Generates the instance from `seed`.
    public init(dimension n: Int, conditionNumber kappa: Double, spectrum: Spectrum = .log, rotated: Bool = true,
                linearTerm: LinearTerm = .gaussian, seed: UInt64) throws(GSLError) {
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
            let b = linearTerm == .ones ? [Double](repeating: 1, count: n) : (0..<n).map { _ in rng.nextNormal() }
            let a = Self.rotated(lambda, by: try LinearAlgebra.orthogonalFactor(gaussian, dimension: n))
            matrix = a
            linear = b
            constantLinear = nil
            storedMinimizer = try LinearAlgebra.choleskySolve(a, b)
        } else if linearTerm == .ones {
            matrix = []
            linear = []
            constantLinear = 1
            storedMinimizer = nil
        } else {
            matrix = []
            linear = (0..<n).map { _ in rng.nextNormal() }
            constantLinear = nil
            storedMinimizer = nil
        }
    }

    /// The diagonal quadratic ½ Σ aᵢxᵢ² − Σ bᵢxᵢ with given a (every aᵢ > 0) and b: a published
    /// instance reproduced from its arrays, with its standard x₀ `start` (`nil`: zeros). x* = b/a, f* = f(x*).
    public init(diagonal a: [Double], linear b: [Double], start: [Double]? = nil) {
        precondition(a.count == b.count && a.allSatisfy { $0 > 0 && $0.isFinite } && b.allSatisfy(\.isFinite))
        precondition(start == nil || start?.count == a.count, "x₀ must have n = \(a.count) values")
        standardStart = start
        dimension = a.count
        eigenvalues = a
        matrix = []
        linear = b
        constantLinear = nil
        storedMinimizer = nil
    }

    /// Q diag(λ) Qᵀ (row-major n × n, n = λ.count), exactly symmetric: each entry is summed once.
    static func rotated(_ lambda: [Double], by q: [Double]) -> [Double] {
        let n = lambda.count
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                var s = 0.0
                for k in 0..<n { s += q[i * n + k] * lambda[k] * q[j * n + k] }
                a[i * n + j] = s
                a[j * n + i] = s
            }
        }
        return a
    }

    /// Whether A is stored dense (rotated) rather than as its diagonal.
    public var isRotated: Bool { !matrix.isEmpty }
    /// μ, the smallest eigenvalue of A.
    public var strongConvexity: Double { eigenvalues.min() ?? 0 }
    /// L, the largest eigenvalue of A (the gradient's Lipschitz constant).
    public var smoothness: Double { eigenvalues.max() ?? 0 }

    /// The given x₀, else zeros.
    public func initialPoint() -> [Double] { standardStart ?? [Double](repeating: 0, count: dimension) }

    public func value(at x: Vector) -> Double {
        if !isRotated { return diagonal(x, nil).value }
        return dense(x, nil)
    }

    public func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        if !isRotated { return diagonal(x, g).value }
        return dense(x, g)
    }

    public func valueGradientAndSquaredNorm(at x: Vector, gradient g: Vector) -> (value: Double, squaredNorm: Double) {
        if !isRotated { return diagonal(x, g) }
        return (dense(x, g), VectorMath.sum(dimension) { g[$0] * g[$0] })
    }

    /// One pass: fᵢ = ½ xᵢ(aᵢxᵢ) − bᵢxᵢ and gᵢ = aᵢxᵢ − bᵢ (written when `gradient` is given), summed as ``VectorMath/Sums``.
    @inline(__always)
    private func diagonal(_ x: Vector, _ gradient: Vector?) -> (value: Double, squaredNorm: Double) {
        var sums = VectorMath.Sums()
        accumulate(at: x, range: 0..<dimension, gradient: gradient?.pointer, into: &sums)
        return sums.totals
    }

    /// 8 for a diagonal instance (coordinates are independent); 0 for a rotated one, which is not separable.
    public var chunkAlignment: Int { isRotated ? 0 : 8 }

    public func accumulate(at x: Vector, range: Range<Int>, gradient out: UnsafeMutablePointer<Double>?,
                           into sums: inout VectorMath.Sums) {
        precondition(!isRotated, "a rotated quadratic is not separable")
        if let c = constantLinear {
            eigenvalues.withUnsafeBufferPointer { a in
                AffineGradient(diagonal: a.baseAddress!, constant: c).accumulate(at: x.pointer, range: range, gradient: out, into: &sums)
            }
            return
        }
        eigenvalues.withUnsafeBufferPointer { a in
            linear.withUnsafeBufferPointer { b in
                let a = a.baseAddress!, b = b.baseAddress!, x = x.pointer, lo = range.lowerBound
                sums.add(range) { i in
                    let ax = a[i] * x[i], gi = ax - b[i]
                    out?[i - lo] = gi
                    return (0.5 * x[i] * ax - b[i] * x[i], gi * gi)
                }
            }
        }
    }

    /// gᵢ = aᵢxᵢ − bᵢ over `range`, nothing else.
    public func gradient(at x: Vector, range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        precondition(!isRotated, "a rotated quadratic is not separable")
        eigenvalues.withUnsafeBufferPointer { a in
            if let c = constantLinear {
                AffineGradient(diagonal: a.baseAddress!, constant: c).gradient(at: x.pointer, range: range, into: out)
                return
            }
            linear.withUnsafeBufferPointer { b in
                let a = a.baseAddress!, b = b.baseAddress!, x = x.pointer, lo = range.lowerBound
                for i in range { out[i - lo] = a[i] * x[i] - b[i] }
            }
        }
    }

    /// A diagonal instance with constant b has an ``AffineGradient``: elementwise steps fuse with it.
    public func withAffineGradient<R>(_ body: (AffineGradient) -> R) -> R? {
        guard !isRotated, let c = constantLinear else { return nil }
        return eigenvalues.withUnsafeBufferPointer { body(AffineGradient(diagonal: $0.baseAddress!, constant: c)) }
    }

    /// Row by row: (Ax)ᵢ as ``VectorMath/dot(_:_:_:)``, fᵢ = ½ xᵢ(Ax)ᵢ − bᵢxᵢ summed with ``VectorMath/sum(_:_:)``.
    private func dense(_ x: Vector, _ g: Vector?) -> Double {
        let n = dimension
        return matrix.withUnsafeBufferPointer { a in
            linear.withUnsafeBufferPointer { b in
                let a = a.baseAddress!, b = b.baseAddress!, x = x.pointer, g = g?.pointer
                return VectorMath.sum(n) { i in
                    let ax = VectorMath.dot(a + i * n, x, n)
                    g?[i] = ax - b[i]
                    return 0.5 * x[i] * ax - b[i] * x[i]
                }
            }
        }
    }

    public func hessian(at x: Vector, into h: Vector) {
        if isRotated { h.assign(matrix); return }
        h.fill(0)
        for i in 0..<dimension { h[i * dimension + i] = eigenvalues[i] }
    }

    /// x* from the solve; f* = f(x*) evaluated by ``value(at:)``, the same arithmetic the runs use,
    /// so f − f* is never negative by rounding at x* itself.
    public var analyticOptimum: Optimum? {
        let x = minimizer
        return Optimum(value: value(at: Vector(x)), point: x, source: isRotated ? .linearSolve : .analytic)
    }
}
