import DescentCore

/// RMSprop (Hinton, Coursera lecture 6e, 2012; centered: Graves, arXiv:1308.0850) — torch.optim.RMSprop.
///
/// PyTorch convention, with d = ∇f + weight_decay · x:
/// s ← α s + (1 − α) d²;  centered: a ← lerp(a, d, 1 − α), r = √(s − a²), else r = √s;
/// momentum μ > 0: b ← μ b + d / (r + ε), x ← x − lr · b;  else x ← x − lr · d / (r + ε).
/// optax convention (optax.rmsprop): ε inside the square root, r = √(s (− a²) + ε), the moments
/// updated as (1 − α) d² + α s; momentum as b ← d/r + μ b.
/// Defaults (PyTorch): lr = 1e-2, α = 0.99, ε = 1e-8, weight_decay = 0, momentum = 0, centered = false.
public struct RMSprop: Optimizer, ElementwiseRule {
    public static let name = "rmsprop"
    public static let summary = "RMSprop s ← αs + (1−α)d², x ← x − lr·d/(√s + ε), centered and momentum options (torch.optim.RMSprop)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 1e-2
    @Parameter("alpha", "decay α of the squared-gradient average", .unitInterval) public var alpha = 0.99
    @Parameter("eps", "ε added to the denominator", .positive) public var eps = 1e-8
    @Parameter("weight_decay", "coupled L2 penalty added to the gradient", .nonNegative) public var weightDecay = 0.0
    @Parameter("momentum", "momentum coefficient μ", .unitInterval) public var momentum = 0.0
    @Parameter("centered", "divide by the estimated standard deviation instead of the RMS") public var centered = false
    @Parameter("convention", "pytorch (ε outside √) or optax (ε inside √)") public var convention = Convention.pytorch

    /// PyTorch's defaults.
    public init() {}

    /// Lanes s (the average of d²), then a (the average of d, centered only), then b (the momentum
    /// buffer, momentum > 0 only).
    public var stateSlots: [Double] { [0] + (centered ? [0] : []) + (momentum > 0 ? [0] : []) }

    /// None.
    public func scalars(iteration: Int, previous: Void?) {}

    /// torch.optim.RMSprop's `_single_tensor_rmsprop` (or optax's rmsprop) for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars: Void) -> V {
        let d = WeightDecay.coupled(g, at: x, weightDecay)
        let w = 1 - alpha, bufferLane = centered ? 2 : 1
        let denominator: V
        switch convention {
        case .pytorch:
            let square = s[0] * alpha + w * d * d
            s[0] = square
            var v = square
            if centered {
                let a = V.lerp(s[1], d, w)
                s[1] = a
                v = square + -a * a
            }
            denominator = v.squareRoot() + eps
        case .optax:
            let square = w * (d * d) + alpha * s[0]
            s[0] = square
            var v = square
            if centered {
                let a = w * d + alpha * s[1]
                s[1] = a
                v = square - a * a
            }
            denominator = (v + eps).squareRoot()
        }
        guard momentum > 0 else { return x - lr * d / denominator }
        let b = convention == .pytorch ? s[bufferLane] * momentum + d / denominator : d / denominator + momentum * s[bufferLane]
        s[bufferLane] = b
        return x - lr * b
    }
}
