import FoundationEssentials

/// A problem instance described by a file in `Problems/`: a family, a name, and parameter values.
///
/// The format is a subset of TOML, one instance per file:
/// ```toml
/// # comments start with '#'
/// name = "breast-cancer"               # required: the registry name (letters, digits, _ - .)
/// family = "logistic-data"             # required: a registered problem family
/// summary = "one line for suite list"  # optional
/// citation = "where it comes from"     # optional
///
/// [parameters]                         # optional: the family's parameters
/// data = "data/breast_cancer.csv"      # paths are relative to this file's folder
/// lambda = 1e-3                        # numbers: integers, decimals, exponents
/// standardize = true                   # booleans
/// ```
/// Strings are double-quoted with `\"` and `\\` escapes. Lines end in LF or CRLF; a UTF-8
/// byte-order mark is skipped. Anything else (arrays, inline tables, other tables, a second
/// `[parameters]`, keys given twice, unknown top-level keys) is an error naming the file and line,
/// quoting at most the offending piece, truncated (``InputLimits/quote(_:limit:)``). A file is at
/// most ``InputLimits/instanceFileBytes``, checked before it is read.
public struct InstanceFile: Sendable, Equatable {
    /// One `key = value` with where it was written.
    public struct Entry: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value as text (strings unquoted, numbers and booleans as written).
        public var value: String
        /// Whether the value was a quoted string.
        public var isString: Bool
        /// The 1-based line.
        public var line: Int
    }

    /// The file's path.
    public var path: String
    /// `name`.
    public var name: String
    /// `family`.
    public var family: String
    /// `summary`, if given.
    public var summary: String?
    /// `citation`, if given.
    public var citation: String?
    /// The `[parameters]` entries, in file order.
    public var parameters: [Entry]
    /// The line of `family`, for errors about it.
    public var familyLine: Int

    /// Parses `text`, read from `path` (used in error messages).
    public init(parsing text: String, path: String) throws(InstanceFileError) {
        self.path = path
        var top: [String: Entry] = [:]
        var parameters: [Entry] = []
        var section = ""
        var parametersLine: Int? = nil
        let body = text.hasPrefix("\u{FEFF}") ? Substring(text).dropFirst() : Substring(text)
        for (index, rawLine) in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = index + 1
            let line = try Self.stripComment(String(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine), path, number)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw InstanceFileError(path, number, nil, "malformed table header '\(InputLimits.quote(line))'")
                }
                section = String(line.dropFirst().dropLast()).trimmingWhitespace()
                guard section == "parameters" else {
                    throw InstanceFileError(path, number, nil, "unknown table [\(InputLimits.quote(section))]; the only table is [parameters]")
                }
                if let first = parametersLine {
                    throw InstanceFileError(path, number, nil, "a second [parameters] table (the first is on line \(first)); "
                        + "give every parameter in one table")
                }
                parametersLine = number
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw InstanceFileError(path, number, nil, "expected key = value, got '\(InputLimits.quote(line))'")
            }
            let key = String(line[..<eq]).trimmingWhitespace()
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                throw InstanceFileError(path, number, key.isEmpty ? nil : key, "invalid key (letters, digits, _ and - only)")
            }
            let (value, isString) = try Self.parseValue(String(line[line.index(after: eq)...]).trimmingWhitespace(), path, number, key)
            let entry = Entry(key: key, value: value, isString: isString, line: number)
            if section == "parameters" {
                guard !parameters.contains(where: { $0.key == key }) else {
                    throw InstanceFileError(path, number, key, "given twice")
                }
                parameters.append(entry)
            } else {
                guard ["name", "family", "summary", "citation"].contains(key) else {
                    throw InstanceFileError(path, number, key, "unknown key\(suggestion(key, ["name", "family", "summary", "citation"])); valid: name, family, summary, citation, [parameters]")
                }
                guard top[key] == nil else { throw InstanceFileError(path, number, key, "given twice") }
                guard isString else { throw InstanceFileError(path, number, key, "must be a quoted string") }
                top[key] = entry
            }
        }
        guard let name = top["name"] else { throw InstanceFileError(path, 0, "name", "missing") }
        guard let family = top["family"] else { throw InstanceFileError(path, 0, "family", "missing") }
        guard !name.value.isEmpty, name.value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
            throw InstanceFileError(path, name.line, "name", "'\(InputLimits.quote(name.value))' must be letters, digits, _ - . only")
        }
        guard !family.value.isEmpty else {
            throw InstanceFileError(path, family.line, "family", "is empty; name a registered problem family (suite list)")
        }
        self.name = name.value
        self.family = family.value
        familyLine = family.line
        summary = top["summary"]?.value
        citation = top["citation"]?.value
        self.parameters = parameters
    }

    /// The line without a trailing comment (a '#' outside quotes), trimmed.
    private static func stripComment(_ line: String, _ path: String, _ number: Int) throws(InstanceFileError) -> String {
        var inString = false, escaped = false
        for (i, c) in line.enumerated() {
            if escaped { escaped = false; continue }
            if c == "\\" && inString { escaped = true; continue }
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { return String(line.prefix(i)).trimmingWhitespace() }
        }
        return line.trimmingWhitespace()
    }

    /// A value: a quoted string (returned unescaped) or a bare number/boolean (returned as written).
    private static func parseValue(_ raw: String, _ path: String, _ number: Int, _ key: String) throws(InstanceFileError) -> (String, Bool) {
        guard !raw.isEmpty else { throw InstanceFileError(path, number, key, "no value") }
        if raw.first == "\"" {
            var out = ""
            var escaped = false
            var closed = false
            for (i, c) in raw.dropFirst().enumerated() {
                if escaped {
                    guard c == "\"" || c == "\\" else { throw InstanceFileError(path, number, key, "unsupported escape \\\(InputLimits.quote(String(c)))") }
                    out.append(c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    guard i == raw.count - 2 else { throw InstanceFileError(path, number, key, "text after the closing quote") }
                    closed = true
                } else {
                    out.append(c)
                }
            }
            guard closed else { throw InstanceFileError(path, number, key, "unterminated string") }
            return (out, true)
        }
        if raw == "true" || raw == "false" { return (raw, false) }
        guard Double(raw.replacingUnderscoresInNumber()) != nil else {
            throw InstanceFileError(path, number, key, "'\(InputLimits.quote(raw))' is not a string, number or boolean (quote text values)")
        }
        return (raw.replacingUnderscoresInNumber(), false)
    }
}

/// A problem with an instance file: the file, the line (0 for the file as a whole) and the field.
public struct InstanceFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file.
    public let path: String
    /// The 1-based line; 0 when no single line is at fault.
    public let line: Int
    /// The key at fault, when one is.
    public let field: String?
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(_ path: String, _ line: Int, _ field: String?, _ message: String) {
        self.path = path; self.line = line; self.field = field; self.message = message
    }

    public var description: String {
        "\(path)\(line > 0 ? ":\(line)" : "")\(field.map { ": '\(InputLimits.quote($0))'" } ?? ""): \(message)"
    }
}

extension Registry {
    /// Adds one problem entry per `*.toml` file in `directory`, in file-name order.
    ///
    /// Each file names a registered family; its `[parameters]` become the entry's defaults, checked
    /// like command-line values; text parameters that are paths are resolved against the file's
    /// folder. With `building` (the default) the instance is built once to check it (data files are
    /// read, the start point checked); without, only the file is checked and its data are read when a
    /// selection names it, so a run pays for the data sets it uses only (`suite run`).
    public mutating func addInstances(from directory: String, building: Bool = true) throws(InstanceFileError) {
        let fm = FileManager.default
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".toml") }.sorted()
        } catch {
            throw InstanceFileError(directory, 0, nil, "cannot list the folder: \(error)")
        }
        for file in names {
            let path = directory.hasSuffix("/") ? directory + file : directory + "/" + file
            let bytes: [UInt8]
            do { bytes = try BoundedFile.contents(of: path, limit: InputLimits.instanceFileBytes) } catch {
                throw InstanceFileError(path, 0, nil, "\(error)")
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw InstanceFileError(path, 0, nil, "cannot read the file as UTF-8 text")
            }
            let parsed = try InstanceFile(parsing: text, path: path)
            problems.append(try entry(for: parsed, folder: directory, building: building))
        }
    }

    /// The registry entry an instance file describes (built once to check it with `building`).
    public func entry(for file: InstanceFile, folder: String, building: Bool = true) throws(InstanceFileError) -> ProblemEntry {
        guard let family = problems.first(where: { $0.name == file.family && $0.origin == nil }) else {
            throw InstanceFileError(file.path, file.familyLine, "family",
                                    "unknown family '\(InputLimits.quote(file.family))'\(suggestion(file.family, problems.filter { $0.origin == nil }.map(\.name))); valid: \(problems.filter { $0.origin == nil }.map(\.name).joined(separator: ", "))")
        }
        guard !problems.contains(where: { $0.name == file.name }) else {
            throw InstanceFileError(file.path, 0, "name", "'\(InputLimits.quote(file.name))' is already registered")
        }
        var defaults: [String: ParameterValue] = [:]
        for entry in file.parameters {
            guard let spec = family.parameters.first(where: { $0.name == entry.key }) else {
                throw InstanceFileError(file.path, entry.line, entry.key,
                                        "\(family.name) has no such parameter\(suggestion(entry.key, family.parameters.map(\.name))); valid: \(family.parameters.map(\.name).joined(separator: ", "))")
            }
            switch spec.defaultValue {
            case .text, .choice:
                guard entry.isString else { throw InstanceFileError(file.path, entry.line, entry.key, "must be a quoted string") }
            case .real, .integer, .flag:
                guard !entry.isString else {
                    throw InstanceFileError(file.path, entry.line, entry.key, "must be \(spec.expectation), unquoted")
                }
            }
            var raw = entry.value
            if spec.isPath && !raw.hasPrefix("/") { raw = folder + "/" + raw }
            do {
                defaults[entry.key] = try spec.parse(raw, owner: family.name)
            } catch {
                throw InstanceFileError(file.path, entry.line, entry.key, "must be \(spec.expectation), got '\(InputLimits.quote(entry.value))'")
            }
        }
        let entry = family.instance(named: file.name, summary: file.summary, citation: file.citation, defaults: defaults,
                                    origin: file.path)
        do {
            if building { _ = try entry.instantiate(Spec(parsing: file.name), seed: 0) }
        } catch {
            throw InstanceFileError(file.path, 0, nil, "\(error)")
        }
        return entry
    }
}

extension String {
    /// TOML allows `1_000`; Swift's `Double` does not.
    fileprivate func replacingUnderscoresInNumber() -> String { String(filter { $0 != "_" }) }
}
