/// A family of problems, configured like an optimizer: its parameters are declared once, on its
/// stored properties, with ``Parameter`` (name, default, constraint and help text), and
/// ``ProblemEntry/init(_:)`` registers it:
///
/// ```swift
/// struct Ellipse: Problem, ProblemFamily {
///     static let name = "ellipse"
///     static let summary = "½(x² + κy²) from (1, 1); f* = 0 at 0"
///     @Parameter("kappa", "curvature κ along y", .positive) var kappa = 10.0
///     var dimension: Int { 2 }
///     func initialPoint() -> [Double] { [1, 1] }
///     func value(at x: Vector) -> Double { 0.5 * (x[0] * x[0] + kappa * x[1] * x[1]) }
///     func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
///         g[0] = x[0]; g[1] = kappa * x[1]
///         return value(at: x)
///     }
/// }
/// ```
///
/// A problem whose state is its parameters is its own family, as above. A family whose problem is
/// built from data (drawn from the run's seed, or read from files) is a separate value that makes
/// the problem in ``makeProblem(seed:)``; its `init()` stays cheap (it runs whenever the registry
/// lists or configures the family). Checks between parameters go in ``Configurable/validate()``,
/// which runs before ``makeProblem(seed:)``; each parameter alone is checked by its ``Constraint``.
public protocol ProblemFamily: Configurable {
    /// Whether the family's data are random, drawn from the run's seed (`--seed`). Default: false.
    static var isSeeded: Bool { get }
    /// Where the problem is defined (paper, data set), for `suite list`. Default: none.
    static var citation: String? { get }
    /// A minimum stated in the literature for the default instance and its relative precision; the
    /// tests check the certified f* against it. Default: none.
    static var literatureMinimum: (value: Double, relativeTolerance: Double)? { get }
    /// Whether the family needs parameters given (a data file) before it can run: usable by name or
    /// from an instance file, left out of globs and `--all`. Default: false.
    static var isTemplate: Bool { get }

    /// The problem this configuration describes, with its random data drawn from `seed`; throws
    /// ``SpecError/invalid(owner:_:)`` for what the constraints cannot express (an unreadable file).
    /// Default, for a problem that is its own family: the problem itself.
    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem
}

extension ProblemFamily {
    /// Not seeded.
    public static var isSeeded: Bool { false }
    /// None.
    public static var citation: String? { nil }
    /// None.
    public static var literatureMinimum: (value: Double, relativeTolerance: Double)? { nil }
    /// Not a template.
    public static var isTemplate: Bool { false }
}

extension ProblemFamily where Self: Problem {
    /// The problem is its own family: itself, as configured.
    public func makeProblem(seed: UInt64) throws(SpecError) -> any Problem { self }
}

extension ProblemEntry {
    /// Registers the family `F`: its name, summary and citation, and its declared parameters with
    /// their defaults, constraints and help text (`suite list` shows them; a spec sets them).
    public init<F: ProblemFamily>(_ family: F.Type) {
        let defaults = F()
        let specs = F.hyperparameters.map { $0.spec(defaults: defaults) }
        self.init(name: F.name, summary: F.summary, parameters: specs, seeded: F.isSeeded, citation: F.citation,
                  literatureMinimum: F.literatureMinimum, template: F.isTemplate, factory: { set, seed throws(SpecError) in
            // The set may hold more parameters than F declares (start, start_file): F's own by name.
            let values = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, set[$0.name]) })
            let configured = try Configured<F>.build(values, defaults: defaults, name: F.name)
            return (try configured.makeProblem(seed: seed), nil)
        })
    }
}
