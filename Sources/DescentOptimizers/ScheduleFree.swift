import DescentCore
import _DescentMath

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
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate γ", .positive) public var lr = 1.0
    @Parameter("momentum", "interpolation β of y between x and z", .unitInterval) public var momentum = 0.9
    @Parameter("weight_decay", "L2 penalty added to the gradient at y", .nonNegative) public var weightDecay = 0.0
    @Parameter("warmup_steps", "linear warmup of γ over this many steps", .nonNegative) public var warmupSteps = 0
    @Parameter("r", "power r of the step index in the averaging weights", .nonNegative) public var r = 0.0
    @Parameter("weight_lr_power", "power p of γ_max in the averaging weights", .nonNegative) public var weightLrPower = 2.0

    /// schedulefree's defaults.
    public init() {}

    /// Lanes z and x (set to x₀ at the first step).
    public var stateSlots: [Double] { [0, 0] }

    /// γ_t, the averaging weight c, and the running γ_max and Σw.
    public typealias Scalars = ScheduleFreeWeights

    public func scalars(iteration: Int, previous: Scalars?) -> Scalars {
        ScheduleFreeWeights(lr: lr, warmupSteps: warmupSteps, r: r, weightLrPower: weightLrPower, iteration: iteration, previous: previous)
    }

    /// `SGDScheduleFreeReference.step` for one coordinate or eight; `y` is the stored point.
    @inline(__always)
    public func update<V: Coordinates>(_ y: V, gradient g: V, state s: StateCursor<V>, scalars c: Scalars) -> V {
        let d = WeightDecay.coupled(g, at: y, weightDecay)
        let z = (c.first ? y : s[0]) - c.lr * d
        let x = (c.first ? y : s[1]) * (1 - c.weight) + c.weight * z
        s[0] = z
        s[1] = x
        return x * momentum + (1 - momentum) * z
    }

    /// The harness reports x, the average (schedulefree's `eval()`), not y.
    public var reportsAnotherPoint: Bool { true }

    public func reportedPoint(_ y: Vector, state: ElementwiseState<Scalars>, into out: Vector) {
        ScheduleFreeWeights.average(y, state, into: out)
    }
}

/// Schedule-free AdamW (Defazio et al., NeurIPS 2024, Algorithm 2), in the order of the authors'
/// `schedulefree.AdamWScheduleFreeReference`; reports the average x as ``ScheduleFreeSGD`` does.
///
/// Step t (k = t − 1): γ_t, c as in ``ScheduleFreeSGD``;  z ← z − γ_t·λ·(y, or z with decay_at_z);
/// v ← β₂v + (1 − β₂)g²;  z ← z − γ_t·g/(√(v/(1 − β₂ᵗ)) + ε);  x ← (1 − c)x + c·z;  y ← β₁x + (1 − β₁)z.
/// Defaults (schedulefree's): lr = 0.0025, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, weight_decay = 0,
/// warmup_steps = 0, r = 0, weight_lr_power = 2, decay_at_z = false.
public struct ScheduleFreeAdamW: Optimizer, ElementwiseRule {
    public static let name = "schedulefree-adamw"
    public static let summary = "schedule-free AdamW: Adam's normalized step on z at y = β₁x + (1−β₁)z, x the weighted average of z; reports x (Defazio et al., NeurIPS 2024)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate γ", .positive) public var lr = 0.0025
    @Parameter("beta1", "interpolation β₁ of y between x and z", .unitInterval) public var beta1 = 0.9
    @Parameter("beta2", "decay β₂ of the second moment", .unitInterval) public var beta2 = 0.999
    @Parameter("eps", "ε added to the denominator", .positive) public var eps = 1e-8
    @Parameter("weight_decay", "decoupled weight decay λ", .nonNegative) public var weightDecay = 0.0
    @Parameter("warmup_steps", "linear warmup of γ over this many steps", .nonNegative) public var warmupSteps = 0
    @Parameter("r", "power r of the step index in the averaging weights", .nonNegative) public var r = 0.0
    @Parameter("weight_lr_power", "power p of γ_max in the averaging weights", .nonNegative) public var weightLrPower = 2.0
    @Parameter("decay_at_z", "apply the weight decay at z instead of y") public var decayAtZ = false

    /// schedulefree's defaults.
    public init() {}

    /// Lanes z and x (set to x₀ at the first step), then v.
    public var stateSlots: [Double] { [0, 0, 0] }

    /// The averaging weights and 1 − β₂ᵗ.
    public struct Scalars {
        /// γ_t, c and their running sums.
        public var weights: ScheduleFreeWeights
        /// 1 − β₂ᵗ.
        public var correction2: Double
    }

    public func scalars(iteration: Int, previous: Scalars?) -> Scalars {
        Scalars(weights: ScheduleFreeWeights(lr: lr, warmupSteps: warmupSteps, r: r, weightLrPower: weightLrPower,
                                             iteration: iteration, previous: previous?.weights),
                correction2: BiasCorrection.of(beta2, step: iteration))
    }

    /// `AdamWScheduleFreeReference.step` for one coordinate or eight; `y` is the stored point.
    @inline(__always)
    public func update<V: Coordinates>(_ y: V, gradient g: V, state s: StateCursor<V>, scalars c: Scalars) -> V {
        let w = c.weights
        var z = w.first ? y : s[0]
        if weightDecay != 0 { z = z - w.lr * weightDecay * (decayAtZ ? z : y) }
        let v = s[2] * beta2 + (1 - beta2) * g * g
        z = z + (-w.lr) * g / ((v / c.correction2).squareRoot() + eps)
        let x = (w.first ? y : s[1]) * (1 - w.weight) + w.weight * z
        s[0] = z
        s[1] = x
        s[2] = v
        return x * beta1 + (1 - beta1) * z
    }

    /// The harness reports x, the average (schedulefree's `eval()`), not y.
    public var reportsAnotherPoint: Bool { true }

    public func reportedPoint(_ y: Vector, state: ElementwiseState<Scalars>, into out: Vector) {
        ScheduleFreeWeights.average(y, state, into: out)
    }
}

/// The averaging of schedule-free methods: γ_t = lr·min(1, t/warmup), γ_max = max(γ_max, γ_t),
/// w_t = t^r·γ_max^p, c_t = w_t/Σw (0 while Σw = 0), as schedulefree computes them.
public struct ScheduleFreeWeights {
    /// γ_t and c_t.
    public var lr, weight: Double
    /// γ_max and Σw so far.
    public var lrMax, weightSum: Double
    /// Whether this is the first step (z and x start at x₀).
    public var first: Bool

    /// The weights of `iteration`, after those of the iteration before (`nil` at the first).
    public init(lr base: Double, warmupSteps: Int, r: Double, weightLrPower: Double, iteration: Int, previous: ScheduleFreeWeights?) {
        let k = iteration - 1
        lr = base * (k < warmupSteps ? Double(k + 1) / Double(warmupSteps) : 1)
        lrMax = Swift.max(lr, previous?.lrMax ?? -1)
        let w = _pow(Double(k + 1), r) * _pow(lrMax, weightLrPower)
        weightSum = (previous?.weightSum ?? 0) + w
        weight = weightSum == 0 ? 0 : w / weightSum
        first = iteration == 1
    }

    /// x, the average in lane 1 of `state` (y itself before the first step).
    public static func average<S>(_ y: Vector, _ state: ElementwiseState<S>, into out: Vector) {
        guard state.scalars != nil else { return out.assign(y) }
        out.pointer.update(from: state.vectors[1], count: out.count)
    }
}
