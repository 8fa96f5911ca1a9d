/// An update rule the harness can run: explicit state allocated once per run, updated in place.
///
/// ``Optimizer`` refines this with a name and hyperparameters for the command line;
/// chains of modifiers (see ``GradientTransformation``) are update rules too.
public protocol UpdateRule: Sendable {
    /// Buffers and counters that persist between steps (moments, velocities).
    associatedtype State

    /// Allocates the state for a problem of `dimension` variables (once per run).
    func makeState(dimension: Int) -> State

    /// Updates `x` in place from the gradient at `x`. `iteration` counts steps from 1.
    ///
    /// Must not allocate. May overwrite `gradient` (the harness has recorded ‖∇f‖ already).
    func step(_ x: Vector, gradient: Vector, state: inout State, iteration: Int)

    /// The step as the full-batch loop calls it, with f(x) and what the problem's certificate says
    /// (``StepContext``). Default: ``step(_:gradient:state:iteration:)``, ignoring them; a rule that
    /// uses them (Polyak's step size, constants from μ and L) implements this, declares
    /// ``Requirements/optimalValue`` or ``Requirements/curvature`` (and so runs full batch only), and
    /// takes no `+` modifiers.
    func step(_ x: Vector, gradient: Vector, context: StepContext, state: inout State, iteration: Int)

    /// Whether the iterate to report differs from the point where gradients are taken (schedule-free
    /// methods: gradients at y, the average x is the answer). Default: false.
    var reportsAnotherPoint: Bool { get }

    /// Writes the iterate to report into `out`, given the gradient point `x` and the state. Called
    /// only when ``reportsAnotherPoint``; the harness evaluates f and ‖∇f‖ there for its rows,
    /// targets and stopping rules (monitoring, not counted as work) and returns it as the final point.
    func reportedPoint(_ x: Vector, state: State, into out: Vector)

    /// Whether the rule evaluates f at trial points of its own (a line search): then every step,
    /// full-batch or mini-batch, gets f on the step's data and a ``StepObjective`` in its
    /// ``StepContext``, whose calls count as function evaluations. Such rules take no `+` modifiers.
    /// Default: false.
    var usesStepObjective: Bool { get }
}

extension UpdateRule {
    /// Default: the gradient point is the iterate.
    public var reportsAnotherPoint: Bool { false }

    /// Default: x itself.
    public func reportedPoint(_ x: Vector, state: State, into out: Vector) { out.assign(x) }

    /// Default: no trial evaluations.
    public var usesStepObjective: Bool { false }

    @inlinable
    public func step(_ x: Vector, gradient: Vector, context: StepContext, state: inout State, iteration: Int) {
        step(x, gradient: gradient, state: &state, iteration: iteration)
    }
}

/// What the loop knows at an iterate besides ∇f: f(x), the certified f* and, where the
/// certificate bounds the Hessian everywhere (quadratics), μ and L; for a rule that
/// ``UpdateRule/usesStepObjective``, f on the step's own data and the steps per epoch.
public struct StepContext {
    /// f(x_k) (in a mini-batch run of a rule that uses a ``StepObjective``: the batch's loss).
    public var value: Double
    /// f*, when certified (full batch only).
    public var optimalValue: Double?
    /// μ and L, when the certificate's eigenvalues hold globally (full batch only).
    public var curvature: Curvature?
    /// f on the data of this step, for rules that evaluate trial points (``UpdateRule/usesStepObjective``).
    public var objective: StepObjective?
    /// Steps per pass over the data: ⌈m/b⌉ in a mini-batch run, 1 in a full-batch one.
    public var stepsPerEpoch: Int

    /// A context.
    @inlinable
    public init(value: Double, optimalValue: Double?, curvature: Curvature?, objective: StepObjective? = nil,
                stepsPerEpoch: Int = 1) {
        self.value = value
        self.optimalValue = optimalValue
        self.curvature = curvature
        self.objective = objective
        self.stepsPerEpoch = stepsPerEpoch
    }
}

/// f on the data of the current step — the whole objective in a full-batch run, the step's
/// mini-batch in a stochastic one — for rules that try points along their step (Armijo
/// backtracking). Allocated once per run; every call counts as a function evaluation.
public final class StepObjective {
    private let whole: (Vector) -> Double
    private let onBatch: ((Vector, ArraySlice<Int>) -> Double)?
    /// The current step's mini-batch, or `nil` for the whole objective.
    var batch: ArraySlice<Int>? = nil
    /// Calls since the harness last collected them.
    var uncounted = 0

    /// f of `problem` (full batch).
    init<P: Problem>(_ problem: P) {
        whole = { problem.value(at: $0) }
        onBatch = nil
    }

    /// f of `problem` on the step's mini-batch (its gradient goes to a scratch buffer: the
    /// protocol has no batch value alone).
    init<P: FiniteSumProblem>(finiteSum problem: P) {
        whole = { problem.value(at: $0) }
        let scratch = Vector(count: problem.dimension)
        onBatch = { problem.batchValueAndGradient(at: $0, batch: $1, gradient: scratch) }
    }

    /// f at `x` on the step's data.
    public func value(at x: Vector) -> Double {
        uncounted += 1
        if let batch, let onBatch { return onBatch(x, batch) }
        return whole(x)
    }

    /// The calls made since the last collection.
    func collect() -> Int {
        defer { uncounted = 0 }
        return uncounted
    }
}

/// The global curvature bounds μ ≤ λ(∇²f) ≤ L: the extreme eigenvalues of a quadratic's certificate.
public struct Curvature: Sendable, Equatable {
    /// μ, the smallest eigenvalue (strong convexity).
    public var strongConvexity: Double
    /// L, the largest eigenvalue (the gradient's Lipschitz constant).
    public var smoothness: Double

    /// Bounds μ and L.
    public init(strongConvexity: Double, smoothness: Double) {
        self.strongConvexity = strongConvexity
        self.smoothness = smoothness
    }
}

/// What an optimizer needs from a run; the harness skips unfit pairs and says why.
public struct Requirements: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Only full-batch gradients (skipped when `--batch-size` is set).
    public static let fullBatch = Requirements(rawValue: 1)
    /// Only mini-batch gradients (skipped unless `--batch-size` is set on a finite-sum problem).
    public static let stochastic = Requirements(rawValue: 2)
    /// The problem's Hessian (skipped on problems without one).
    public static let hessian = Requirements(rawValue: 4)
    /// The certified optimal value f* (skipped where the problem has none).
    public static let optimalValue = Requirements(rawValue: 8)
    /// Global curvature bounds μ > 0 and L from the certificate (skipped where there are none: only
    /// quadratic problems have a Hessian that is the same everywhere).
    public static let curvature = Requirements(rawValue: 16)
}

/// A first-order optimizer: explicit state allocated once per run, updated in place each step.
///
/// A plugin author writes one struct: hyperparameters as stored properties with
/// PyTorch's defaults, each declared once with ``Parameter`` for the command line, a `State`
/// holding the buffers (``Vector``s) allocated in ``makeState(dimension:)``, and ``step(_:gradient:state:iteration:)``.
/// `step` must not allocate. The harness owns the loop, the gradient and the stopping rules.
///
/// ```swift
/// struct SignDescent: Optimizer {
///     static let name = "signgd"
///     static let summary = "sign gradient descent: x ← x − lr·sign(∇f)"
///     static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }
///     @Parameter("lr", "learning rate", .positive) var lr = 1e-3
///     func makeState(dimension: Int) {}
///     func step(_ x: Vector, gradient g: Vector, state: inout Void, iteration: Int) {
///         for i in 0..<x.count { x[i] -= lr * (g[i] > 0 ? 1 : g[i] < 0 ? -1 : 0) }
///     }
/// }
/// ```
public protocol Optimizer: UpdateRule, Configurable {
    /// The stored learning rate, so schedules and decoupled weight decay can scale it;
    /// `nil` when the method has none (then those modifiers are refused with a message). A stored
    /// key path: for `@Parameter(...) var lr`, `\._lr.wrappedValue` (checked when registered).
    static var learningRate: WritableKeyPath<Self, Double>? { get }
    /// What the optimizer needs from a run (default: nothing).
    static var requirements: Requirements { get }
}

extension Optimizer {
    /// Default: no learning rate to schedule.
    public static var learningRate: WritableKeyPath<Self, Double>? { nil }
    /// Default: runs full-batch or stochastic, with or without a Hessian.
    public static var requirements: Requirements { [] }
}

/// An optimizer with its hyperparameters set, and the label that names it in tables.
public struct ConfiguredOptimizer: Sendable {
    /// `name(k=v,...)` listing the hyperparameters that differ from the defaults, then any modifiers:
    /// `adam(lr=0.01) + clip(norm=1)`.
    public let label: String
    /// The registry name of the base optimizer.
    public let name: String
    /// All hyperparameter values of the base optimizer, defaults included.
    public let parameters: ParameterSet
    /// What it needs from a run.
    public let requirements: Requirements
    /// How the harness runs it.
    public enum Method: Sendable {
        /// The harness's loop calls the rule once per step.
        case stepwise(any UpdateRule)
        /// The solver runs its own iterations.
        case solver(any Solver)
    }

    /// How the harness runs it.
    public let method: Method
    /// The update rule, for step-wise optimizers.
    public var rule: (any UpdateRule)? {
        if case .stepwise(let r) = method { return r }
        return nil
    }
    /// Whether the base optimizer has a learning rate that schedules and decoupled decay can scale.
    public let hasLearningRate: Bool
    /// Builds the chain of this optimizer with modifiers, with the concrete type known (no boxing per step).
    let makeChain: @Sendable (ChainParts) -> any UpdateRule

    /// Wraps an optimizer value, labelled from its hyperparameters against `O()`'s defaults.
    public init<O: Optimizer>(_ optimizer: O) {
        self.init(Configured.describe(optimizer), name: O.name)
    }

    init<O: Optimizer>(_ c: Configured<O>, name: String) {
        // A schedule writes the learning rate every step: through a computed key path (a
        // `@Parameter`'s `\.lr`) that write allocates; `\._lr.wrappedValue` is the stored value.
        precondition(O.learningRate.map { MemoryLayout<O>.offset(of: $0) != nil } ?? true,
                     "\(O.name): learningRate must be a stored key path (\\._lr.wrappedValue for a @Parameter)")
        label = c.label
        self.name = name
        parameters = c.parameters
        requirements = O.requirements
        method = .stepwise(c.value)
        hasLearningRate = O.learningRate != nil
        let base = c.value
        makeChain = { parts in Chain(base: base, parts: parts) }
    }

    init<S: Solver & Configurable>(solver c: Configured<S>, name: String, requirements: Requirements) {
        label = c.label
        self.name = name
        parameters = c.parameters
        self.requirements = requirements
        method = .solver(c.value)
        hasLearningRate = false
        makeChain = { _ in preconditionFailure("solvers take no modifiers") }
    }

    init(label: String, copying other: ConfiguredOptimizer, rule: any UpdateRule) {
        self.label = label
        name = other.name
        parameters = other.parameters
        requirements = other.requirements
        method = .stepwise(rule)
        hasLearningRate = other.hasLearningRate
        makeChain = other.makeChain
    }
}

/// A registered optimizer: its name, documentation and a factory from specs.
///
/// Aliases register the same type under another name with other defaults:
/// `OptimizerEntry(SGD.self, name: "nesterov", defaults: { $0.momentum = 0.9; $0.nesterov = true })`.
public struct OptimizerEntry: Sendable {
    /// The registry name.
    public let name: String
    /// One line for `suite list`.
    public let summary: String
    /// The hyperparameter declarations with their default values.
    public let parameters: [ParameterSpec]
    /// What it needs from a run.
    public let requirements: Requirements
    /// The entry this one is another name for (`sgd` is `gd`: the same method with the same defaults), or
    /// `nil`. A pattern such as `--all` skips aliases, so each method runs once; the alias's own name selects it.
    public private(set) var aliasOf: String? = nil
    private let configureSpec: @Sendable (Spec) throws(SpecError) -> ConfiguredOptimizer

    /// Registers optimizer type `O`, optionally under another name with changed defaults.
    public init<O: Optimizer>(_ type: O.Type, name: String? = nil, summary: String? = nil,
                              defaults: @escaping @Sendable (inout O) -> Void = { _ in }) {
        self.init(O.self, name: name, summary: summary, requirements: O.requirements, defaults: defaults) { c, entryName in
            ConfiguredOptimizer(c, name: entryName)
        }
    }

    /// Registers a solver (a method that runs its own iterations), declaring what it needs,
    /// optionally under another name with changed defaults.
    public init<S: Solver & Configurable>(solver type: S.Type, name: String? = nil, summary: String? = nil,
                                          requirements: Requirements = .fullBatch,
                                          defaults: @escaping @Sendable (inout S) -> Void = { _ in }) {
        self.init(S.self, name: name, summary: summary, requirements: requirements, defaults: defaults) { c, entryName in
            ConfiguredOptimizer(solver: c, name: entryName, requirements: requirements)
        }
    }

    /// An entry for `C` with changed defaults; `wrap` turns a configured value into the optimizer.
    private init<C: Configurable>(_ type: C.Type, name: String?, summary: String?, requirements: Requirements,
                                  defaults: @Sendable (inout C) -> Void,
                                  wrap: @escaping @Sendable (Configured<C>, String) -> ConfiguredOptimizer) {
        let entryName = name ?? C.name
        var start = C()
        defaults(&start)
        let base = start
        precondition(Configured.rebuilds(base), "\(entryName): \(C.self) has state besides its @Parameter declarations; list its hyperparameters by key path")
        self.name = entryName
        self.summary = summary ?? C.summary
        parameters = C.hyperparameters.map { $0.spec(defaults: base) }
        self.requirements = requirements
        configureSpec = { (spec: Spec) throws(SpecError) -> ConfiguredOptimizer in
            wrap(try Configured.make(spec, name: entryName, defaults: base), entryName)
        }
    }

    /// This entry declared as another name for the entry `name` (see ``aliasOf``).
    public func alias(of name: String) -> OptimizerEntry {
        var entry = self
        entry.aliasOf = name
        return entry
    }

    /// Builds the optimizer that `spec` describes; unknown or invalid hyperparameters throw.
    public func configure(_ spec: Spec) throws(SpecError) -> ConfiguredOptimizer {
        try configureSpec(spec)
    }
}
