import DescentCore

/// Lion (Chen et al., "Symbolic Discovery of Optimization Algorithms", NeurIPS 2023, Algorithm 2),
/// in the order of the authors' `lion-pytorch`.
///
/// x ← x(1 − lr·λ);  c = β₁m + (1 − β₁)g;  x ← x − lr·sign(c);  m ← β₂m + (1 − β₂)g.
/// Defaults (the paper's and lion-pytorch's): lr = 1e-4, β₁ = 0.9, β₂ = 0.99, weight_decay λ = 0.
public struct Lion: Optimizer, ElementwiseRule {
    public static let name = "lion"
    public static let summary = "Lion: x ← x − lr·sign(β₁m + (1−β₁)g), m ← β₂m + (1−β₂)g (Chen et al., NeurIPS 2023)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 1e-4
    @Parameter("beta1", "interpolation β₁ of the update direction", .unitInterval) public var beta1 = 0.9
    @Parameter("beta2", "decay β₂ of the momentum", .unitInterval) public var beta2 = 0.99
    @Parameter("weight_decay", "decoupled weight decay λ (x ← x(1 − lr·λ))", .nonNegative) public var weightDecay = 0.0

    /// The paper's defaults.
    public init() {}

    /// One lane, the momentum m.
    public var stateSlots: [Double] { [0] }

    /// None.
    public func scalars(iteration: Int, previous: Void?) {}

    /// lion-pytorch's `update_fn` for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars: Void) -> V {
        let m = s[0]
        let direction = (m * beta1 + (1 - beta1) * g).signum()
        s[0] = m * beta2 + (1 - beta2) * g
        return (weightDecay == 0 ? x : x * WeightDecay.keep(lr: lr, weightDecay)) - lr * direction
    }
}
