import DescentCore
import GSL

/// Linear least squares (linear regression with the tutorial's ½m scaling):
/// f(w) = (1/2m) Σᵢ (xᵢᵀw − yᵢ)² + (λ/2)‖w‖², a finite sum over the m samples.
///
/// f* has a certified closed form: w* from GSL's Householder QR least-squares solve (λ = 0) or the
/// Cholesky solve of (XᵀX/m + λI) w = Xᵀy/m (λ > 0); f* = f(w*).
public struct LeastSquares: QuadraticProblem, FiniteSumProblem, ValidationMetrics {
    /// d = n.
    public let dimension: Int
    /// λ.
    public let regularization: Double
    /// X, row-major m × d.
    public let features: [Double]
    /// y.
    public let targets: [Double]
    /// Held-out rows (row-major) and targets; empty when there is no validation split.
    public let validationFeatures: [Double]
    /// Held-out targets.
    public let validationTargets: [Double]
    /// w*.
    public let minimizer: [Double]

    /// Synthetic data from `seed`: X ~ N(0, I), w_true ~ N(0, I), y = X w_true + σ ε, ε ~ N(0, 1).
    public init(samples m: Int, features d: Int, noise sigma: Double, regularization lambda: Double, seed: UInt64) throws(GSLError) {
        var rng = SeededGenerator(seed: seed)
        let x = (0..<(m * d)).map { _ in rng.nextNormal() }
        let wTrue = (0..<d).map { _ in rng.nextNormal() }
        let y = (0..<m).map { i -> Double in
            var s = 0.0
            for j in 0..<d { s += x[i * d + j] * wTrue[j] }
            return s + sigma * rng.nextNormal()
        }
        try self.init(features: x, targets: y, dimension: d, regularization: lambda)
    }

    /// A problem on given data (row-major `targets.count × dimension`), optionally with a validation split.
    public init(features: [Double], targets: [Double], dimension: Int, regularization: Double,
                validationFeatures: [Double] = [], validationTargets: [Double] = []) throws(GSLError) {
        precondition(features.count == targets.count * dimension, "features must be samples × dimension")
        self.features = features
        self.targets = targets
        self.dimension = dimension
        self.regularization = regularization
        self.validationFeatures = validationFeatures
        self.validationTargets = validationTargets
        let m = targets.count, d = dimension
        if regularization == 0 {
            minimizer = try LinearAlgebra.leastSquares(features, rows: m, columns: d, targets)
        } else {
            var normal = [Double](repeating: 0, count: d * d)
            var rhs = [Double](repeating: 0, count: d)
            for i in 0..<m {
                for j in 0..<d {
                    rhs[j] += features[i * d + j] * targets[i] / Double(m)
                    for k in 0..<d { normal[j * d + k] += features[i * d + j] * features[i * d + k] / Double(m) }
                }
            }
            for j in 0..<d { normal[j * d + j] += regularization }
            minimizer = try LinearAlgebra.choleskySolve(normal, rhs)
        }
    }

    public var sampleCount: Int { targets.count }
    public func initialPoint() -> [Double] { [Double](repeating: 0, count: dimension) }

    public func value(at w: Vector) -> Double {
        accumulate(at: w, samples: 0..<targets.count, count: Double(targets.count), gradient: nil)
    }

    public func valueAndGradient(at w: Vector, gradient g: Vector) -> Double {
        accumulate(at: w, samples: 0..<targets.count, count: Double(targets.count), gradient: g)
    }

    public func batchValueAndGradient(at w: Vector, batch: ArraySlice<Int>, gradient g: Vector) -> Double {
        accumulate(at: w, samples: batch, count: Double(batch.count), gradient: g)
    }

    /// (1/2count) Σ (xᵢᵀw − yᵢ)² + (λ/2)‖w‖² over `rows`, and its gradient when `g` is given.
    @inline(__always)
    private func accumulate(at w: Vector, samples rows: some Sequence<Int>, count: Double, gradient g: Vector?) -> Double {
        guard let g else {
            return withBuffers(w, nil) { x, y, w, _ in sum(rows, count, x, y, w, nil) }
        }
        return g.withUnsafeMutableBufferPointer { g in withBuffers(w, g) { x, y, w, g in sum(rows, count, x, y, w, g) } }
    }

    @inline(__always)
    private func withBuffers<T>(_ w: Vector, _ g: UnsafeMutableBufferPointer<Double>?,
                                _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
                                         UnsafeMutableBufferPointer<Double>?) -> T) -> T {
        features.withUnsafeBufferPointer { x in
            targets.withUnsafeBufferPointer { y in w.withUnsafeBufferPointer { w in body(x, y, w, g) } }
        }
    }

    @inline(__always)
    private func sum(_ rows: some Sequence<Int>, _ count: Double, _ x: UnsafeBufferPointer<Double>,
                     _ y: UnsafeBufferPointer<Double>, _ w: UnsafeBufferPointer<Double>,
                     _ g: UnsafeMutableBufferPointer<Double>?) -> Double {
        let d = dimension
        var loss = 0.0, norm2 = 0.0
        for j in 0..<d { norm2 += w[j] * w[j] }
        if let g { for j in 0..<d { g[j] = regularization * w[j] } }
        for i in rows {
            let row = i * d
            var r = -y[i]
            for j in 0..<d { r += x[row + j] * w[j] }
            loss += r * r
            if let g {
                let c = r / count
                for j in 0..<d { g[j] += c * x[row + j] }
            }
        }
        return 0.5 * loss / count + 0.5 * regularization * norm2
    }

    /// ∇²f = XᵀX/m + λI.
    public func hessian(at w: Vector, into h: Vector) {
        let d = dimension, m = Double(targets.count)
        h.fill(0)
        for i in 0..<targets.count {
            for j in 0..<d {
                let xj = features[i * d + j] / m
                for k in j..<d { h[j * d + k] += xj * features[i * d + k] }
            }
        }
        for j in 0..<d {
            h[j * d + j] += regularization
            for k in (j + 1)..<Swift.max(j + 1, d) { h[k * d + j] = h[j * d + k] }
        }
    }

    /// Mean squared error ½(xᵀw − y)² on the validation rows (nan without a split).
    public func validation(at w: Vector) -> (loss: Double, accuracy: Double?) {
        let d = dimension, m = validationTargets.count
        guard m > 0 else { return (.nan, nil) }
        var loss = 0.0
        for i in 0..<m {
            var r = -validationTargets[i]
            for j in 0..<d { r += validationFeatures[i * d + j] * w[j] }
            loss += 0.5 * r * r
        }
        return (loss / Double(m), nil)
    }

    public var analyticOptimum: Optimum? {
        Optimum(value: value(at: Vector(minimizer)), point: minimizer, source: .linearSolve)
    }
}
