import DescentCore

/// Stochastic gradient descent with optional heavy-ball or Nesterov momentum (torch.optim.SGD).
///
/// With d = ∇f(x) + weight_decay · x (coupled L2):
/// - momentum μ = 0: x ← x − lr · d
/// - μ > 0: b₁ = d, b_t = μ b_{t−1} + (1 − τ) d; then d ← d + μ b (Nesterov) or d ← b; x ← x − lr · d
///
/// Defaults (PyTorch): lr = 1e-3, μ = 0, τ = 0, weight_decay = 0, nesterov = false. The registry
/// also offers `gd` (μ = 0), `momentum` (μ = 0.9) and `nesterov` (μ = 0.9, Nesterov) as aliases.
/// References: H. Robbins, S. Monro, Ann. Math. Stat. 22(3), 1951 (SGD); B. T. Polyak, USSR Comput.
/// Math. Math. Phys. 4(5), 1964 (heavy ball); Y. Nesterov, Soviet Math. Dokl. 27, 1983; I. Sutskever
/// et al., ICML 2013 (the form PyTorch uses).
public struct SGD: Optimizer, RangeUpdateRule {
    public static let name = "sgd"
    public static let summary = "SGD with momentum/Nesterov: b ← μb + (1−τ)d, x ← x − lr·(b or d + μb) (torch.optim.SGD)"
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("lr", \.lr, "learning rate", .positive),
            .init("momentum", \.momentum, "momentum coefficient μ", .unitInterval),
            .init("dampening", \.dampening, "dampening τ of the gradient term", .closedUnitInterval),
            .init("weight_decay", \.weightDecay, "coupled L2 penalty added to the gradient", .nonNegative),
            .init("nesterov", \.nesterov, "Nesterov momentum (needs momentum > 0, dampening = 0)"),
        ]
    }
    public static var learningRate: WritableKeyPath<Self, Double>? { \.lr }

    /// Learning rate.
    public var lr = 1e-3
    /// Momentum coefficient μ.
    public var momentum = 0.0
    /// Dampening τ.
    public var dampening = 0.0
    /// Coupled L2 weight decay.
    public var weightDecay = 0.0
    /// Nesterov momentum.
    public var nesterov = false

    /// PyTorch's defaults.
    public init() {}

    /// SGD with the given hyperparameters.
    public init(lr: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false) {
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public func validate() throws(SpecError) {
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw .invalid(owner: Self.name, "Nesterov momentum requires momentum > 0 and dampening = 0")
        }
    }

    /// The momentum buffer b (empty when μ = 0).
    public struct State {
        /// b.
        public let buffer: Vector
    }

    public func makeState(dimension: Int) -> State { State(buffer: Vector(count: momentum == 0 ? 0 : dimension)) }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        step(x, gradient: g.pointer, state: &state, iteration: iteration, range: 0..<x.count)
    }

    /// Plain descent (no momentum, no weight decay) as a step a problem can fuse with its gradient.
    public func elementwiseStep(state: State, iteration: Int) -> ElementwiseStep? {
        momentum == 0 && weightDecay == 0 ? .descent(lr: lr) : nil
    }

    /// The step of the coordinates in `range`; `chunk[i − range.lowerBound]` is ∂f/∂xᵢ.
    public func step(_ x: Vector, gradient chunk: UnsafePointer<Double>, state: inout State, iteration: Int, range: Range<Int>) {
        let lr = lr, wd = weightDecay, mu = momentum, keep = 1 - dampening, lo = range.lowerBound
        let x = x.pointer
        if mu == 0 {
            // Plain (stochastic) gradient descent: the loop the compiler can vectorize.
            if wd == 0 {
                var i = range.lowerBound
                while i + 8 <= range.upperBound {
                    Kernels.store(ElementwiseStep.descend(Kernels.load(x + i), Kernels.load(chunk + (i - lo)), lr: lr), x + i)
                    i += 8
                }
                while i < range.upperBound { x[i] = ElementwiseStep.descend(x[i], chunk[i - lo], lr: lr); i += 1 }
            } else {
                for i in range { x[i] -= lr * (chunk[i - lo] + wd * x[i]) }
            }
            return
        }
        let b = state.buffer.pointer
        for i in range {
            var d = wd == 0 ? chunk[i - lo] : chunk[i - lo] + wd * x[i]
            b[i] = iteration == 1 ? d : b[i] * mu + keep * d
            d = nesterov ? d + mu * b[i] : b[i]
            x[i] -= lr * d
        }
    }
}
