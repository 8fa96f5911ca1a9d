/// A problem instance ready to run: a ``Problem`` value, the x₀ it starts from and the label that
/// names it in tables.
public struct ProblemInstance: Sendable {
    /// `family(k=v,...)` listing the parameters that differ from the defaults.
    public let label: String
    /// The family name.
    public let family: String
    /// All parameter values, defaults included.
    public let parameters: ParameterSet
    /// The seed the instance's data was generated from, when the family is seeded.
    public let seed: UInt64?
    /// The problem.
    public let problem: any Problem
    /// Which instance of the problem this is (``Instances``): 0 is the problem as selected.
    public let index: Int
    /// The x₀ this instance was given (`start=`, `start_file=`, an instance's perturbation or draw),
    /// or `nil`: it starts from the problem's standard point, ``Problem/initialPoint()``.
    public let givenStart: [Double]?

    /// Creates an instance; `validate()` checks it before it runs. `start` is its x₀ when it is not
    /// the problem's standard point.
    public init(label: String, family: String, parameters: ParameterSet, seed: UInt64?, problem: any Problem, index: Int = 0,
                start: [Double]? = nil) {
        self.label = label
        self.family = family
        self.parameters = parameters
        self.seed = seed
        self.problem = problem
        self.index = index
        givenStart = start
    }

    /// The instance's x₀: the given start, else the problem's standard point (allocates).
    public func initialPoint() -> [Double] { givenStart ?? problem.initialPoint() }

    /// Checks that the start point has `dimension` finite values.
    public func validate() throws(SpecError) {
        let x0 = initialPoint()
        guard problem.dimension >= 1 else { throw .invalid(owner: label, "dimension is \(problem.dimension); it must be at least 1") }
        guard x0.count == problem.dimension else {
            throw .invalid(owner: label, "initial point has \(x0.count) values but the dimension is \(problem.dimension)")
        }
        if let i = x0.firstIndex(where: { !$0.isFinite }) {
            throw .invalid(owner: label, "initial point value \(i) is \(x0[i]); it must be finite")
        }
    }
}

/// A registered problem family: its name, documentation, parameters and a factory.
///
/// Register a ``ProblemFamily`` type with ``init(_:)``: its parameters are its `@Parameter`
/// declarations. A problem without parameters registers with ``init(name:summary:parameters:seeded:citation:literatureMinimum:template:make:)``.
public struct ProblemEntry: Sendable {
    /// The registry name (`rosenbrock`).
    public let name: String
    /// One line for `suite list`.
    public let summary: String
    /// The parameter declarations with their default values.
    public let parameters: [ParameterSpec]
    /// Whether the family's data are random and drawn from the run's seed.
    public let isSeeded: Bool
    /// Where the problem is defined (paper, data set), shown by `suite list`.
    public let citation: String?
    /// A minimum value stated in the literature for the default instance, and its relative precision;
    /// the tests check the certified f* against it.
    public let literatureMinimum: (value: Double, relativeTolerance: Double)?
    /// The instance file that defined this entry, for file instances.
    public private(set) var origin: String? = nil
    /// A family with required parameters (a data file): usable by name or from an instance file,
    /// left out of globs and `--all`.
    public let isTemplate: Bool
    private let make: Factory

    /// What a factory makes from resolved parameters and a seed: the problem, and its x₀ when the
    /// parameters give one (`nil`: the problem's standard point).
    typealias Factory = @Sendable (ParameterSet, UInt64) throws(SpecError) -> (problem: any Problem, start: [Double]?)

    /// Registers a family from a factory: the low-level form, for a problem without parameters
    /// (`{ _, _ in Booth() }`). `make` receives resolved parameters and the run's seed; it throws
    /// ``SpecError/invalid(owner:_:)`` for combinations the constraints cannot express. A family with
    /// parameters is a ``ProblemFamily`` registered with ``init(_:)``.
    public init(
        name: String,
        summary: String,
        parameters: [ParameterSpec] = [],
        seeded: Bool = false,
        citation: String? = nil,
        literatureMinimum: (value: Double, relativeTolerance: Double)? = nil,
        template: Bool = false,
        make: @escaping @Sendable (ParameterSet, UInt64) throws(SpecError) -> any Problem
    ) {
        self.init(name: name, summary: summary, parameters: parameters, seeded: seeded, citation: citation,
                  literatureMinimum: literatureMinimum, template: template, factory: { p, seed throws(SpecError) in
            (try make(p, seed), nil)
        })
    }

    init(name: String, summary: String, parameters: [ParameterSpec], seeded: Bool, citation: String?,
         literatureMinimum: (value: Double, relativeTolerance: Double)?, template: Bool, factory: @escaping Factory) {
        isTemplate = template
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.isSeeded = seeded
        self.citation = citation
        self.literatureMinimum = literatureMinimum
        self.make = factory
    }

    /// This family under another name with other defaults (an instance file's entry).
    public func instance(named name: String, summary: String?, citation: String?, defaults: [String: ParameterValue],
                         origin: String) -> ProblemEntry {
        var entry = ProblemEntry(
            name: name, summary: summary ?? "\(self.name) instance from \(origin)",
            parameters: parameters.map { p in
                var p = p
                if let value = defaults[p.name] { p.defaultValue = value }
                return p
            },
            seeded: isSeeded, citation: citation ?? self.citation, literatureMinimum: nil, template: false, factory: make)
        entry.origin = origin
        return entry
    }

    /// The family's factory, for ``extended(with:start:)`` and ``Registry/instance(_:of:seed:)``.
    func makeProblem(_ set: ParameterSet, _ seed: UInt64) throws(SpecError) -> (problem: any Problem, start: [Double]?) {
        try make(set, seed)
    }

    /// Builds and validates the instance that `spec` describes, drawing random data from `seed`.
    public func instantiate(_ spec: Spec, seed: UInt64) throws(SpecError) -> ProblemInstance {
        let set = try ParameterSet.resolve(spec, against: parameters, owner: name)
        let label = set.label(name: name)
        let made = try make(set, seed)
        let instance = ProblemInstance(label: label, family: name, parameters: set, seed: isSeeded ? seed : nil,
                                       problem: made.problem, start: made.start)
        try instance.validate()
        return instance
    }
}

/// The problems and optimizers a `suite` invocation can run: plain data, in display order.
///
/// Swift cannot discover conformances at run time, so the registry is explicit arrays.
/// A plugin package builds one from the built-ins plus its own entries.
public struct Registry: Sendable {
    /// Problem families, in display order.
    public var problems: [ProblemEntry]
    /// Optimizers, in display order.
    public var optimizers: [OptimizerEntry]
    /// Modifiers that may follow an optimizer in a chain (`adam + clip(norm=1)`), in display order.
    public var modifiers: [ModifierEntry]

    /// Creates a registry.
    public init(problems: [ProblemEntry], optimizers: [OptimizerEntry], modifiers: [ModifierEntry] = []) {
        self.problems = problems
        self.optimizers = optimizers
        self.modifiers = modifiers
    }

    /// Checks that names are unique and well formed and that parameter names are unique per entry.
    public func validate() throws(SpecError) {
        try Self.checkNames(problems.map(\.name), kind: "problem")
        try Self.checkNames(optimizers.map(\.name), kind: "optimizer")
        try Self.checkNames(modifiers.map(\.name), kind: "modifier")
        let owners = problems.map { ($0.name, $0.parameters) } + optimizers.map { ($0.name, $0.parameters) }
            + modifiers.map { ($0.name, $0.parameters) }
        for (owner, specs) in owners {
            var seen = Set<String>()
            for s in specs where !seen.insert(s.name).inserted {
                throw .invalid(owner: owner, "declares parameter '\(s.name)' twice")
            }
        }
    }

    private static func checkNames(_ names: [String], kind: String) throws(SpecError) {
        var seen = Set<String>()
        for name in names {
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
                throw .invalid(owner: "registry", "\(kind) name '\(name)' must be letters, digits, _ - . only")
            }
            guard seen.insert(name).inserted else {
                throw .invalid(owner: "registry", "two \(kind)s are named '\(name)'")
            }
        }
    }

    /// The problem instances the specs select, in the order given; each glob expands in registry order.
    /// Duplicate labels are dropped after their first appearance.
    public func selectProblems(_ texts: [String], seed: UInt64) throws(SpecError) -> [ProblemInstance] {
        var out: [ProblemInstance] = []
        for text in texts {
            let spec = try Spec(parsing: text)
            for entry in try match(spec, in: problems, name: \.name, kind: "problem") where !(spec.isPattern && entry.isTemplate) {
                let instance = try entry.instantiate(spec, seed: seed)
                if !out.contains(where: { $0.label == instance.label }) { out.append(instance) }
            }
        }
        return out
    }

    /// The configured optimizers the specs select, in the order given; each glob expands in registry order,
    /// once per method (an alias, ``OptimizerEntry/aliasOf``, is selected only by its own name).
    ///
    /// A spec may chain modifiers after the optimizer with `+`:
    /// `adam(lr=0.01) + clip(norm=1) + cosine(steps=1000)`.
    public func selectOptimizers(_ texts: [String]) throws(SpecError) -> [ConfiguredOptimizer] {
        var out: [ConfiguredOptimizer] = []
        for text in texts {
            let terms = try Self.splitChain(text)
            let spec = try Spec(parsing: terms[0])
            if modifiers.contains(where: { $0.name == spec.name }) && !optimizers.contains(where: { $0.name == spec.name }) {
                throw .syntax(text, "a chain starts with an optimizer; '\(spec.name)' is a modifier")
            }
            var chain: [Modifier] = []
            for term in terms.dropFirst() {
                let m = try Spec(parsing: term)
                guard let entry = modifiers.first(where: { $0.name == m.name }) else {
                    throw .unknownName(kind: "modifier", name: m.name, valid: modifiers.map(\.name))
                }
                chain.append(try entry.make(m))
            }
            // A pattern selects each method once: an alias (the same method under another name) is left out.
            for entry in try match(spec, in: optimizers, name: \.name, kind: "optimizer") where !spec.isPattern || entry.aliasOf == nil {
                let configured = try entry.configure(spec).chained(with: chain)
                if !out.contains(where: { $0.label == configured.label }) { out.append(configured) }
            }
        }
        return out
    }

    /// The optimizer `label` names with its learning rate `lr` set to `learningRate` (modifiers kept),
    /// or `nil` when its base optimizer has no parameter `lr`.
    public func withLearningRate(_ label: String, _ learningRate: Double) throws(SpecError) -> ConfiguredOptimizer? {
        let terms = try Self.splitChain(label)
        var spec = try Spec(parsing: terms[0])
        guard let entry = optimizers.first(where: { $0.name == spec.name }), entry.parameters.contains(where: { $0.name == "lr" }) else {
            return nil
        }
        spec.arguments.removeAll { $0.name == "lr" }
        spec.arguments.insert(Spec.Argument(name: "lr", value: learningRate.description), at: 0)
        let text = ([spec.description] + terms.dropFirst().map { $0.trimmingWhitespace() }).joined(separator: " + ")
        return try selectOptimizers([text]).first
    }

    /// Splits `a(x=1) + b(y=1e+3)` at the `+` signs outside parentheses.
    static func splitChain(_ text: String) throws(SpecError) -> [String] {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if c == "+" && depth == 0 {
                terms.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        terms.append(current)
        if terms.contains(where: { $0.trimmingWhitespace().isEmpty }) {
            throw .syntax(text, "empty term in a '+' chain")
        }
        return terms
    }

    private func match<E>(_ spec: Spec, in entries: [E], name: (E) -> String, kind: String) throws(SpecError) -> [E] {
        let found = entries.filter { spec.isPattern ? globMatches(spec.name, name($0)) : name($0) == spec.name }
        guard !found.isEmpty else { throw .unknownName(kind: kind, name: spec.name, valid: entries.map(name)) }
        return found
    }
}
