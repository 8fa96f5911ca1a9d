import DescentCore

/// Adadelta (Zeiler, arXiv:1212.5701, 2012) in PyTorch's form (torch.optim.Adadelta).
///
/// With d = ∇f + weight_decay · x:
/// s ← ρ s + (1 − ρ) d²;  δ = √(u + ε) / √(s + ε) · d;  u ← ρ u + (1 − ρ) δ²;  x ← x − lr · δ.
/// Defaults: lr = 1, ρ = 0.9, ε = 1e-6, weight_decay = 0.
public struct Adadelta: Optimizer, ElementwiseRule {
    public static let name = "adadelta"
    public static let summary = "Adadelta δ = √(u+ε)/√(s+ε)·d, x ← x − lr·δ (torch.optim.Adadelta)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "scale of the update", .positive) public var lr = 1.0
    @Parameter("rho", "decay ρ of both running averages", .unitInterval) public var rho = 0.9
    @Parameter("eps", "ε inside both square roots", .positive) public var eps = 1e-6
    @Parameter("weight_decay", "coupled L2 penalty added to the gradient", .nonNegative) public var weightDecay = 0.0

    /// PyTorch's defaults.
    public init() {}

    /// Lanes s and u, the running averages of d² and of δ².
    public var stateSlots: [Double] { [0, 0] }

    /// None.
    public func scalars(iteration: Int, previous: Void?) {}

    /// torch.optim.Adadelta's `_single_tensor_adadelta` for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars: Void) -> V {
        let d = WeightDecay.coupled(g, at: x, weightDecay)
        let w = 1 - rho
        let square = s[0] * rho + w * d * d
        s[0] = square
        let delta = (s[1] + eps).squareRoot() / (square + eps).squareRoot() * d
        s[1] = s[1] * rho + w * delta * delta
        return x - lr * delta
    }
}
