/// A parsed `name(key=value, ...)` specification of a problem instance or an optimizer.
///
/// Grammar (whitespace around tokens is ignored):
/// ```
/// spec     := name [ "(" [ argument { "," argument } ] ")" ]
/// name     := one or more of  A-Z a-z 0-9 _ - .  (and * ? as glob wildcards when selecting)
/// argument := key "=" value { "," number }
///                                key: letters, digits, _   value: no , ( ) =
/// ```
/// Bare numbers after an argument continue its value as a comma-separated list
/// (`mlp(hidden=64,32)` gives `hidden` the value `64,32`).
public struct Spec: Sendable, Equatable, CustomStringConvertible {
    /// One `key=value` argument.
    public struct Argument: Sendable, Equatable {
        /// The parameter name.
        public var name: String
        /// The value as written.
        public var value: String
    }

    /// The problem or optimizer name (or glob pattern).
    public var name: String
    /// The arguments in the order written.
    public var arguments: [Argument]

    /// Parses `text`; throws ``SpecError/syntax(_:_:)`` naming what is wrong.
    public init(parsing text: String) throws(SpecError) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .syntax(text, "empty specification") }
        var name = trimmed
        var arguments: [Argument] = []
        if let open = trimmed.firstIndex(of: "(") {
            guard trimmed.last == ")" else { throw .syntax(text, "missing ')' at the end") }
            name = String(trimmed[..<open]).trimmingWhitespace()
            let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            if inner.contains("(") || inner.contains(")") { throw .syntax(text, "nested parentheses") }
            if !inner.allSatisfy({ $0 == " " || $0 == "\t" }) {
                for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
                    let pieces = part.split(separator: "=", omittingEmptySubsequences: false)
                    let item = part.trimmingWhitespace()
                    if pieces.count == 1, !item.isEmpty, item.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" }),
                       let last = arguments.indices.last {
                        arguments[last].value += "," + item
                        continue
                    }
                    guard pieces.count == 2 else {
                        throw .syntax(text, "expected key=value, got '\(InputLimits.quote(part.trimmingWhitespace()))'")
                    }
                    let key = pieces[0].trimmingWhitespace()
                    let value = pieces[1].trimmingWhitespace()
                    guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                        throw .syntax(text, "invalid parameter name '\(InputLimits.quote(key))'")
                    }
                    guard !value.isEmpty else { throw .syntax(text, "no value for '\(InputLimits.quote(key))'") }
                    if arguments.contains(where: { $0.name == key }) {
                        throw .syntax(text, "'\(InputLimits.quote(key))' is given twice")
                    }
                    arguments.append(Argument(name: key, value: value))
                }
            }
        }
        guard !name.isEmpty else { throw .syntax(text, "missing name before '('") }
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.*?".contains($0)) }) else {
            throw .syntax(text, "invalid name '\(InputLimits.quote(name))' (letters, digits, _ - . only)")
        }
        self.name = name
        self.arguments = arguments
    }

    /// Whether the name contains glob wildcards (`*` or `?`).
    public var isPattern: Bool { name.contains("*") || name.contains("?") }

    public var description: String {
        arguments.isEmpty ? name : "\(name)(\(arguments.map { "\($0.name)=\($0.value)" }.joined(separator: ",")))"
    }
}

/// A problem with a specification: syntax, an unknown name or parameter, or a bad value.
public enum SpecError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The text does not follow the grammar.
    case syntax(String, String)
    /// No registered problem or optimizer has this name.
    case unknownName(kind: String, name: String, valid: [String])
    /// The owner has no parameter of this name.
    case unknownParameter(owner: String, parameter: String, valid: [String])
    /// The value does not parse or violates the parameter's constraint.
    case badValue(owner: String, parameter: String, value: String, expected: String)
    /// The parameters are individually valid but not together (e.g. an odd dimension).
    case invalid(owner: String, String)

    public var description: String {
        switch self {
        case .syntax(let text, let detail):
            return "cannot parse '\(InputLimits.quote(text))': \(detail); write name or name(key=value,...)"
        case .unknownName(let kind, let name, let valid):
            return "unknown \(kind) '\(InputLimits.quote(name))'\(suggestion(name, valid)); valid \(kind)s: \(valid.joined(separator: ", "))"
        case .unknownParameter(let owner, let parameter, let valid):
            let list = valid.isEmpty ? "it takes no parameters" : "valid: \(valid.joined(separator: ", "))"
            return "\(owner) has no parameter '\(InputLimits.quote(parameter))'\(suggestion(parameter, valid)); \(list)"
        case .badValue(let owner, let parameter, let value, let expected):
            return "\(owner): \(parameter) must be \(expected), got '\(InputLimits.quote(value))'"
        case .invalid(let owner, let detail):
            return "\(owner): \(detail)"
        }
    }
}

/// ` (did you mean 'x'?)` when a valid name is within edit distance 2 of `name`, else empty: the same
/// suggestion for a spec, an instance file and the command line's options.
public func didYouMean(_ name: String, among valid: [String]) -> String { suggestion(name, valid) }

/// ` (did you mean 'x'?)` when a valid name is within edit distance 2 of `name`.
func suggestion(_ name: String, _ valid: [String]) -> String {
    let scored = valid.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2, best.1 < name.count else { return "" }
    return " (did you mean '\(best.0)'?)"
}

/// Levenshtein distance between two strings, by characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// Shell-style matching of `name` against `pattern` with `*` (any run) and `?` (one character).
public func globMatches(_ pattern: String, _ name: String) -> Bool {
    let p = Array(pattern), s = Array(name)
    var pi = 0, si = 0, star = -1, mark = 0
    while si < s.count {
        if pi < p.count && (p[pi] == "?" || p[pi] == s[si]) {
            pi += 1; si += 1
        } else if pi < p.count && p[pi] == "*" {
            star = pi; mark = si; pi += 1
        } else if star >= 0 {
            pi = star + 1; mark += 1; si = mark
        } else {
            return false
        }
    }
    while pi < p.count && p[pi] == "*" { pi += 1 }
    return pi == p.count
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
