/// A value with a registry name, documentation and hyperparameters settable from a spec.
///
/// Optimizers, gradient transformations and learning-rate schedules are all `Configurable`:
/// `init()` gives the defaults, and each hyperparameter is declared once, on its stored property,
/// with ``Parameter`` (`@Parameter("lr", "learning rate", .positive) var lr = 1e-3`); the list
/// ``hyperparameters`` is derived from those declarations. A type may instead list
/// ``Hyperparameter``s naming its stored properties by key path.
public protocol Configurable: Sendable {
    /// The registry name used on the command line.
    static var name: String { get }
    /// One line for `suite list`.
    static var summary: String { get }
    /// The hyperparameters settable from the command line, in display order (default: the
    /// `@Parameter` declarations, in declaration order).
    static var hyperparameters: [Hyperparameter<Self>] { get }
    /// The default configuration.
    init()
    /// Checks constraints between hyperparameters (each one alone is checked by its ``Constraint``).
    func validate() throws(SpecError)
}

extension Configurable {
    /// Default: no constraints between hyperparameters.
    public func validate() throws(SpecError) {}
}

/// A hyperparameter of `Owner`: its command-line declaration and the stored property it sets.
public struct Hyperparameter<Owner: Configurable> {
    enum Setter {
        case real(WritableKeyPath<Owner, Double>)
        case integer(WritableKeyPath<Owner, Int>)
        case flag(WritableKeyPath<Owner, Bool>)
        case choice(get: (Owner) -> String, set: (inout Owner, String) -> Void)
        /// The `index`-th `@Parameter` of `Owner`: read by reflection, set by running `init()`.
        case declared(index: Int)
    }

    let name: String
    let summary: String
    let constraint: Constraint
    let choices: [String]
    let isPath: Bool
    let setter: Setter

    /// A real-valued hyperparameter stored at `keyPath`.
    public init(_ name: String, _ keyPath: WritableKeyPath<Owner, Double>, _ summary: String, _ constraint: Constraint = .any) {
        self.name = name; self.summary = summary; self.constraint = constraint; choices = []; isPath = false; setter = .real(keyPath)
    }

    /// An integer hyperparameter stored at `keyPath`.
    public init(_ name: String, _ keyPath: WritableKeyPath<Owner, Int>, _ summary: String, _ constraint: Constraint = .any) {
        self.name = name; self.summary = summary; self.constraint = constraint; choices = []; isPath = false; setter = .integer(keyPath)
    }

    /// A flag stored at `keyPath`.
    public init(_ name: String, _ keyPath: WritableKeyPath<Owner, Bool>, _ summary: String) {
        self.name = name; self.summary = summary; constraint = .any; choices = []; isPath = false; setter = .flag(keyPath)
    }

    /// A choice among the cases of a string-backed enum stored at `keyPath` (e.g. a convention).
    public init<C: RawRepresentable & CaseIterable>(_ name: String, _ keyPath: WritableKeyPath<Owner, C>, _ summary: String)
    where C.RawValue == String {
        self.name = name
        self.summary = summary
        constraint = .any
        choices = C.allCases.map(\.rawValue)
        isPath = false
        setter = .choice(get: { $0[keyPath: keyPath].rawValue },
                         set: { owner, raw in if let c = C(rawValue: raw) { owner[keyPath: keyPath] = c } })
    }

    /// The `index`-th `@Parameter` declaration of `Owner`.
    init(declared spec: ParameterSpec, at index: Int) {
        name = spec.name; summary = spec.summary; constraint = spec.constraint; choices = spec.choices
        isPath = spec.isPath
        setter = .declared(index: index)
    }

    /// Whether this is a `@Parameter` declaration (set by running `init()`, not by a key path).
    var isDeclared: Bool {
        if case .declared = setter { return true }
        return false
    }

    func value(of owner: Owner) -> ParameterValue {
        switch setter {
        case .declared(let index): return DeclarationContext.values(of: owner)[index]
        case .real(let k): return .real(owner[keyPath: k])
        case .integer(let k): return .integer(owner[keyPath: k])
        case .flag(let k): return .flag(owner[keyPath: k])
        case .choice(let get, _): return .choice(get(owner))
        }
    }

    func apply(_ value: ParameterValue, to owner: inout Owner) {
        switch (setter, value) {
        case (.real(let k), .real(let x)): owner[keyPath: k] = x
        case (.integer(let k), .integer(let n)): owner[keyPath: k] = n
        case (.flag(let k), .flag(let b)): owner[keyPath: k] = b
        case (.choice(_, let set), .choice(let raw)): set(&owner, raw)
        case (.declared, _):
            // init() again with every declared value as it is, this one changed.
            var values = Dictionary(uniqueKeysWithValues: Owner.hyperparameters.map { ($0.name, $0.value(of: owner)) })
            values[name] = value
            owner = DeclarationContext.making(values) { Owner() }
        default: preconditionFailure("hyperparameter '\(name)' got a value of the wrong kind: \(value)")
        }
    }

    func spec(defaults: Owner) -> ParameterSpec {
        ParameterSpec(name, default: value(of: defaults), summary, constraint, choices: choices, isPath: isPath)
    }
}

/// The resolved configuration of a `Configurable` type: its value, parameters and label.
struct Configured<Owner: Configurable> {
    let value: Owner
    let parameters: ParameterSet
    let label: String

    /// Builds `Owner` from `spec`, starting from `defaults` (aliases change defaults).
    static func make(_ spec: Spec, name: String, defaults: Owner) throws(SpecError) -> Configured {
        let hyperparameters = Owner.hyperparameters
        let specs = hyperparameters.map { $0.spec(defaults: defaults) }
        let set = try ParameterSet.resolve(spec, against: specs, owner: name)
        let value = try build(Dictionary(uniqueKeysWithValues: zip(specs.map(\.name), set.values)), defaults: defaults, name: name)
        return Configured(value: value, parameters: set, label: set.label(name: name))
    }

    /// `Owner` with the hyperparameters named in `values` set to them (the others as in `defaults`),
    /// validated: `init()` run with the values in place for `@Parameter` declarations, else each
    /// key path set in display order.
    static func build(_ values: [String: ParameterValue], defaults: Owner, name: String) throws(SpecError) -> Owner {
        let hyperparameters = Owner.hyperparameters
        var value = defaults
        if hyperparameters.contains(where: \.isDeclared) {
            // Declared once: init() with every value in place (an alias's defaults are among them).
            precondition(hyperparameters.allSatisfy(\.isDeclared), "\(name): mixes @Parameter and key-path hyperparameters")
            var all = Dictionary(uniqueKeysWithValues: hyperparameters.map { ($0.name, $0.value(of: defaults)) })
            all.merge(values) { _, given in given }
            value = DeclarationContext.making(all) { Owner() }
        } else {
            for h in hyperparameters { if let v = values[h.name] { h.apply(v, to: &value) } }
        }
        try value.validate()
        return value
    }

    /// Whether running `init()` with `value`'s declared parameters gives `value` back: false when
    /// the type has state besides its `@Parameter`s (such state an alias set would be lost).
    static func rebuilds(_ value: Owner) -> Bool {
        let hyperparameters = Owner.hyperparameters
        guard hyperparameters.contains(where: \.isDeclared) else { return true }
        let values = Dictionary(uniqueKeysWithValues: hyperparameters.map { ($0.name, $0.value(of: value)) })
        return String(reflecting: DeclarationContext.making(values) { Owner() }) == String(reflecting: value)
    }

    /// Describes an existing value (no spec), labelled against `Owner()`'s defaults.
    static func describe(_ value: Owner) -> Configured {
        let defaults = Owner(), hyperparameters = Owner.hyperparameters
        let specs = hyperparameters.map { $0.spec(defaults: defaults) }
        let set = ParameterSet(specs: specs, values: hyperparameters.map { $0.value(of: value) })
        return Configured(value: value, parameters: set, label: set.label(name: Owner.name))
    }
}
