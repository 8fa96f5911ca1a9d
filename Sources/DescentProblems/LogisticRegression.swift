import DescentCore
import _DescentMath

/// L2-regularized logistic regression on seeded synthetic data.
///
/// f(w) = (1/m) Σᵢ log(1 + exp(−yᵢ xᵢᵀw)) + (λ/2) ‖w‖², yᵢ ∈ {−1, +1}, w₀ = 0.
/// Data: xᵢ ~ N(0, I_d), w_true ~ N(0, I_d), yᵢ = sign(xᵢᵀw_true), then each label flipped
/// with probability `noise`. The loss is evaluated as softplus(t) = max(t, 0) + log1p(e^{−|t|}),
/// t = −yᵢ xᵢᵀw, so large margins neither overflow nor lose precision.
/// f* has no closed form: Descent certifies it with GSL's BFGS2 (see `DescentReference`).
public struct LogisticRegression: TwiceDifferentiable, FiniteSumProblem, ValidationMetrics {
    /// Features d = n.
    public let dimension: Int
    /// Samples m.
    public let samples: Int
    /// λ.
    public let regularization: Double
    /// X, row-major m × d (row i = sample i).
    public let features: [Double]
    /// y ∈ {−1, +1}ᵐ.
    public let labels: [Double]
    /// Held-out rows (row-major); empty when there is no validation split.
    public let validationFeatures: [Double]
    /// Held-out labels ±1.
    public let validationLabels: [Double]

    /// Draws m × d data from `seed` with label-flip probability `noise`.
    public init(samples m: Int, features d: Int, regularization lambda: Double, noise: Double, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let x = (0..<(m * d)).map { _ in rng.nextNormal() }
        let wTrue = (0..<d).map { _ in rng.nextNormal() }
        var y = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var s = 0.0
            for j in 0..<d { s += x[i * d + j] * wTrue[j] }
            y[i] = s >= 0 ? 1 : -1
            if rng.nextUniform() < noise { y[i] = -y[i] }
        }
        self.init(features: x, labels: y, dimension: d, regularization: lambda)
    }

    /// A problem on given data: `features` row-major `labels.count × dimension`, labels ±1.
    public init(features: [Double], labels: [Double], dimension: Int, regularization: Double,
                validationFeatures: [Double] = [], validationLabels: [Double] = []) {
        precondition(features.count == labels.count * dimension, "features must be samples × dimension")
        precondition(validationFeatures.count == validationLabels.count * dimension, "validation rows must match")
        self.features = features
        self.labels = labels
        self.validationFeatures = validationFeatures
        self.validationLabels = validationLabels
        self.dimension = dimension
        samples = labels.count
        self.regularization = regularization
    }

    public func initialPoint() -> [Double] { [Double](repeating: 0, count: dimension) }

    /// softplus(t) = log(1 + eᵗ), without overflow.
    @inline(__always) static func softplus(_ t: Double) -> Double {
        Swift.max(t, 0) + _log1p(_exp(-Swift.abs(t)))
    }

    /// σ(t) = 1 / (1 + e^{−t}), without overflow.
    @inline(__always) static func sigmoid(_ t: Double) -> Double {
        if t >= 0 { return 1 / (1 + _exp(-t)) }
        let e = _exp(t)
        return e / (1 + e)
    }

    /// softplus(t) and σ(t) from one exponential e^{−|t|}.
    @inline(__always) static func softplusAndSigmoid(_ t: Double) -> (Double, Double) {
        let e = _exp(-Swift.abs(t))
        let s = t >= 0 ? 1 / (1 + e) : e / (1 + e)
        return (Swift.max(t, 0) + _log1p(e), s)
    }

    public func value(at w: Vector) -> Double {
        let d = dimension
        var loss = 0.0
        features.withUnsafeBufferPointer { x in
            let x = x.baseAddress!, w = w.pointer
            for i in 0..<samples { loss += Self.softplus(-labels[i] * VectorMath.dot(x + i * d, w, d)) }
        }
        return loss / Double(samples) + 0.5 * regularization * w.dot(w)
    }

    public func valueAndGradient(at w: Vector, gradient g: Vector) -> Double {
        accumulate(at: w, samples: 0..<samples, count: Double(samples), gradient: g)
    }

    public var sampleCount: Int { samples }

    /// The mean loss over the samples in `batch` plus (λ/2)‖w‖², and its gradient.
    public func batchValueAndGradient(at w: Vector, batch: ArraySlice<Int>, gradient g: Vector) -> Double {
        accumulate(at: w, samples: batch, count: Double(batch.count), gradient: g)
    }

    /// The batch gradient without the loss (no logarithm per sample): certainly finite when every
    /// margin is finite and Σ|tᵢ| and (λ/2)‖w‖² stay below 10³⁰⁰, since each softplus(tᵢ) ≤ |tᵢ| + ln 2.
    public func batchGradient(at w: Vector, batch: ArraySlice<Int>, gradient g: Vector) -> Bool {
        let margins = accumulate(at: w, samples: batch, count: Double(batch.count), gradient: g, loss: false)
        return margins < 1e300 && (regularization == 0 || 0.5 * regularization * w.dot(w) < 1e300)
    }

    /// (1/count) Σ_{i ∈ samples} softplus(−yᵢxᵢᵀw) + (λ/2)‖w‖², its gradient into `g`; one pass over the rows.
    /// Divides by `count` (correctly rounded, as numpy's `mean`) rather than multiplying by 1/count.
    @inline(__always)
    private func accumulate(at w: Vector, samples rows: some Sequence<Int>, count: Double, gradient g: Vector) -> Double {
        accumulate(at: w, samples: rows, count: count, gradient: g, loss: true) / count + 0.5 * regularization * w.dot(w)
    }

    /// The gradient into `g` (the same bits either way) and, with `loss`, Σ softplus(tᵢ) over the
    /// rows, else Σ|tᵢ| (tᵢ = −yᵢxᵢᵀw).
    @inline(__always)
    private func accumulate(at w: Vector, samples rows: some Sequence<Int>, count: Double, gradient g: Vector, loss: Bool) -> Double {
        let d = dimension
        var total = 0.0
        features.withUnsafeBufferPointer { x in
            labels.withUnsafeBufferPointer { y in
                w.withUnsafeBufferPointer { w in
                    g.withUnsafeMutableBufferPointer { g in
                        for j in 0..<d { g[j] = regularization * w[j] }
                        let wp = w.baseAddress!, gp = g.baseAddress!, xp = x.baseAddress!
                        for i in rows {
                            let xi = xp + i * d
                            let t = -y[i] * VectorMath.dot(xi, wp, d)
                            let sigmoid: Double
                            if loss {
                                let softplus: Double
                                (softplus, sigmoid) = Self.softplusAndSigmoid(t)
                                total += softplus
                            } else {
                                sigmoid = Self.sigmoid(t)
                                total += Swift.abs(t)
                            }
                            // d/dw softplus(−y xᵀw) = −y σ(−y xᵀw) x
                            let c = -y[i] * sigmoid / count
                            for j in 0..<d { gp[j] += c * xi[j] }
                        }
                    }
                }
            }
        }
        return total
    }

    /// Mean logistic loss (without the regularizer) and accuracy of sign(xᵀw) on the validation rows.
    public func validation(at w: Vector) -> (loss: Double, accuracy: Double?) {
        let d = dimension, m = validationLabels.count
        guard m > 0 else { return (.nan, nil) }
        var loss = 0.0
        var correct = 0
        for i in 0..<m {
            var margin = 0.0
            for j in 0..<d { margin += validationFeatures[i * d + j] * w[j] }
            loss += Self.softplus(-validationLabels[i] * margin)
            if (margin >= 0 ? 1.0 : -1.0) == validationLabels[i] { correct += 1 }
        }
        return (loss / Double(m), Double(correct) / Double(m))
    }

    /// ∇²f = (1/m) Σ σ(t)(1 − σ(t)) xᵢxᵢᵀ + λI.
    public func hessian(at w: Vector, into h: Vector) {
        let d = dimension
        h.fill(0)
        features.withUnsafeBufferPointer { x in
            let hp = h.pointer, wp = w.pointer
            for i in 0..<samples {
                let xi = x.baseAddress! + i * d
                let s = Self.sigmoid(-labels[i] * VectorMath.dot(xi, wp, d))
                let c = s * (1 - s) / Double(samples)
                for j in 0..<d {
                    let cx = c * xi[j]
                    let row = hp + j * d
                    for k in j..<d { row[k] += cx * xi[k] }
                }
            }
        }
        // Fill the lower triangle from the upper one, so H is exactly symmetric.
        for j in 0..<d {
            h[j * d + j] += regularization
            for k in (j + 1)..<Swift.max(j + 1, d) { h[k * d + j] = h[j * d + k] }
        }
    }
}
