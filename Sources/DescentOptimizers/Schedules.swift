import DescentCore
import _DescentMath

/// A constant learning rate (factor 1): the default, listed for completeness.
public struct ConstantSchedule: LearningRateSchedule {
    public static let name = "constant"
    public static let summary = "lr_t = lr"
    public init() {}
    public func factor(afterSteps k: Int) -> Double { 1 }
}

/// Step decay (torch.optim.lr_scheduler.StepLR): lr_t = lr · γ^⌊k / s⌋.
public struct StepSchedule: LearningRateSchedule {
    public static let name = "step"
    public static let summary = "step decay lr·γ^⌊k/step_size⌋ (StepLR)"
    @Parameter("step_size", "steps between decays", .atLeast(1)) public var stepSize = 100
    @Parameter("gamma", "decay factor γ", .positive) public var gamma = 0.1
    public init() {}
    public func factor(afterSteps k: Int) -> Double { _pow(gamma, Double(k / stepSize)) }
}

/// Exponential decay (ExponentialLR): lr_t = lr · γᵏ.
public struct ExponentialSchedule: LearningRateSchedule {
    public static let name = "exponential"
    public static let summary = "exponential decay lr·γᵏ (ExponentialLR)"
    @Parameter("gamma", "decay factor γ per step", .positive) public var gamma = 0.999
    public init() {}
    public func factor(afterSteps k: Int) -> Double { _pow(gamma, Double(k)) }
}

/// 1/t decay (optax.inverse_time_decay without staircase): lr_t = lr / (1 + decay · k).
public struct InverseTimeSchedule: LearningRateSchedule {
    public static let name = "inverse_time"
    public static let summary = "1/t decay lr/(1 + decay·k)"
    @Parameter("decay", "decay rate", .nonNegative) public var decay = 1e-2
    public init() {}
    public func factor(afterSteps k: Int) -> Double { 1 / (1 + decay * Double(k)) }
}

/// Cosine decay (CosineAnnealingLR's closed form over one half period, then held; optax.cosine_decay_schedule):
/// lr_t = lr · (m + (1 − m)(1 + cos(π · min(k, T) / T)) / 2), m = min_factor.
public struct CosineSchedule: LearningRateSchedule {
    public static let name = "cosine"
    public static let summary = "cosine decay to min_factor·lr over `steps` steps, then held"
    @Parameter("steps", "decay length T", .atLeast(1)) public var steps = 1000
    @Parameter("min_factor", "final factor m", .closedUnitInterval) public var minFactor = 0.0
    public init() {}
    public func factor(afterSteps k: Int) -> Double {
        let progress = Double(Swift.min(k, steps)) / Double(steps)
        return minFactor + (1 - minFactor) * (1 + _cos(Double.pi * progress)) / 2
    }
}

/// Linear warmup then cosine decay (optax.warmup_cosine_decay_schedule with init 0):
/// factor k/W for k < W, then cosine from 1 to m over the remaining T − W steps.
public struct WarmupCosineSchedule: LearningRateSchedule {
    public static let name = "warmup_cosine"
    public static let summary = "linear warmup 0 → lr over `warmup` steps, then cosine to min_factor·lr at `steps`"
    @Parameter("warmup", "warmup length W", .atLeast(1)) public var warmup = 100
    @Parameter("steps", "total length T (warmup included)", .atLeast(2)) public var steps = 1000
    @Parameter("min_factor", "final factor m", .closedUnitInterval) public var minFactor = 0.0
    public init() {}
    public func validate() throws(SpecError) {
        if warmup >= steps { throw .invalid(owner: Self.name, "warmup (\(warmup)) must be shorter than steps (\(steps))") }
    }
    public func factor(afterSteps k: Int) -> Double {
        if k < warmup { return Double(k) / Double(warmup) }
        let progress = Double(Swift.min(k - warmup, steps - warmup)) / Double(steps - warmup)
        return minFactor + (1 - minFactor) * (1 + _cos(Double.pi * progress)) / 2
    }
}
