/// A constraint on a numeric parameter, checked when a spec is resolved.
public enum Constraint: Sendable, Equatable {
    /// Any finite value.
    case any
    /// x > 0.
    case positive
    /// x ≥ 0.
    case nonNegative
    /// 0 ≤ x < 1 (momentum coefficients, β₁, β₂).
    case unitInterval
    /// 0 ≤ x ≤ 1 (dampening, noise rates).
    case closedUnitInterval
    /// x ≥ bound (integers such as dimensions).
    case atLeast(Double)

    /// Whether `x` satisfies the constraint (non-finite values never do).
    public func admits(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        switch self {
        case .any: return true
        case .positive: return x > 0
        case .nonNegative: return x >= 0
        case .unitInterval: return x >= 0 && x < 1
        case .closedUnitInterval: return x >= 0 && x <= 1
        case .atLeast(let bound): return x >= bound
        }
    }

    /// The constraint in words, for error messages and `suite list`.
    public var phrase: String {
        switch self {
        case .any: return "finite"
        case .positive: return "> 0"
        case .nonNegative: return ">= 0"
        case .unitInterval: return "in [0, 1)"
        case .closedUnitInterval: return "in [0, 1]"
        case .atLeast(let bound): return ">= \(formatParameter(bound))"
        }
    }
}

/// A parameter value: a real number, an integer or a flag.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case real(Double)
    case integer(Int)
    case flag(Bool)
    case choice(String)
    case text(String)

    /// The value as written in labels and on the command line (`0.001`, `20`, `true`).
    public var description: String {
        switch self {
        case .real(let x): return formatParameter(x)
        case .integer(let n): return String(n)
        case .flag(let b): return b ? "true" : "false"
        case .choice(let c): return c
        case .text(let t): return t
        }
    }
}

/// Prints a real parameter in its shortest round-trip form, without a trailing `.0`.
func formatParameter(_ x: Double) -> String {
    let s = x.description
    return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
}

/// The declaration of one parameter of a problem family or an optimizer.
public struct ParameterSpec: Sendable, Equatable {
    /// The name used on the command line (`lr`, `beta1`, `n`).
    public var name: String
    /// One line of documentation.
    public var summary: String
    /// The default value; also fixes the kind (real, integer or flag).
    public var defaultValue: ParameterValue
    /// What values are valid.
    public var constraint: Constraint
    /// The valid values of a choice parameter; empty for other kinds.
    public var choices: [String]
    /// Whether a text value is a file path (instance files resolve it against their own folder).
    public var isPath: Bool

    /// Declares a parameter.
    public init(_ name: String, default defaultValue: ParameterValue, _ summary: String, _ constraint: Constraint = .any,
                choices: [String] = [], isPath: Bool = false) {
        self.name = name
        self.summary = summary
        self.defaultValue = defaultValue
        self.constraint = constraint
        self.choices = choices
        self.isPath = isPath
    }

    /// The valid values in words (`a number > 0`, `an integer >= 2`, `true or false`).
    public var expectation: String {
        switch defaultValue {
        case .real: return constraint == .any ? "a finite number" : "a number \(constraint.phrase)"
        case .integer: return constraint == .any ? "an integer" : "an integer \(constraint.phrase)"
        case .flag: return "true or false"
        case .choice: return "one of " + choices.joined(separator: ", ")
        case .text: return "a text value"
        }
    }

    /// Parses `raw` as a value of this parameter's kind and checks the constraint; a real −0 becomes 0.
    public func parse(_ raw: String, owner: String) throws(SpecError) -> ParameterValue {
        let bad = SpecError.badValue(owner: owner, parameter: name, value: raw, expected: expectation)
        switch defaultValue {
        case .real:
            guard let x = Double(raw), constraint.admits(x) else { throw bad }
            // −0 is 0: one configuration, one label and one row (`beta1=-0` and `beta1=0` alike).
            return .real(x == 0 ? 0 : x)
        case .integer:
            if let n = Int(raw), constraint.admits(Double(n)) { return .integer(n) }
            // Accept integral reals such as `1e3`.
            if let x = Double(raw), x.isFinite, x == x.rounded(), Swift.abs(x) < 0x1p53, constraint.admits(x) {
                return .integer(Int(x))
            }
            throw bad
        case .flag:
            switch raw.lowercased() {
            case "true", "1", "yes": return .flag(true)
            case "false", "0", "no": return .flag(false)
            default: throw bad
            }
        case .choice:
            guard choices.contains(raw) else { throw bad }
            return .choice(raw)
        case .text:
            guard !raw.isEmpty else { throw bad }
            return .text(raw)
        }
    }
}

/// Resolved parameter values of one problem instance or optimizer, defaults filled in.
public struct ParameterSet: Sendable, Equatable {
    /// The declarations, in declaration order.
    public let specs: [ParameterSpec]
    /// The values, parallel to `specs`.
    public let values: [ParameterValue]

    /// The value named `name`; traps on a name the owner did not declare (a programming error).
    public subscript(name: String) -> ParameterValue {
        guard let i = specs.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("undeclared parameter '\(name)'; declared: \(specs.map(\.name))")
        }
        return values[i]
    }

    /// The real parameter `name`.
    public func real(_ name: String) -> Double {
        switch self[name] {
        case .real(let x): return x
        case .integer(let n): return Double(n)
        case .flag, .choice, .text: preconditionFailure("parameter '\(name)' is not a real")
        }
    }

    /// The integer parameter `name`.
    public func integer(_ name: String) -> Int {
        guard case .integer(let n) = self[name] else { preconditionFailure("parameter '\(name)' is not an integer") }
        return n
    }

    /// The text parameter `name` (file paths, column names).
    public func text(_ name: String) -> String {
        switch self[name] {
        case .text(let t), .choice(let t): return t
        default: preconditionFailure("parameter '\(name)' is not text")
        }
    }

    /// The flag parameter `name`.
    public func flag(_ name: String) -> Bool {
        guard case .flag(let b) = self[name] else { preconditionFailure("parameter '\(name)' is not a flag") }
        return b
    }

    /// `name(k=v,...)` listing, in declaration order, only the values that differ from the defaults.
    public func label(name: String) -> String {
        let changed = zip(specs, values).filter { $0.0.defaultValue != $0.1 }.map { "\($0.0.name)=\($0.1)" }
        return changed.isEmpty ? name : "\(name)(\(changed.joined(separator: ",")))"
    }

    /// Resolves `spec`'s arguments against `specs`: unknown names and bad values throw.
    public static func resolve(_ spec: Spec, against specs: [ParameterSpec], owner: String) throws(SpecError) -> ParameterSet {
        var values = specs.map(\.defaultValue)
        for argument in spec.arguments {
            guard let i = specs.firstIndex(where: { $0.name == argument.name }) else {
                throw .unknownParameter(owner: owner, parameter: argument.name, valid: specs.map(\.name))
            }
            values[i] = try specs[i].parse(argument.value, owner: owner)
        }
        return ParameterSet(specs: specs, values: values)
    }
}

extension String: ParameterRepresentable {
    /// A text value (a column name, a list of widths).
    public var parameterValue: ParameterValue { .text(self) }
    /// The text of `value`.
    public init?(parameterValue value: ParameterValue) {
        guard case .text(let t) = value else { return nil }
        self = t
    }
}

/// A parameter that names a file (`data=wine.csv`, `x=X.npy`): an instance file resolves a relative
/// path against its own folder, and the file's bytes are part of the problem's fingerprint.
/// `-` names no file.
public struct FilePath: ParameterRepresentable, Equatable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The path as given (`-`: none).
    public var path: String

    /// The file at `path`.
    public init(_ path: String) { self.path = path }
    /// The file at `value`.
    public init(stringLiteral value: String) { path = value }

    /// No file: `-`.
    public static let none = FilePath("-")
    /// Whether a file is named.
    public var isGiven: Bool { path != "-" }
    /// The path.
    public var description: String { path }

    /// Names a file.
    public static var isPath: Bool { true }
    /// A text value.
    public var parameterValue: ParameterValue { .text(path) }
    /// The path of `value`.
    public init?(parameterValue value: ParameterValue) {
        guard case .text(let t) = value else { return nil }
        path = t
    }
}
