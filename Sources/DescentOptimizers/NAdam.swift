import DescentCore

/// NAdam (Dozat, ICLR 2016 workshop) with PyTorch's momentum-decay schedule (torch.optim.NAdam).
///
/// Step t, d = ∇f + weight_decay · x (or x ← x(1 − lr·weight_decay) first when decoupled):
/// μ_t = β₁ (1 − ½ · 0.96^(t ψ)),  Π_t = Π_{t−1} μ_t;  m ← lerp(m, d, 1 − β₁);  v ← β₂ v + (1 − β₂) d²;
/// D = √(v / (1 − β₂ᵗ)) + ε;
/// x ← x − lr (1 − μ_t) / (1 − Π_t) · d / D − lr μ_{t+1} / (1 − Π_t μ_{t+1}) · m / D.
/// Defaults: lr = 2e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, weight_decay = 0, ψ = momentum_decay = 4e-3.
public struct NAdam: Optimizer {
    public static let name = "nadam"
    public static let summary = "NAdam: Adam with Nesterov momentum and PyTorch's μ_t = β₁(1 − ½·0.96^(tψ)) schedule (torch.optim.NAdam)"
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("lr", \.lr, "learning rate", .positive),
            .init("beta1", \.beta1, "decay of the first moment β₁", .unitInterval),
            .init("beta2", \.beta2, "decay of the second moment β₂", .unitInterval),
            .init("eps", \.eps, "ε added to the denominator", .positive),
            .init("weight_decay", \.weightDecay, "weight decay λ", .nonNegative),
            .init("momentum_decay", \.momentumDecay, "momentum decay ψ", .nonNegative),
            .init("decoupled_weight_decay", \.decoupledWeightDecay, "decay x directly (NAdamW)"),
        ]
    }
    public static var learningRate: WritableKeyPath<Self, Double>? { \.lr }

    /// Learning rate.
    public var lr = 2e-3
    /// β₁.
    public var beta1 = 0.9
    /// β₂.
    public var beta2 = 0.999
    /// ε.
    public var eps = 1e-8
    /// Weight decay λ.
    public var weightDecay = 0.0
    /// ψ.
    public var momentumDecay = 4e-3
    /// Decoupled weight decay.
    public var decoupledWeightDecay = false

    /// PyTorch's defaults.
    public init() {}

    /// The moments and the running product of μ.
    public struct State {
        /// First moment m.
        public let m: Vector
        /// Second moment v.
        public let v: Vector
        /// Π_t = μ₁ ⋯ μ_t.
        public var muProduct = 1.0
    }

    public func makeState(dimension n: Int) -> State { State(m: Vector(count: n), v: Vector(count: n)) }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        let t = Double(iteration)
        let correction2 = 1 - _pow(beta2, t)
        let mu = beta1 * (1 - 0.5 * _pow(0.96, t * momentumDecay))
        let muNext = beta1 * (1 - 0.5 * _pow(0.96, (t + 1) * momentumDecay))
        state.muProduct *= mu
        let muProductNext = state.muProduct * muNext
        let gradientCoefficient = -lr * (1 - mu) / (1 - state.muProduct)
        let momentumCoefficient = (-lr * muNext) / (1 - muProductNext)
        let m = state.m, v = state.v
        let w1 = 1 - beta1, w2 = 1 - beta2
        let keep = 1 - lr * weightDecay
        for i in 0..<x.count {
            if decoupledWeightDecay && weightDecay != 0 { x[i] *= keep }
            let d = decoupledWeightDecay || weightDecay == 0 ? g[i] : g[i] + weightDecay * x[i]
            m[i] = lerp(m[i], d, w1)
            v[i] = v[i] * beta2 + w2 * d * d
            let denominator = (v[i] / correction2).squareRoot() + eps
            x[i] += gradientCoefficient * d / denominator
            x[i] += momentumCoefficient * m[i] / denominator
        }
    }
}
