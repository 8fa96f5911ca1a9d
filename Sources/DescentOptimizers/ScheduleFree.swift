import DescentCore

/// Schedule-free SGD (Defazio et al., "The Road Less Scheduled", NeurIPS 2024, Algorithm 1), in the
/// order of the authors' `schedulefree.SGDScheduleFreeReference`. Gradients are taken at
/// y = βx + (1 − β)z; the paper evaluates the average x, and so does Descent: rows, targets, stops
/// and the final point are at x (an extra evaluation at checked iterates, not counted as work).
///
/// Step t (k = t − 1): γ_t = lr·min(1, (k + 1)/warmup); γ_max = max(γ_max, γ_t); w = (k + 1)^r·γ_max^p;
/// c = w / Σw;  z ← z − γ_t·(g + λy);  x ← (1 − c)x + c·z;  y ← βx + (1 − β)z.
/// z and x start at x₀. Defaults (schedulefree's): lr = 1, β = 0.9, weight_decay = 0, warmup_steps = 0,
/// r = 0, weight_lr_power p = 2 (with a constant γ, c = 1/t: x is the running mean of the z's).
public struct ScheduleFreeSGD: Optimizer, ElementwiseRule {
    public static let name = "schedulefree-sgd"
    public static let summary = "schedule-free SGD: z ← z − γg at y = βx + (1−β)z, x the weighted average of z; reports x (Defazio et al., NeurIPS 2024)"
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("lr", \.lr, "learning rate γ", .positive),
            .init("momentum", \.momentum, "interpolation β of y between x and z", .unitInterval),
            .init("weight_decay", \.weightDecay, "L2 penalty added to the gradient at y", .nonNegative),
            .init("warmup_steps", \.warmupSteps, "linear warmup of γ over this many steps", .nonNegative),
            .init("r", \.r, "power r of the step index in the averaging weights", .nonNegative),
            .init("weight_lr_power", \.weightLrPower, "power p of γ_max in the averaging weights", .nonNegative),
        ]
    }
    public static var learningRate: WritableKeyPath<Self, Double>? { \.lr }

    /// γ.
    public var lr = 1.0
    /// β.
    public var momentum = 0.9
    /// λ.
    public var weightDecay = 0.0
    /// Warmup steps.
    public var warmupSteps = 0
    /// r.
    public var r = 0.0
    /// p.
    public var weightLrPower = 2.0

    /// schedulefree's defaults.
    public init() {}

    /// Lanes z and x (set to x₀ at the first step).
    public var lanes: [Double] { [0, 0] }

    /// γ_t, the averaging weight c, and the running γ_max and Σw.
    public struct Scalars {
        /// γ_t, c.
        public var lr, weight: Double
        /// γ_max, Σw.
        public var lrMax, weightSum: Double
        /// Whether this is the first step (z and x start at x₀).
        public var first: Bool
    }

    public func scalars(iteration: Int, previous: Scalars?) -> Scalars {
        let k = iteration - 1
        let lrT = lr * (k < warmupSteps ? Double(k + 1) / Double(warmupSteps) : 1)
        let lrMax = Swift.max(lrT, previous?.lrMax ?? -1)
        let w = _pow(Double(k + 1), r) * _pow(lrMax, weightLrPower)
        let sum = (previous?.weightSum ?? 0) + w
        return Scalars(lr: lrT, weight: sum == 0 ? 0 : w / sum, lrMax: lrMax, weightSum: sum, first: iteration == 1)
    }

    /// `SGDScheduleFreeReference.step` for one coordinate or eight; `y` is the stored point.
    @inline(__always)
    public func update<V: Lane>(_ y: V, gradient g: V, lanes s: LaneCursor<V>, scalars c: Scalars) -> V {
        let d = weightDecay == 0 ? g : g + weightDecay * y
        let z = (c.first ? y : s[0]) - c.lr * d
        let x = (c.first ? y : s[1]) * (1 - c.weight) + c.weight * z
        s[0] = z
        s[1] = x
        return x * momentum + (1 - momentum) * z
    }

    /// The harness reports x, the average (schedulefree's `eval()`), not y.
    public var reportsAnotherPoint: Bool { true }

    public func reportedPoint(_ y: Vector, state: ElementwiseState<Scalars>, into out: Vector) {
        guard state.scalars != nil else { return out.assign(y) }  // before the first step x = x₀ = y
        (out.pointer).update(from: state.lanes[1], count: out.count)
    }
}
