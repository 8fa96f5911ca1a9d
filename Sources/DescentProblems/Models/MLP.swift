import DescentCore
import _DescentMath

/// A fully connected network's hidden-layer activation.
public enum Activation: String, Sendable, CaseIterable {
    /// tanh(z).
    case tanh
    /// max(z, 0).
    case relu
    /// z·Φ(z) = ½z(1 + erf(z/√2)), the exact GELU (PyTorch's default `approximate='none'`).
    case gelu
    /// z: a deep linear network.
    case linear

    @inline(__always) func apply(_ z: Double) -> Double {
        switch self {
        case .tanh: return _tanh(z)
        case .relu: return z > 0 ? z : 0
        case .gelu: return 0.5 * z * (1 + _erf(z * 0.7071067811865476))
        case .linear: return z
        }
    }

    /// σ'(z), given z and a = σ(z).
    @inline(__always) func derivative(_ z: Double, _ a: Double) -> Double {
        switch self {
        case .tanh: return 1 - a * a
        case .relu: return z > 0 ? 1 : 0
        case .gelu: return 0.5 * (1 + _erf(z * 0.7071067811865476)) + z * 0.3989422804014327 * _exp(-0.5 * z * z)
        case .linear: return 1
        }
    }
}

extension Activation {
    /// a = σ(z) for `count` values, one loop per activation (so relu and linear vectorize).
    @inline(__always)
    func apply(_ z: UnsafeMutablePointer<Double>, into a: UnsafeMutablePointer<Double>, count: Int) {
        switch self {
        case .relu: for i in 0..<count { a[i] = z[i] > 0 ? z[i] : 0 }
        case .linear: a.update(from: z, count: count)
        case .tanh, .gelu: for i in 0..<count { a[i] = apply(z[i]) }
        }
    }

    /// δ ← δ ⊙ σ'(z) for `count` values, given z and a = σ(z).
    @inline(__always)
    func scale(_ delta: UnsafeMutablePointer<Double>, byDerivativeAt z: UnsafeMutablePointer<Double>, _ a: UnsafeMutablePointer<Double>,
               count: Int) {
        switch self {
        case .relu: for i in 0..<count { delta[i] = z[i] > 0 ? delta[i] : 0 }
        case .linear: return
        case .tanh: for i in 0..<count { delta[i] *= 1 - a[i] * a[i] }
        case .gelu: for i in 0..<count { delta[i] *= derivative(z[i], a[i]) }
        }
    }
}

/// The output loss of an ``MLP``.
public enum OutputLoss: String, Sendable, CaseIterable {
    /// Softmax cross-entropy, log Σₖ exp(zₖ) − z_y (PyTorch's `CrossEntropyLoss`).
    case crossEntropy = "cross-entropy"
    /// ½‖z − e_y‖², the squared distance of the outputs to the one-hot label.
    case squared
    /// ½‖z − x‖², the squared distance of the outputs to the input (an autoencoder; K = d).
    case reconstruction
}

/// A multilayer perceptron: f(θ) = (1/m) Σᵢ ℓ(net_θ(xᵢ), yᵢ) + (λ/2) Σ_l ‖W_l‖², a classifier (the
/// target yᵢ a class) or an autoencoder (``OutputLoss/reconstruction``: the target is xᵢ itself).
///
/// Layers d → h₁ → … → h_L → K; z_l = W_l a_{l−1} + b_l, a_l = σ(z_l) for hidden layers, the last
/// layer's z are the outputs. θ holds each layer's W_l (out × in, row-major, as `torch.nn.Linear`)
/// followed by its b_l. Weight decay λ applies to the weights, not the biases. Non-convex: there is
/// no certified f*; its reference is the best value reached (``NonConvexProblem``). x₀ is seeded: W_l ~ U(±√(6/(in + out))) (Glorot uniform) for tanh and linear, N(0, 2/in) (He
/// normal) for relu and gelu, b_l = 0. The gradient is exact backpropagation; every matrix product
/// (the forward pass, the weight gradients and the backward pass) is one OpenBLAS dgemm per layer.
public struct MLP: FiniteSumProblem, ValidationMetrics, NonConvexProblem, RandomInitialization {
    /// n, the number of weights and biases.
    public let dimension: Int
    /// Widths d, h₁, …, h_L, K.
    public let widths: [Int]
    /// The hidden layers' activation.
    public let activation: Activation
    /// The output loss.
    public let loss: OutputLoss
    /// λ.
    public let weightDecay: Double
    /// Training samples m.
    public let samples: Int
    /// X, row-major m × d, and the classes 0..<K.
    public let design: [Double]
    public let labels: [Int]
    /// Held-out rows and classes.
    public let validationDesign: [Double]
    public let validationLabels: [Int]
    /// Where each layer's W_l starts in θ (b_l follows it).
    let offsets: [Int]
    private let start: [Double]
    /// Buffers: gathered rows (rows × d), then per layer l ≥ 1 z_l and a_l (rows × width_l), then two
    /// backward buffers (rows × the widest layer).
    private let workspace: ScratchBuffers

    /// A network on given data (`design` row-major `labels.count × widths[0]`, labels in 0..<widths.last),
    /// initialized from `seed`.
    public init(design: [Double], labels: [Int], widths: [Int], activation: Activation, loss: OutputLoss,
                weightDecay: Double, seed: UInt64, validationDesign: [Double] = [], validationLabels: [Int] = []) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 >= 1 } && (loss != .reconstruction || widths.last == widths.first))
        precondition(design.count == labels.count * widths[0] && validationDesign.count == validationLabels.count * widths[0])
        self.design = design
        self.labels = labels
        self.validationDesign = validationDesign
        self.validationLabels = validationLabels
        self.widths = widths
        self.activation = activation
        self.loss = loss
        self.weightDecay = weightDecay
        samples = labels.count
        var offsets: [Int] = [], n = 0
        for l in 1..<widths.count {
            offsets.append(n)
            n += widths[l] * widths[l - 1] + widths[l]
        }
        self.offsets = offsets
        dimension = n
        start = Self.initialization(widths: widths, offsets: offsets, dimension: n, activation: activation, seed: seed)
        let rows = Swift.max(labels.count, validationLabels.count)
        var sizes = [rows * widths[0]]
        for l in 1..<widths.count { sizes += [rows * widths[l], rows * widths[l]] }
        let widest = widths.max()!
        sizes += [rows * widest, rows * widest]
        workspace = ScratchBuffers(sizes: sizes)
    }

    public func initialPoint() -> [Double] { start }

    /// Glorot-uniform (tanh) or He-normal (relu, gelu) weights drawn from `seed`, zero biases.
    public func initialPoint(seed: UInt64) -> [Double] {
        Self.initialization(widths: widths, offsets: offsets, dimension: dimension, activation: activation, seed: seed)
    }

    static func initialization(widths: [Int], offsets: [Int], dimension n: Int, activation: Activation, seed: UInt64) -> [Double] {
        var rng = SeededGenerator(seed: seed ^ 0x1B87_3593_CC9E_2D51)
        var theta = [Double](repeating: 0, count: n)
        for l in 1..<widths.count {
            let fanIn = widths[l - 1], fanOut = widths[l]
            for i in 0..<(fanIn * fanOut) {
                switch activation {
                case .tanh, .linear:
                    let a = (6 / Double(fanIn + fanOut)).squareRoot()
                    theta[offsets[l - 1] + i] = a * (2 * rng.nextUniform() - 1)
                case .relu, .gelu:
                    theta[offsets[l - 1] + i] = (2 / Double(fanIn)).squareRoot() * rng.nextNormal()
                }
            }
        }
        return theta
    }

    public var sampleCount: Int { samples }

    public func value(at theta: Vector) -> Double {
        evaluate(theta, batch: nil, gradient: nil)
    }

    public func valueAndGradient(at theta: Vector, gradient g: Vector) -> Double {
        evaluate(theta, batch: nil, gradient: g)
    }

    public func batchValueAndGradient(at theta: Vector, batch: ArraySlice<Int>, gradient g: Vector) -> Double {
        evaluate(theta, batch: batch, gradient: g)
    }

    /// The forward pass over `count` rows: z_l and a_l into the buffers; returns the output layer's z.
    @inline(__always)
    private func forward(_ theta: UnsafePointer<Double>, rows: UnsafePointer<Double>, count: Int,
                         _ buffers: [UnsafeMutablePointer<Double>]) -> UnsafeMutablePointer<Double> {
        var input = rows
        let layers = widths.count - 1
        for l in 1...layers {
            let fanIn = widths[l - 1], fanOut = widths[l]
            let w = theta + offsets[l - 1], b = w + fanIn * fanOut
            let z = buffers[2 * l - 1], a = buffers[2 * l]
            for r in 0..<count { (z + r * fanOut).update(from: b, count: fanOut) }
            // Z = A·Wᵀ + 1bᵀ
            BLAS.gemm(false, true, m: count, n: fanOut, k: fanIn, input, lda: fanIn, w, ldb: fanIn, beta: 1, z, ldc: fanOut)
            if l < layers {
                activation.apply(z, into: a, count: count * fanOut)
                input = UnsafePointer(a)
            }
        }
        return buffers[2 * layers - 1]
    }

    /// The output loss of one row; with `gradientScale`, overwrites the row with ∂ℓ/∂z · scale.
    @inline(__always)
    private func outputLoss(_ z: UnsafeMutablePointer<Double>, label: Int, input: UnsafePointer<Double>,
                            gradientScale: Double?) -> Double {
        let k = widths.last!
        if loss == .crossEntropy { return SoftmaxRegression.crossEntropy(z, k, label: label, gradientScale: gradientScale) }
        // ½‖z − t‖² with t the input (reconstruction) or the one-hot label (squared).
        var total = 0.0
        for c in 0..<k {
            let r = z[c] - (loss == .reconstruction ? input[c] : c == label ? 1 : 0)
            total += r * r
            if let s = gradientScale { z[c] = r * s }
        }
        return 0.5 * total
    }

    /// The mean loss over the rows `batch` (nil: all) plus the weight decay, and its gradient when `gradient` is given.
    private func evaluate(_ theta: Vector, batch: ArraySlice<Int>?, gradient g: Vector?) -> Double {
        let d = widths[0], layers = widths.count - 1
        let count = batch?.count ?? samples
        let total = design.withUnsafeBufferPointer { x in
            labels.withUnsafeBufferPointer { y in
                workspace.with { buffers in
                    let rows = batchRows(x.baseAddress!, columns: d, batch: batch, scratch: buffers[0])
                    let out = forward(theta.pointer, rows: rows, count: count, buffers)
                    let k = widths[layers]
                    let scale: Double? = g == nil ? nil : 1 / Double(count)
                    var sum = 0.0, r = 0
                    forEachRow(batch, count: samples) { i in
                        sum += outputLoss(out + r * k, label: y[i], input: x.baseAddress! + i * d, gradientScale: scale)
                        r += 1
                    }
                    if let g { backward(theta.pointer, rows: rows, count: count, buffers, into: g.pointer) }
                    return sum
                }
            }
        }
        var decay = 0.0
        if weightDecay != 0 {
            for l in 1...layers {
                let w = theta.pointer + offsets[l - 1]
                decay += VectorMath.dot(w, w, widths[l] * widths[l - 1])
            }
        }
        return total / Double(count) + 0.5 * weightDecay * decay
    }

    /// Backpropagation from δ_L (the output layer's z buffer, already ∂ℓ/∂z / count) into `g`.
    @inline(__always)
    private func backward(_ theta: UnsafePointer<Double>, rows: UnsafePointer<Double>, count: Int,
                          _ buffers: [UnsafeMutablePointer<Double>], into g: UnsafeMutablePointer<Double>) {
        let layers = widths.count - 1
        var delta = buffers[2 * layers - 1]
        var spare = (buffers[2 * layers + 1], buffers[2 * layers + 2])
        for l in stride(from: layers, through: 1, by: -1) {
            let fanIn = widths[l - 1], fanOut = widths[l]
            let w = theta + offsets[l - 1], gw = g + offsets[l - 1], gb = gw + fanIn * fanOut
            let input = l == 1 ? rows : UnsafePointer(buffers[2 * (l - 1)])
            // ∂/∂W_l = δ_lᵀ A_{l−1} + λW_l
            gw.update(from: w, count: fanIn * fanOut)
            BLAS.gemm(true, false, m: fanOut, n: fanIn, k: count, delta, lda: fanOut, input, ldb: fanIn,
                      beta: weightDecay, gw, ldc: fanIn)
            // ∂/∂b_l = column sums of δ_l, in row order
            for j in 0..<fanOut { gb[j] = 0 }
            for r in 0..<count {
                let row = delta + r * fanOut
                for j in 0..<fanOut { gb[j] += row[j] }
            }
            guard l > 1 else { break }
            // δ_{l−1} = (δ_l W_l) ⊙ σ'(z_{l−1})
            let next = spare.0
            BLAS.gemm(false, false, m: count, n: fanIn, k: fanOut, delta, lda: fanOut, w, ldb: fanIn, next, ldc: fanIn)
            let z = buffers[2 * (l - 1) - 1], a = buffers[2 * (l - 1)]
            activation.scale(next, byDerivativeAt: z, a, count: count * fanIn)
            delta = next
            spare = (spare.1, spare.0)
        }
    }

    /// Mean output loss (without weight decay) on the validation rows, and the accuracy of argmax z
    /// for a classifier (nil for an autoencoder).
    public func validation(at theta: Vector) -> (loss: Double, accuracy: Double?) {
        let m = validationLabels.count, k = widths.last!, d = widths[0]
        guard m > 0 else { return (.nan, nil) }
        return validationDesign.withUnsafeBufferPointer { x in
            workspace.with { buffers in
                let out = forward(theta.pointer, rows: x.baseAddress!, count: m, buffers)
                var row = 0
                let score = classificationScore(out, count: m, classes: k, labels: validationLabels) { z, label in
                    defer { row += 1 }
                    return outputLoss(z, label: label, input: x.baseAddress! + row * d, gradientScale: nil)
                }
                return loss == .reconstruction ? (score.loss, nil) : score
            }
        }
    }
}
