/// A first-order optimizer: explicit state allocated once per run, updated in place each step.
///
/// A plugin author writes one struct: hyperparameters as stored properties with
/// PyTorch's defaults, a list naming them for the command line, a `State` holding the
/// buffers (``Vector``s) allocated in ``makeState(dimension:)``, and ``step(_:gradient:state:iteration:)``.
/// `step` must not allocate. The harness owns the loop, the gradient and the stopping rules.
///
/// ```swift
/// struct SignDescent: Optimizer {
///     static let name = "signgd"
///     static let summary = "sign gradient descent: x ← x − lr·sign(∇f)"
///     static var hyperparameters: [Hyperparameter<Self>] { [.init("lr", \.lr, "learning rate", .positive)] }
///     var lr = 1e-3
///     func makeState(dimension: Int) {}
///     func step(_ x: Vector, gradient g: Vector, state: inout Void, iteration: Int) {
///         for i in 0..<x.count { x[i] -= lr * (g[i] > 0 ? 1 : g[i] < 0 ? -1 : 0) }
///     }
/// }
/// ```
public protocol Optimizer: Sendable {
    /// Buffers and counters that persist between steps (moments, velocities).
    associatedtype State

    /// The registry name used on the command line (`adam`).
    static var name: String { get }
    /// One line for `suite list`: what it is and its update rule.
    static var summary: String { get }
    /// The hyperparameters settable from the command line, in display order.
    static var hyperparameters: [Hyperparameter<Self>] { get }

    /// An optimizer with the default hyperparameters.
    init()

    /// Allocates the state for a problem of `dimension` variables (once per run).
    func makeState(dimension: Int) -> State

    /// Updates `x` in place from the gradient at `x`. `iteration` counts steps from 1.
    func step(_ x: Vector, gradient: Vector, state: inout State, iteration: Int)
}

/// A hyperparameter of optimizer `O`: its command-line declaration and the stored property it sets.
public struct Hyperparameter<O: Optimizer> {
    enum Setter {
        case real(WritableKeyPath<O, Double>)
        case integer(WritableKeyPath<O, Int>)
        case flag(WritableKeyPath<O, Bool>)
    }

    let name: String
    let summary: String
    let constraint: Constraint
    let setter: Setter

    /// A real-valued hyperparameter stored at `keyPath`.
    public init(_ name: String, _ keyPath: WritableKeyPath<O, Double>, _ summary: String, _ constraint: Constraint = .any) {
        self.name = name; self.summary = summary; self.constraint = constraint; setter = .real(keyPath)
    }

    /// An integer hyperparameter stored at `keyPath`.
    public init(_ name: String, _ keyPath: WritableKeyPath<O, Int>, _ summary: String, _ constraint: Constraint = .any) {
        self.name = name; self.summary = summary; self.constraint = constraint; setter = .integer(keyPath)
    }

    /// A flag stored at `keyPath`.
    public init(_ name: String, _ keyPath: WritableKeyPath<O, Bool>, _ summary: String) {
        self.name = name; self.summary = summary; constraint = .any; setter = .flag(keyPath)
    }

    func value(of optimizer: O) -> ParameterValue {
        switch setter {
        case .real(let k): return .real(optimizer[keyPath: k])
        case .integer(let k): return .integer(optimizer[keyPath: k])
        case .flag(let k): return .flag(optimizer[keyPath: k])
        }
    }

    func apply(_ value: ParameterValue, to optimizer: inout O) {
        switch (setter, value) {
        case (.real(let k), .real(let x)): optimizer[keyPath: k] = x
        case (.integer(let k), .integer(let n)): optimizer[keyPath: k] = n
        case (.flag(let k), .flag(let b)): optimizer[keyPath: k] = b
        default: preconditionFailure("hyperparameter '\(name)' got a value of the wrong kind: \(value)")
        }
    }
}

/// An optimizer with its hyperparameters set, and the label that names it in tables.
public struct ConfiguredOptimizer: Sendable {
    /// `name(k=v,...)` listing the hyperparameters that differ from the defaults.
    public let label: String
    /// The registry name.
    public let name: String
    /// All hyperparameter values, defaults included.
    public let parameters: ParameterSet
    /// The optimizer value.
    public let optimizer: any Optimizer

    /// Wraps an optimizer value, labelling it from its hyperparameters.
    public init<O: Optimizer>(_ optimizer: O) {
        let specs = OptimizerEntry.specs(O.self)
        let values = O.hyperparameters.map { $0.value(of: optimizer) }
        parameters = ParameterSet(specs: specs, values: values)
        name = O.name
        label = parameters.label(name: O.name)
        self.optimizer = optimizer
    }
}

/// A registered optimizer type: its name, documentation and a factory from specs.
public struct OptimizerEntry: Sendable {
    /// The registry name.
    public let name: String
    /// One line for `suite list`.
    public let summary: String
    /// The hyperparameter declarations with their default values.
    public let parameters: [ParameterSpec]
    private let configureSpec: @Sendable (Spec) throws(SpecError) -> ConfiguredOptimizer

    /// Registers optimizer type `O`.
    public init<O: Optimizer>(_ type: O.Type) {
        name = O.name
        summary = O.summary
        parameters = Self.specs(O.self)
        configureSpec = { (spec: Spec) throws(SpecError) -> ConfiguredOptimizer in
            let set = try ParameterSet.resolve(spec, against: OptimizerEntry.specs(O.self), owner: O.name)
            var optimizer = O()
            for (h, v) in zip(O.hyperparameters, set.values) { h.apply(v, to: &optimizer) }
            return ConfiguredOptimizer(optimizer)
        }
    }

    /// Builds the optimizer that `spec` describes; unknown or invalid hyperparameters throw.
    public func configure(_ spec: Spec) throws(SpecError) -> ConfiguredOptimizer {
        try configureSpec(spec)
    }

    static func specs<O: Optimizer>(_ type: O.Type) -> [ParameterSpec] {
        let defaults = O()
        return O.hyperparameters.map { ParameterSpec($0.name, default: $0.value(of: defaults), $0.summary, $0.constraint) }
    }
}
