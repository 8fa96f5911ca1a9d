import DescentCore
import GSL

/// DeepOBS's `quadratic_deep`: a stochastic quadratic whose Hessian has a spectrum like a network's.
///
/// f(θ) = (1/m) Σᵢ ½ (θ − xᵢ)ᵀ Q (θ − xᵢ), Q = R diag(λ) Rᵀ with 90% of the λ drawn uniformly from
/// [0, 1] and 10% from [30, 60] (Schneider, Balles & Hennig, ICLR 2019), R the orthogonal factor of
/// GSL's QR of a seeded Gaussian matrix, xᵢ ~ N(0, I) seeded, x₀ = (1, …, 1). Convex with a known
/// spectrum: θ* = x̄ (the samples' mean), f* = (1/m) Σᵢ ½ (x̄ − xᵢ)ᵀ Q (x̄ − xᵢ). A batch's value and
/// gradient come from its mean x̄_B: ∇f_B = Q(θ − x̄_B), f_B = ½ uᵀQu + (1/|B|) Σ ½ xᵢᵀQxᵢ − ½ x̄_BᵀQx̄_B
/// with u = θ − x̄_B (OpenBLAS for Q times a vector).
public struct QuadraticDeep: QuadraticProblem, FiniteSumProblem {
    /// n.
    public let dimension: Int
    /// m.
    public let samples: Int
    /// Q, row-major n × n.
    public let matrix: [Double]
    /// The eigenvalues of Q, in construction order.
    public let eigenvalues: [Double]
    /// x₁ … x_m, row-major m × n.
    public let points: [Double]
    /// ½ xᵢᵀQxᵢ for each sample.
    private let halfNorms: [Double]
    /// Buffers: x̄_B, Qx̄_B and u = θ − x̄_B, Qu.
    private let workspace: ScratchBuffers
    /// The full set's x̄, Qx̄ and (1/m) Σ ½ xᵢᵀQxᵢ, so a full-batch evaluation costs one product.
    private let fullMean: [Double], fullQMean: [Double], fullHalf: Double

    /// Draws the instance from `seed`.
    public init(dimension n: Int, samples m: Int, seed: UInt64) throws(GSLError) {
        var rng = SeededGenerator(seed: seed)
        let large = Swift.max(1, n / 10)
        let lambda = (0..<n).map { i in i < n - large ? rng.nextUniform() : 30 + 30 * rng.nextUniform() }
        let q = Quadratic.rotated(lambda, by: try LinearAlgebra.orthogonalFactor((0..<(n * n)).map { _ in rng.nextNormal() },
                                                                                  dimension: n))
        let x = (0..<(m * n)).map { _ in rng.nextNormal() }
        dimension = n
        samples = m
        matrix = q
        eigenvalues = lambda
        points = x
        halfNorms = (0..<m).map { i in
            var s = 0.0
            for a in 0..<n { for b in 0..<n { s += x[i * n + a] * q[a * n + b] * x[i * n + b] } }
            return 0.5 * s
        }
        workspace = ScratchBuffers(sizes: [n, n, n, n])
        var mean = [Double](repeating: 0, count: n)
        for i in 0..<m { for a in 0..<n { mean[a] += x[i * n + a] } }
        for a in 0..<n { mean[a] /= Double(m) }
        fullMean = mean
        fullQMean = (0..<n).map { a in (0..<n).reduce(0) { $0 + q[a * n + $1] * mean[$1] } }
        fullHalf = halfNorms.reduce(0, +) / Double(m)
    }

    public func initialPoint() -> [Double] { [Double](repeating: 1, count: dimension) }

    public var sampleCount: Int { samples }

    public func value(at theta: Vector) -> Double { evaluate(theta, batch: nil, gradient: nil) }

    public func valueAndGradient(at theta: Vector, gradient g: Vector) -> Double { evaluate(theta, batch: nil, gradient: g) }

    public func batchValueAndGradient(at theta: Vector, batch: ArraySlice<Int>, gradient g: Vector) -> Double {
        evaluate(theta, batch: batch, gradient: g)
    }

    private func evaluate(_ theta: Vector, batch: ArraySlice<Int>?, gradient g: Vector?) -> Double {
        let n = dimension
        let count = batch?.count ?? samples
        return points.withUnsafeBufferPointer { x in
            matrix.withUnsafeBufferPointer { q in
                workspace.with { buffers in
                    let mean = buffers[0], qMean = buffers[1], u = buffers[2], qu = buffers[3]
                    var half = 0.0
                    if let batch {
                        for a in 0..<n { mean[a] = 0 }
                        for i in batch {
                            let xi = x.baseAddress! + i * n
                            for a in 0..<n { mean[a] += xi[a] }
                            half += halfNorms[i]
                        }
                        for a in 0..<n { mean[a] /= Double(count) }
                        BLAS.gemm(false, false, m: n, n: 1, k: n, q.baseAddress!, lda: n, UnsafePointer(mean), ldb: 1, qMean, ldc: 1)
                        half /= Double(count)
                    } else {
                        for a in 0..<n { mean[a] = fullMean[a]; qMean[a] = fullQMean[a] }
                        half = fullHalf
                    }
                    for a in 0..<n { u[a] = theta[a] - mean[a] }
                    BLAS.gemm(false, false, m: n, n: 1, k: n, q.baseAddress!, lda: n, UnsafePointer(u), ldb: 1, qu, ldc: 1)
                    var uQu = 0.0, mQm = 0.0
                    for a in 0..<n {
                        uQu += u[a] * qu[a]
                        mQm += mean[a] * qMean[a]
                    }
                    if let g { for a in 0..<n { g[a] = qu[a] } }
                    return 0.5 * uQu + (half - 0.5 * mQm)
                }
            }
        }
    }

    public func hessian(at theta: Vector, into h: Vector) {
        for i in 0..<(dimension * dimension) { h[i] = matrix[i] }
    }

    /// θ* = x̄, f* = f(x̄).
    public var analyticOptimum: Optimum? {
        Optimum(value: value(at: Vector(fullMean)), point: fullMean, source: .analytic)
    }
}
