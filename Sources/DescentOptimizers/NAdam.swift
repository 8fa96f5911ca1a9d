import DescentCore
import _DescentMath

/// NAdam (Dozat, ICLR 2016 workshop) with PyTorch's momentum-decay schedule (torch.optim.NAdam).
///
/// Step t, d = ∇f + weight_decay · x (or x ← x(1 − lr·weight_decay) first when decoupled):
/// μ_t = β₁ (1 − ½ · 0.96^(t ψ)),  Π_t = Π_{t−1} μ_t;  m ← lerp(m, d, 1 − β₁);  v ← β₂ v + (1 − β₂) d²;
/// D = √(v / (1 − β₂ᵗ)) + ε;
/// x ← x − lr (1 − μ_t) / (1 − Π_t) · d / D − lr μ_{t+1} / (1 − Π_t μ_{t+1}) · m / D.
/// Defaults: lr = 2e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, weight_decay = 0, ψ = momentum_decay = 4e-3.
public struct NAdam: Optimizer, ElementwiseRule {
    public static let name = "nadam"
    public static let summary = "NAdam: Adam with Nesterov momentum and PyTorch's μ_t = β₁(1 − ½·0.96^(tψ)) schedule (torch.optim.NAdam)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 2e-3
    @Parameter("beta1", "decay of the first moment β₁", .unitInterval) public var beta1 = 0.9
    @Parameter("beta2", "decay of the second moment β₂", .unitInterval) public var beta2 = 0.999
    @Parameter("eps", "ε added to the denominator", .positive) public var eps = 1e-8
    @Parameter("weight_decay", "weight decay λ", .nonNegative) public var weightDecay = 0.0
    @Parameter("momentum_decay", "momentum decay ψ", .nonNegative) public var momentumDecay = 4e-3
    @Parameter("decoupled_weight_decay", "decay x directly (NAdamW)") public var decoupledWeightDecay = false

    /// PyTorch's defaults.
    public init() {}

    /// Lanes m and v.
    public var stateSlots: [Double] { [0, 0] }

    /// One iteration's scalars: the running product Π_t of μ, 1 − β₂ᵗ and its reciprocal, the coefficients of d and
    /// of m, and decoupled decay's factor 1 − lr·λ.
    public struct Scalars {
        /// Π_t = μ₁ ⋯ μ_t.
        public var muProduct: Double
        /// 1 − β₂ᵗ and its reciprocal (for ``Coordinates/quotient(dividingBy:reciprocal:)``).
        public var correction2, reciprocal2: Double
        /// −lr(1 − μ_t)/(1 − Π_t) and −lr·μ_{t+1}/(1 − Π_t·μ_{t+1}).
        public var gradientCoefficient, momentumCoefficient: Double
        /// 1 − lr·λ.
        public var keep: Double
    }

    public func scalars(iteration: Int, previous: Scalars?) -> Scalars {
        let t = Double(iteration)
        let mu = beta1 * (1 - 0.5 * _pow(0.96, t * momentumDecay))
        let muNext = beta1 * (1 - 0.5 * _pow(0.96, (t + 1) * momentumDecay))
        let muProduct = (previous?.muProduct ?? 1) * mu
        let muProductNext = muProduct * muNext
        let correction2 = BiasCorrection.of(beta2, step: iteration)
        return Scalars(muProduct: muProduct, correction2: correction2, reciprocal2: 1 / correction2,
                       gradientCoefficient: -lr * (1 - mu) / (1 - muProduct),
                       momentumCoefficient: (-lr * muNext) / (1 - muProductNext), keep: WeightDecay.keep(lr: lr, weightDecay))
    }

    /// torch.optim.NAdam's `_single_tensor_nadam` for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars c: Scalars) -> V {
        if weightDecay == 0 && beta1 > 0.5 {
            // The common case under one test (lerp with weight 1 − β₁ < ½ is m + w(g − m)): same bits as below.
            let m = s[0] + (1 - beta1) * (g - s[0]), v = s[1] * beta2 + (1 - beta2) * g * g
            s[0] = m
            s[1] = v
            // v / (1 − β₂ᵗ) from the reciprocal and two FMA corrections (same bits as the division), so
            // the divider does what Adam's does: one square root and two divisions per coordinate.
            let denominator = v.quotient(dividingBy: c.correction2, reciprocal: c.reciprocal2).squareRoot() + eps
            return x + c.gradientCoefficient * g / denominator + c.momentumCoefficient * m / denominator
        }
        return general(x, gradient: g, state: s, scalars: c)
    }

    /// Weight decay or β₁ ≤ ½, kept out of line so the common case above inlines into the loops.
    @inline(never)
    func general<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars c: Scalars) -> V {
        var x = x
        if decoupledWeightDecay && weightDecay != 0 { x = x * c.keep }
        let d = WeightDecay.coupled(g, at: x, decoupledWeightDecay ? 0 : weightDecay)
        let m = V.lerp(s[0], d, 1 - beta1), v = s[1] * beta2 + (1 - beta2) * d * d
        s[0] = m
        s[1] = v
        let denominator = (v / c.correction2).squareRoot() + eps
        x = x + c.gradientCoefficient * d / denominator
        return x + c.momentumCoefficient * m / denominator
    }
}
