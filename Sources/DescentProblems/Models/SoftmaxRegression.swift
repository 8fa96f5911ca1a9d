import DescentCore
import _DescentMath

/// Multinomial logistic (softmax) regression with L2 regularization, on data with K classes.
///
/// f(W) = (1/m) Σᵢ [log Σₖ exp(zᵢₖ) − zᵢ,yᵢ] + (λ/2)‖W‖², z = XW, W ∈ ℝ^{d×K} stored row-major
/// (coordinate j·K + k is the weight of feature j for class k), W₀ = 0. Convex, and strictly so for
/// λ > 0, so f* is certified like logistic regression's (GSL BFGS2, then Newton with the exact
/// Hessian). The log-sum-exp subtracts each row's largest logit first. The products XW and Xᵀ(P − Y)
/// go through OpenBLAS (``BLAS``).
public struct SoftmaxRegression: TwiceDifferentiable, FiniteSumProblem, ValidationMetrics {
    /// n = d·K.
    public let dimension: Int
    /// Features per sample d (including an intercept column, if the data have one).
    public let features: Int
    /// Classes K.
    public let classes: Int
    /// Training samples m.
    public let samples: Int
    /// λ.
    public let regularization: Double
    /// X, row-major m × d.
    public let design: [Double]
    /// Class indices 0..<K, one per training row.
    public let labels: [Int]
    /// Held-out rows (row-major) and their classes.
    public let validationDesign: [Double]
    public let validationLabels: [Int]
    /// Buffers: gathered batch rows (m × d), logits then P − Y (m × K).
    private let workspace: ScratchBuffers

    /// A problem on given data: `design` row-major `labels.count × features`, labels in 0..<classes.
    public init(design: [Double], labels: [Int], features d: Int, classes k: Int, regularization: Double,
                validationDesign: [Double] = [], validationLabels: [Int] = []) {
        precondition(design.count == labels.count * d && validationDesign.count == validationLabels.count * d)
        precondition(labels.allSatisfy { (0..<k).contains($0) } && validationLabels.allSatisfy { (0..<k).contains($0) })
        self.design = design
        self.labels = labels
        self.validationDesign = validationDesign
        self.validationLabels = validationLabels
        features = d
        classes = k
        samples = labels.count
        dimension = d * k
        self.regularization = regularization
        let rows = Swift.max(labels.count, validationLabels.count)
        workspace = ScratchBuffers(sizes: [rows * d, rows * k])
    }

    public func initialPoint() -> [Double] { [Double](repeating: 0, count: dimension) }

    public var sampleCount: Int { samples }

    public func value(at w: Vector) -> Double {
        evaluate(at: w, batch: nil, gradient: nil)
    }

    public func valueAndGradient(at w: Vector, gradient g: Vector) -> Double {
        evaluate(at: w, batch: nil, gradient: g)
    }

    public func batchValueAndGradient(at w: Vector, batch: ArraySlice<Int>, gradient g: Vector) -> Double {
        evaluate(at: w, batch: batch, gradient: g)
    }

    /// The mean loss over the rows `batch` (nil: all) plus (λ/2)‖W‖², and its gradient when `gradient` is given.
    private func evaluate(at w: Vector, batch: ArraySlice<Int>?, gradient g: Vector?) -> Double {
        let d = features, k = classes
        let count = batch?.count ?? samples
        let loss = design.withUnsafeBufferPointer { x in
            labels.withUnsafeBufferPointer { y in
                workspace.with { buffers in
                    let rows = batchRows(x.baseAddress!, columns: d, batch: batch, scratch: buffers[0])
                    let z = buffers[1]
                    BLAS.gemm(false, false, m: count, n: k, k: d, rows, lda: d, w.pointer, ldb: k, z, ldc: k)
                    var total = 0.0
                    var row = 0
                    let scale: Double? = g == nil ? nil : 1 / Double(count)
                    forEachRow(batch, count: samples) { i in
                        total += Self.crossEntropy(z + row * k, k, label: y[i], gradientScale: scale)
                        row += 1
                    }
                    if let g {
                        // ∇ = Xᵀ(P − Y)/m + λW
                        g.assign(w)
                        BLAS.gemm(true, false, m: d, n: k, k: count, rows, lda: d, z, ldb: k,
                                  beta: regularization, g.pointer, ldc: k)
                    }
                    return total
                }
            }
        }
        return loss / Double(count) + 0.5 * regularization * w.dot(w)
    }

    /// log Σₖ exp(zₖ) − z_label for one row of logits; with `gradientScale`, overwrites the row with
    /// (softmax(z) − e_label)·scale.
    @inline(__always)
    static func crossEntropy(_ z: UnsafeMutablePointer<Double>, _ k: Int, label: Int, gradientScale: Double?) -> Double {
        var top = z[0]
        for c in 1..<Swift.max(k, 1) { top = Swift.max(top, z[c]) }
        let target = z[label]
        var sum = 0.0
        guard let scale = gradientScale else {
            for c in 0..<k { sum += _exp(z[c] - top) }
            return top + _log(sum) - target
        }
        // One exponential per logit: e^{z − max} kept in the row, then scaled into P − Y.
        for c in 0..<k {
            let e = _exp(z[c] - top)
            z[c] = e
            sum += e
        }
        for c in 0..<k { z[c] = z[c] / sum * scale }
        z[label] -= scale
        return top + _log(sum) - target
    }

    /// Mean cross-entropy (without the regularizer) and accuracy of argmax z on the validation rows.
    public func validation(at w: Vector) -> (loss: Double, accuracy: Double?) {
        let m = validationLabels.count, d = features, k = classes
        guard m > 0 else { return (.nan, nil) }
        return validationDesign.withUnsafeBufferPointer { x in
            workspace.with { buffers in
                let z = buffers[1]
                BLAS.gemm(false, false, m: m, n: k, k: d, x.baseAddress!, lda: d, w.pointer, ldb: k, z, ldc: k)
                return classificationScore(z, count: m, classes: k, labels: validationLabels) {
                    Self.crossEntropy($0, k, label: $1, gradientScale: nil)
                }
            }
        }
    }

    /// ∇²f = (1/m) Σᵢ (xᵢxᵢᵀ) ⊗ (diag(pᵢ) − pᵢpᵢᵀ) + λI, block (k, k') = Xᵀ diag(cₖₖ') X / m with
    /// cₖₖ' = pₖ(δₖₖ' − pₖ'), each block one dgemm; the blocks k' < k are mirrored, so H is exactly symmetric.
    public func hessian(at w: Vector, into h: Vector) {
        let d = features, k = classes, m = samples, n = dimension
        var p = [Double](repeating: 0, count: m * k), scaled = [Double](repeating: 0, count: m * d)
        var block = [Double](repeating: 0, count: d * d)
        design.withUnsafeBufferPointer { x in
            let x = x.baseAddress!
            p.withUnsafeMutableBufferPointer { p in
                BLAS.gemm(false, false, m: m, n: k, k: d, x, lda: d, w.pointer, ldb: k, p.baseAddress!, ldc: k)
                for i in 0..<m {
                    let zi = p.baseAddress! + i * k
                    var top = zi[0]
                    for c in 1..<k { top = Swift.max(top, zi[c]) }
                    var sum = 0.0
                    for c in 0..<k { sum += _exp(zi[c] - top) }
                    for c in 0..<k { zi[c] = _exp(zi[c] - top) / sum }
                }
            }
            for a in 0..<k {
                for b in a..<k {
                    for i in 0..<m {
                        let c = p[i * k + a] * ((a == b ? 1 : 0) - p[i * k + b]) / Double(m)
                        for j in 0..<d { scaled[i * d + j] = c * x[i * d + j] }
                    }
                    scaled.withUnsafeBufferPointer { s in
                        block.withUnsafeMutableBufferPointer { out in
                            BLAS.gemm(true, false, m: d, n: d, k: m, x, lda: d, s.baseAddress!, ldb: d, out.baseAddress!, ldc: d)
                        }
                    }
                    for j in 0..<d {
                        for j2 in 0..<d {
                            // Xᵀ diag(c) X is symmetric in exact arithmetic; take the upper triangle for both halves.
                            let v = j <= j2 ? block[j * d + j2] : block[j2 * d + j]
                            h[(j * k + a) * n + j2 * k + b] = v
                            h[(j2 * k + b) * n + j * k + a] = v
                        }
                    }
                }
            }
        }
        for i in 0..<n { h[i * n + i] += regularization }
    }
}
