import DescentCore

/// Low-rank matrix completion by factorization, on a seeded ratings-like matrix.
///
/// f(U, V) = (1/|Ω|) Σ_{(i,j)∈Ω} ½ (uᵢᵀvⱼ − Mᵢⱼ)² + (λ/2)(‖U‖² + ‖V‖²), U ∈ ℝ^{r×k}, V ∈ ℝ^{c×k}
/// stored row-major one after the other. M = U*V*ᵀ + σ·noise with U*, V* ~ N(0, 1/√k) entrywise, each
/// entry observed with probability p (all seeded); the observed entries are the samples of the
/// finite sum. Non-convex, with known global structure: without noise and regularization, f* = 0 at
/// (U*, V*) (analytic; every (U*A, V*A⁻ᵀ) too, so ∇²f is singular there), and for such problems
/// the local minima are global (Ge, Lee & Ma, NeurIPS 2016); otherwise the reference is the best value
/// reached. x₀ ~ N(0, 0.1²) entrywise from the seed (x₀ = 0 is a saddle).
public struct MatrixFactorization: TwiceDifferentiable, FiniteSumProblem, NonConvexProblem, RandomInitialization {
    /// n = (rows + columns)·rank.
    public let dimension: Int
    /// r, c, k.
    public let rows: Int, columns: Int, rank: Int
    /// λ.
    public let regularization: Double
    /// The observed entries: row, column, value.
    public let entries: [(row: Int, column: Int, value: Double)]
    /// (U*, V*) when f* = 0 there (no noise, λ = 0).
    private let truth: [Double]?
    private let start: [Double]

    /// Draws the instance from `seed`.
    public init(rows r: Int, columns c: Int, rank k: Int, observed p: Double, noise sigma: Double, regularization lambda: Double,
                seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let scale = 1 / Double(k).squareRoot().squareRoot()
        let u = (0..<(r * k)).map { _ in scale * rng.nextNormal() }, v = (0..<(c * k)).map { _ in scale * rng.nextNormal() }
        var observed: [(row: Int, column: Int, value: Double)] = []
        for i in 0..<r {
            for j in 0..<c where rng.nextUniform() < p {
                var m = 0.0
                for a in 0..<k { m += u[i * k + a] * v[j * k + a] }
                observed.append((i, j, m + (sigma > 0 ? sigma * rng.nextNormal() : 0)))
            }
        }
        rows = r; columns = c; rank = k
        dimension = (r + c) * k
        regularization = lambda
        entries = observed
        truth = sigma == 0 && lambda == 0 ? u + v : nil
        start = Self.draw(count: (r + c) * k, seed: seed)
    }

    static func draw(count: Int, seed: UInt64) -> [Double] {
        var rng = SeededGenerator(seed: seed ^ 0x6A09_E667_F3BC_C909)
        return (0..<count).map { _ in 0.1 * rng.nextNormal() }
    }

    public func initialPoint() -> [Double] { start }
    public func initialPoint(seed: UInt64) -> [Double] { Self.draw(count: dimension, seed: seed) }
    public var sampleCount: Int { entries.count }

    public var analyticOptimum: Optimum? { truth.map { Optimum(value: 0, point: $0, source: .analytic) } }

    public func value(at x: Vector) -> Double { evaluate(x, batch: nil, gradient: nil) }

    public func valueAndGradient(at x: Vector, gradient g: Vector) -> Double { evaluate(x, batch: nil, gradient: g) }

    public func batchValueAndGradient(at x: Vector, batch: ArraySlice<Int>, gradient g: Vector) -> Double {
        evaluate(x, batch: batch, gradient: g)
    }

    private func evaluate(_ x: Vector, batch: ArraySlice<Int>?, gradient g: Vector?) -> Double {
        let k = rank, offset = rows * k
        let count = Double(batch?.count ?? entries.count)
        if let g { for a in 0..<dimension { g[a] = regularization * x[a] } }
        var total = 0.0
        let p = x.pointer
        func visit(_ e: Int) {
            let (i, j, m) = entries[e]
            let u = p + i * k, v = p + offset + j * k
            var r = -m
            for a in 0..<k { r += u[a] * v[a] }
            total += 0.5 * r * r
            if let g {
                let s = r / count, gu = g.pointer + i * k, gv = g.pointer + offset + j * k
                for a in 0..<k {
                    gu[a] += s * v[a]
                    gv[a] += s * u[a]
                }
            }
        }
        if let batch { for e in batch { visit(e) } } else { for e in 0..<entries.count { visit(e) } }
        return total / count + (regularization == 0 ? 0 : 0.5 * regularization * x.dot(x))
    }

    /// Per entry: ∂²/∂uᵢ² += vⱼvⱼᵀ, ∂²/∂vⱼ² += uᵢuᵢᵀ, ∂²/∂uᵢ∂vⱼ += vⱼuᵢᵀ + r·I, over |Ω|; plus λI.
    public func hessian(at x: Vector, into h: Vector) {
        let k = rank, offset = rows * k, n = dimension, count = Double(entries.count)
        for a in 0..<(n * n) { h[a] = 0 }
        for (i, j, m) in entries {
            let ui = i * k, vj = offset + j * k
            var r = -m
            for a in 0..<k { r += x[ui + a] * x[vj + a] }
            for a in 0..<k {
                for b in 0..<k {
                    h[(ui + a) * n + ui + b] += x[vj + a] * x[vj + b] / count
                    h[(vj + a) * n + vj + b] += x[ui + a] * x[ui + b] / count
                    let cross = (x[vj + a] * x[ui + b] + (a == b ? r : 0)) / count
                    h[(ui + a) * n + vj + b] += cross
                    h[(vj + b) * n + ui + a] += cross
                }
            }
        }
        for a in 0..<n { h[a * n + a] += regularization }
    }
}
