/// Hyperparameters declared once, on the stored property itself:
///
/// ```swift
/// @Parameter("lr", "learning rate", .positive) public var lr = 1e-3
/// ```
///
/// names the command-line parameter, documents it, constrains it and gives its default (the
/// property's initial value); the type's ``Configurable/hyperparameters`` list is derived from these
/// declarations, in declaration order. The summary is the parameter's documentation (`suite list`).
///
/// How: when the registry needs the list, it runs the type's `init()` while recording what each
/// `@Parameter` declares; to build a configuration it runs `init()` again with the resolved values
/// in place of the defaults; it reads an existing value's parameters by reflection. So a declaring
/// type keeps the usual rules: `init()` gives the defaults, its stored properties' initial values
/// construct no other declaring type, and its state is its parameters (and what `init()` derives).
///
/// The wrapper stores only the value: a rule's fields and its hot loops are what they are without
/// it. A key path that is written per step (``Optimizer/learningRate``) must go through the stored
/// value, `\._lr.wrappedValue`: a key path through the wrapped property `\.lr` is a computed one,
/// and writing through it allocates.
@propertyWrapper
public struct Parameter<Value: ParameterRepresentable>: Sendable {
    /// The value.
    public var wrappedValue: Value

    /// Declares the parameter `name` with `summary` and `constraint`; the initial value is its default.
    @inlinable
    public init(wrappedValue: Value, _ name: String, _ summary: String, _ constraint: Constraint = .any) {
        self.wrappedValue = wrappedValue
        if let context = DeclarationContext.current {
            self.wrappedValue = context.declare(name, wrappedValue, summary, constraint)
        }
    }
}

/// A value a hyperparameter can hold: a real, an integer, a flag, or one case of a string-backed enum
/// (declare such an enum `ParameterRepresentable`; the conformance is derived).
public protocol ParameterRepresentable: Sendable {
    /// The value as a parameter value.
    var parameterValue: ParameterValue { get }
    /// The value of `value`, or `nil` when it is of another kind.
    init?(parameterValue value: ParameterValue)
    /// The valid values of a choice; empty for the other kinds.
    static var choices: [String] { get }
    /// Whether the value names a file (instance files resolve it against their folder).
    static var isPath: Bool { get }
}

extension ParameterRepresentable {
    /// No choices.
    public static var choices: [String] { [] }
    /// Not a file.
    public static var isPath: Bool { false }
}

extension ParameterRepresentable where Self: RawRepresentable & CaseIterable, RawValue == String {
    /// The case's raw value.
    public var parameterValue: ParameterValue { .choice(rawValue) }
    /// The case named by a choice.
    public init?(parameterValue value: ParameterValue) {
        guard case .choice(let raw) = value else { return nil }
        self.init(rawValue: raw)
    }
    /// The raw values of all cases.
    public static var choices: [String] { allCases.map(\.rawValue) }
}

extension Double: ParameterRepresentable {
    /// A real.
    public var parameterValue: ParameterValue { .real(self) }
    /// The real (or integer) of `value`.
    public init?(parameterValue value: ParameterValue) {
        switch value {
        case .real(let x): self = x
        case .integer(let n): self = Double(n)
        default: return nil
        }
    }
}

extension Int: ParameterRepresentable {
    /// An integer.
    public var parameterValue: ParameterValue { .integer(self) }
    /// The integer of `value`.
    public init?(parameterValue value: ParameterValue) {
        guard case .integer(let n) = value else { return nil }
        self = n
    }
}

extension Bool: ParameterRepresentable {
    /// A flag.
    public var parameterValue: ParameterValue { .flag(self) }
    /// The flag of `value`.
    public init?(parameterValue value: ParameterValue) {
        guard case .flag(let b) = value else { return nil }
        self = b
    }
}

/// A `@Parameter`'s value seen through reflection.
protocol DeclaredParameter {
    var parameterValue: ParameterValue { get }
}

extension Parameter: DeclaredParameter {
    var parameterValue: ParameterValue { wrappedValue.parameterValue }
}

/// What `@Parameter` initializers do while the registry runs an `init()`: record the declarations, or
/// take the given values in place of the defaults. Used by one thread, inside one `withValue`.
@usableFromInline
final class DeclarationContext: @unchecked Sendable {
    /// The context of the `init()` running on this thread, if the registry runs it.
    @TaskLocal @usableFromInline static var current: DeclarationContext?

    private let values: [String: ParameterValue]?
    private(set) var declared: [ParameterSpec] = []

    private init(values: [String: ParameterValue]?) { self.values = values }

    /// The parameter `name`'s value: its default while recording, else the given one.
    @usableFromInline
    func declare<V: ParameterRepresentable>(_ name: String, _ value: V, _ summary: String, _ constraint: Constraint) -> V {
        guard let values else {
            precondition(!declared.contains { $0.name == name }, "parameter '\(name)' is declared twice")
            declared.append(ParameterSpec(name, default: value.parameterValue, summary, constraint, choices: V.choices, isPath: V.isPath))
            return value
        }
        guard let given = values[name] else { return value }
        guard let v = V(parameterValue: given) else { preconditionFailure("parameter '\(name)' got a value of the wrong kind: \(given)") }
        return v
    }

    /// The parameters `make` declares, in declaration order.
    static func declarations<T>(of make: () -> T) -> [ParameterSpec] {
        let context = DeclarationContext(values: nil)
        _ = $current.withValue(context) { make() }
        return context.declared
    }

    /// `make()` with the declared parameters named in `values` set to those values.
    static func making<T>(_ values: [String: ParameterValue], _ make: () -> T) -> T {
        $current.withValue(DeclarationContext(values: values)) { make() }
    }

    /// The values of `value`'s declared parameters, in declaration order.
    static func values(of value: Any) -> [ParameterValue] {
        Mirror(reflecting: value).children.compactMap { ($0.value as? any DeclaredParameter)?.parameterValue }
    }
}

extension Configurable {
    /// Default: the parameters declared with `@Parameter`, in declaration order (none without).
    public static var hyperparameters: [Hyperparameter<Self>] {
        DeclarationContext.declarations { Self() }.enumerated().map { Hyperparameter(declared: $0.element, at: $0.offset) }
    }
}
