import DescentCore

/// AdaBelief (Zhuang et al., NeurIPS 2020, Algorithm 2): Adam with the "belief" s, the average of
/// (g − m)², in place of v; in the order of the authors' `adabelief-pytorch` with `rectify=False`.
///
/// x ← x(1 − lr·λ) (decoupled, the default) or d = g + λx;  m ← β₁m + (1 − β₁)d;
/// s ← β₂s + (1 − β₂)(d − m)² + ε;  AMSGrad: ŝ = max(ŝ, s);  x ← x − (lr/(1 − β₁ᵗ))·m/(√s/√(1 − β₂ᵗ) + ε).
/// Defaults (the paper's): lr = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-16, weight_decay = 0, decoupled.
public struct AdaBelief: Optimizer, ElementwiseRule {
    public static let name = "adabelief"
    public static let summary = "AdaBelief: Adam with s ← β₂s + (1−β₂)(g − m)² + ε in place of v (Zhuang et al., NeurIPS 2020)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 1e-3
    @Parameter("beta1", "decay of the first moment β₁", .unitInterval) public var beta1 = 0.9
    @Parameter("beta2", "decay of the belief β₂", .unitInterval) public var beta2 = 0.999
    @Parameter("eps", "ε added to the belief and to the denominator", .positive) public var eps = 1e-16
    @Parameter("weight_decay", "weight decay λ", .nonNegative) public var weightDecay = 0.0
    @Parameter("decoupled_weight_decay", "decay x directly (the paper's default) instead of adding λx to d") public var decoupledWeightDecay = true
    @Parameter("amsgrad", "use the running maximum of s") public var amsgrad = false

    /// The paper's defaults.
    public init() {}

    /// Lanes m and s, and the running maximum of s with AMSGrad.
    public var stateSlots: [Double] { amsgrad ? [0, 0, 0] : [0, 0] }

    /// One iteration's scalars: the bias corrections of step t and decoupled decay's factor 1 − lr·λ.
    public func scalars(iteration: Int, previous: BiasCorrection?) -> BiasCorrection {
        BiasCorrection(lr: lr, beta1: beta1, beta2: beta2, weightDecay: weightDecay, step: iteration)
    }

    /// adabelief-pytorch's step (`rectify=False`) for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars c: BiasCorrection) -> V {
        let x = decoupledWeightDecay ? x * c.keep : x
        let d = WeightDecay.coupled(g, at: x, decoupledWeightDecay ? 0 : weightDecay)
        let m = s[0] * beta1 + (1 - beta1) * d
        let residual = d - m
        var belief = s[1] * beta2 + (1 - beta2) * residual * residual + eps
        s[0] = m
        s[1] = belief
        if amsgrad {
            belief = V.max(s[2], belief)
            s[2] = belief
        }
        return x - c.stepSize * m / (belief.squareRoot() / c.root2 + eps)
    }
}
