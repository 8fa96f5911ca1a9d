/// A transformation of the gradient before the optimizer sees it (optax's `GradientTransformation`):
/// clipping, coupled L2 weight decay, or a plugin's own.
public protocol GradientTransformation: Configurable {
    /// Buffers that persist between steps (often `Void`).
    associatedtype State

    /// Allocates the state (once per run).
    func makeState(dimension: Int) -> State

    /// Rewrites `gradient` in place; `x` is the current iterate. Must not allocate.
    func apply(to gradient: Vector, at x: Vector, state: inout State, iteration: Int)
}

/// A learning-rate schedule: a factor applied to the optimizer's learning rate.
///
/// `factor(afterSteps: k)` is evaluated with k = t − 1, the number of steps already taken,
/// as PyTorch's schedulers are when `scheduler.step()` follows every `optimizer.step()`.
public protocol LearningRateSchedule: Configurable {
    /// The factor for the step that follows `k` completed steps.
    func factor(afterSteps k: Int) -> Double
}

/// Decoupled weight decay (Loshchilov & Hutter, ICLR 2019): x ← x · (1 − lr_t · weight_decay)
/// before the optimizer's step, with lr_t the scheduled learning rate (PyTorch AdamW's form).
public struct DecoupledWeightDecay: Configurable {
    public static let name = "decoupled_weight_decay"
    public static let summary = "x ← x·(1 − lr·weight_decay) before the step (AdamW-style, decoupled)"

    @Parameter("weight_decay", "decay coefficient λ", .nonNegative) public var weightDecay = 1e-2

    /// λ = 0.01.
    public init() {}
}

/// One piece after the optimizer in a chain: what it is and its label.
struct Modifier: Sendable {
    enum Kind: Sendable {
        case transform(@Sendable (Int) -> TransformRunner)
        case schedule(any LearningRateSchedule)
        case decoupledWeightDecay(Double)
    }

    let label: String
    let kind: Kind
}

/// A registered modifier: a gradient transformation, a schedule or decoupled weight decay.
public struct ModifierEntry: Sendable {
    /// What the modifier acts on.
    public enum Role: String, Sendable {
        case gradient = "gradient transformation"
        case schedule = "learning-rate schedule"
        case weightDecay = "decoupled weight decay"
    }

    /// The registry name.
    public let name: String
    /// One line for `suite list`.
    public let summary: String
    /// The hyperparameter declarations with their defaults.
    public let parameters: [ParameterSpec]
    /// What it acts on.
    public let role: Role
    let make: @Sendable (Spec) throws(SpecError) -> Modifier

    /// Registers a gradient transformation.
    public init<T: GradientTransformation>(transformation: T.Type) {
        self.init(T.self, role: .gradient) { transform in .transform({ n in Runner(transform, dimension: n) }) }
    }

    /// Registers a learning-rate schedule.
    public init<S: LearningRateSchedule>(schedule: S.Type) {
        self.init(S.self, role: .schedule) { .schedule($0) }
    }

    /// The decoupled weight decay modifier.
    public static var decoupledWeightDecay: ModifierEntry {
        ModifierEntry(DecoupledWeightDecay.self, role: .weightDecay) { .decoupledWeightDecay($0.weightDecay) }
    }

    /// An entry for `C`, whose configured value becomes a modifier of kind `kind(value)`.
    private init<C: Configurable>(_ type: C.Type, role: Role, kind: @escaping @Sendable (C) -> Modifier.Kind) {
        name = C.name
        summary = C.summary
        parameters = C.hyperparameters.map { $0.spec(defaults: C()) }
        self.role = role
        make = { (spec: Spec) throws(SpecError) -> Modifier in
            let c = try Configured.make(spec, name: C.name, defaults: C())
            return Modifier(label: c.label, kind: kind(c.value))
        }
    }
}

/// Runs one gradient transformation with its typed state (allocated once per run).
class TransformRunner {
    func apply(to gradient: Vector, at x: Vector, iteration: Int) { fatalError("abstract") }
}

private final class Runner<T: GradientTransformation>: TransformRunner {
    let transform: T
    var state: T.State

    init(_ transform: T, dimension: Int) {
        self.transform = transform
        state = transform.makeState(dimension: dimension)
    }

    override func apply(to gradient: Vector, at x: Vector, iteration: Int) {
        transform.apply(to: gradient, at: x, state: &state, iteration: iteration)
    }
}

/// The modifiers of a chain, grouped by what they act on.
struct ChainParts: Sendable {
    var transforms: [@Sendable (Int) -> TransformRunner] = []
    var schedules: [any LearningRateSchedule] = []
    var decoupledWeightDecay = 0.0
}

/// An optimizer followed by modifiers: each step applies the gradient transformations in the
/// order written, sets the learning rate to lr₀ · Π schedule factors, applies decoupled weight
/// decay with that rate, then takes the optimizer's step. Generic over the optimizer, so a
/// step copies a struct and allocates nothing.
struct Chain<Base: Optimizer>: UpdateRule {
    let base: Base
    let parts: ChainParts

    struct State {
        var base: Base.State
        let runners: [TransformRunner]
    }

    func makeState(dimension: Int) -> State {
        State(base: base.makeState(dimension: dimension), runners: parts.transforms.map { $0(dimension) })
    }

    func step(_ x: Vector, gradient: Vector, state: inout State, iteration: Int) {
        for runner in state.runners { runner.apply(to: gradient, at: x, iteration: iteration) }
        guard let path = Base.learningRate, !(parts.schedules.isEmpty && parts.decoupledWeightDecay == 0) else {
            base.step(x, gradient: gradient, state: &state.base, iteration: iteration)
            return
        }
        var factor = 1.0
        for s in parts.schedules { factor *= s.factor(afterSteps: iteration - 1) }
        var rule = base
        let lr = base[keyPath: path] * factor
        rule[keyPath: path] = lr
        if parts.decoupledWeightDecay != 0 { WeightDecay.decay(x, keep: WeightDecay.keep(lr: lr, parts.decoupledWeightDecay)) }
        rule.step(x, gradient: gradient, state: &state.base, iteration: iteration)
    }
}

extension ConfiguredOptimizer {
    /// This optimizer followed by `modifiers`; throws when a modifier needs a learning rate
    /// the optimizer does not have.
    func chained(with modifiers: [Modifier]) throws(SpecError) -> ConfiguredOptimizer {
        guard !modifiers.isEmpty else { return self }
        guard rule != nil else { throw .invalid(owner: label, "runs its own iterations and takes no modifiers") }
        guard requirements.isDisjoint(with: [.optimalValue, .curvature]) else {
            throw .invalid(owner: label, "takes its step from the problem's certificate and takes no modifiers")
        }
        guard rule?.usesStepObjective != true else {
            throw .invalid(owner: label, "searches along its own step and takes no modifiers")
        }
        var parts = ChainParts()
        for m in modifiers {
            switch m.kind {
            case .transform(let make): parts.transforms.append(make)
            case .schedule(let s):
                guard hasLearningRate else { throw .invalid(owner: label, "has no learning rate for the schedule '\(m.label)'") }
                parts.schedules.append(s)
            case .decoupledWeightDecay(let wd):
                guard hasLearningRate else { throw .invalid(owner: label, "has no learning rate for '\(m.label)'") }
                parts.decoupledWeightDecay += wd
            }
        }
        return ConfiguredOptimizer(label: ([label] + modifiers.map(\.label)).joined(separator: " + "), copying: self,
                                   rule: makeChain(parts))
    }
}
