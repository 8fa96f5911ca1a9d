import DescentCore

/// Clip by global norm (optax.clip_by_global_norm): g ← g · min(1, c / ‖g‖₂).
public struct ClipByNorm: GradientTransformation {
    public static let name = "clip"
    public static let summary = "clip the gradient to global norm ≤ c: g ← g·min(1, c/‖g‖₂)"

    @Parameter("norm", "largest allowed ‖g‖₂", .positive) public var maxNorm = 1.0

    /// c = 1.
    public init() {}

    public func makeState(dimension: Int) {}

    public func apply(to g: Vector, at x: Vector, state: inout Void, iteration: Int) {
        let norm = g.norm()
        guard norm > maxNorm, norm.isFinite else { return }
        let scale = maxNorm / norm
        for i in 0..<g.count { g[i] *= scale }
    }
}

/// Clip by value (optax.clip, torch.nn.utils.clip_grad_value_): gᵢ ← min(max(gᵢ, −c), c).
public struct ClipByValue: GradientTransformation {
    public static let name = "clip_value"
    public static let summary = "clip each gradient component to [−c, c]"

    @Parameter("value", "largest allowed |gᵢ|", .positive) public var limit = 1.0

    /// c = 1.
    public init() {}

    public func makeState(dimension: Int) {}

    public func apply(to g: Vector, at x: Vector, state: inout Void, iteration: Int) {
        for i in 0..<g.count { g[i] = Swift.min(Swift.max(g[i], -limit), limit) }
    }
}

/// Coupled L2 weight decay as a transformation (optax.add_decayed_weights before the optimizer):
/// g ← g + λ x.
public struct L2: GradientTransformation {
    public static let name = "l2"
    public static let summary = "coupled L2 weight decay: g ← g + weight_decay·x"

    @Parameter("weight_decay", "λ", .nonNegative) public var weightDecay = 1e-4

    /// λ = 1e-4.
    public init() {}

    public func makeState(dimension: Int) {}

    public func apply(to g: Vector, at x: Vector, state: inout Void, iteration: Int) {
        WeightDecay.couple(g, at: x, weightDecay)
    }
}
