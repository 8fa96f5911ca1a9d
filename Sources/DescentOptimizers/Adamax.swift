import DescentCore

/// Adamax (Kingma & Ba, ICLR 2015, §7.1: Adam with the infinity norm) — torch.optim.Adamax.
///
/// Step t, d = ∇f + weight_decay · x:  m ← lerp(m, d, 1 − β₁);  u ← max(β₂u, |d| + ε);
/// x ← x − (lr / (1 − β₁ᵗ)) · m / u.
/// Defaults: lr = 2e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, weight_decay = 0.
public struct Adamax: Optimizer, ElementwiseRule {
    public static let name = "adamax"
    public static let summary = "Adamax: m ← β₁m+(1−β₁)d, u ← max(β₂u, |d|+ε), x ← x − lr/(1−β₁ᵗ)·m/u (torch.optim.Adamax)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 2e-3
    @Parameter("beta1", "decay of the first moment β₁", .unitInterval) public var beta1 = 0.9
    @Parameter("beta2", "decay of the infinity norm β₂", .unitInterval) public var beta2 = 0.999
    @Parameter("eps", "ε added to |d|", .positive) public var eps = 1e-8
    @Parameter("weight_decay", "coupled L2 penalty added to the gradient", .nonNegative) public var weightDecay = 0.0

    /// PyTorch's defaults.
    public init() {}

    /// Lanes m and u (the exponentially weighted infinity norm).
    public var stateSlots: [Double] { [0, 0] }

    /// lr / (1 − β₁ᵗ).
    public func scalars(iteration: Int, previous: Double?) -> Double { lr / BiasCorrection.of(beta1, step: iteration) }

    /// torch.optim.Adamax's `_single_tensor_adamax` for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars clr: Double) -> V {
        let d = WeightDecay.coupled(g, at: x, weightDecay)
        let m = V.lerp(s[0], d, 1 - beta1), u = V.max(s[1] * beta2, d.magnitude + eps)
        s[0] = m
        s[1] = u
        return x - clr * m / u
    }
}
