import ArgumentParser
import DescentCore

/// The message for an option a command does not take, in place of the argument parser's: a suggestion
/// from every option of that command; the spec syntax when the name is a hyperparameter of a
/// registered optimizer or a parameter of a problem (`--lr 0.05` means `--optimizer 'adam(lr=0.05)'`);
/// the command that takes it when another one does (`--html` is `suite report`'s).
enum UnknownOption {
    /// The visible commands with their names as typed (`run` first: the default).
    static var commands: [(name: String, type: ParsableCommand.Type)] {
        Suite.configuration.subcommands.compactMap { type in
            guard let name = type.configuration.commandName, !name.hasPrefix("_") else { return nil }
            return (name, type)
        }
    }

    /// The long options of `command` as its help lists them (`--tune` and `--no-tune` both), plus `--help`.
    static func options(of command: ParsableCommand.Type) -> [String] {
        var out: [String] = []
        for line in Suite.helpMessage(for: command, columns: 200).split(separator: "\n") {
            let text = line.drop { $0 == " " }
            guard line.first == " ", text.hasPrefix("-") else { continue }
            // "-h, --help", "--tune/--no-tune", "--problem <spec>": the names before the first space.
            let head = text.prefix { $0 != " " }
            let names = text.hasPrefix("-h, ") ? ["--help"] : head.split(separator: "/").map(String.init)
            for name in names where name.hasPrefix("--") && !out.contains(name) { out.append(name) }
        }
        if !out.contains("--help") { out.append("--help") }
        return out
    }

    /// The command the arguments run: the first word when it names one, else `run`.
    static func command(for arguments: [String]) -> (name: String, type: ParsableCommand.Type) {
        let all = commands
        if let first = arguments.first, let c = all.first(where: { $0.name == first }) { return c }
        return all.first { $0.name == "run" } ?? ("run", RunCommand.self)
    }

    /// The parser's own options every command takes without listing them.
    static let builtin = ["--help", "--experimental-dump-help", "--generate-completion-script"]

    /// The first long option in `arguments` (before a `--`) that their command does not take, as typed;
    /// nil for the hidden commands and `help`. Checked before parsing, so an unknown option is reported
    /// before a missing selection or any other validation.
    static func firstUnknown(in arguments: [String]) -> String? {
        if let first = arguments.first, first == "help" || first.hasPrefix("_") { return nil }
        let known = options(of: command(for: arguments).type) + builtin
        for a in arguments {
            if a == "--" { return nil }
            guard a.hasPrefix("--") else { continue }
            if !known.contains(String(a.prefix { $0 != "=" })) { return a }
        }
        return nil
    }

    /// The better message for `error` when it is the parser's "unknown option", else nil.
    static func message(for error: Error, arguments: [String], registry: Registry) -> String? {
        let parsed = Suite.message(for: error)
        guard let start = parsed.range(of: "Unknown option '") else { return nil }
        let rest = parsed[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        let typed = String(rest[..<end])
        return message(option: typed, arguments: arguments, registry: registry)
    }

    /// The message for the unknown option `typed` (as typed, `--lr` or `--lr=0.05`) in `arguments`.
    static func message(option typed: String, arguments: [String], registry: Registry) -> String {
        let option = String(typed.prefix { $0 != "=" })
        let (name, type) = command(for: arguments)
        let commandText = name == "run" ? "a run" : "suite \(name)"
        var text = "unknown option '\(InputLimits.quote(option))' for \(commandText)"
        // The value the user gave it: after `=`, or the next word when it is not an option.
        var value: String? = typed.contains("=") ? String(typed.drop { $0 != "=" }.dropFirst()) : nil
        if value == nil, let i = arguments.firstIndex(where: { $0 == option || $0.hasPrefix(option + "=") }) {
            if arguments[i].contains("=") {
                value = String(arguments[i].drop { $0 != "=" }.dropFirst())
            } else if i + 1 < arguments.count, !arguments[i + 1].hasPrefix("--") {
                value = arguments[i + 1]
            }
        }
        let key = option.drop { $0 == "-" }.map { $0 == "-" ? "_" : $0 }.map(String.init).joined()
        if name == "run" || name == "reference", let hint = parameterHint(key, value: value, arguments: arguments, registry: registry, optimizers: name == "run") {
            return text + ": " + hint
        }
        let elsewhere = commands.filter { $0.name != name && options(of: $0.type).contains(option) }.map(\.name)
        if !elsewhere.isEmpty {
            let usage = elsewhere.map { "suite \($0)" + (["report", "diff", "merge"].contains($0) ? " DIR" : "") + " \(option)" }
            return text + ": it is an option of " + elsewhere.map { "'suite \($0)'" }.joined(separator: " and ")
                + " (" + usage.joined(separator: "; ") + ")"
        }
        let own = options(of: type)
        text += didYouMean(option, among: own)
        return text + "; the options are listed by '" + (name == "run" ? "suite --help" : "suite help \(name)") + "'"
    }

    /// Where `key` is a hyperparameter of an optimizer or a parameter of a problem: how to give it in a spec.
    static func parameterHint(_ key: String, value: String?, arguments: [String], registry: Registry, optimizers: Bool) -> String? {
        let shown = value ?? "VALUE"
        func named(_ option: String) -> [String] {
            arguments.indices.compactMap { i -> String? in
                if arguments[i].hasPrefix(option + "=") { return String(arguments[i].dropFirst(option.count + 1)) }
                return arguments[i] == option && i + 1 < arguments.count ? arguments[i + 1] : nil
            }.map { spec in String(spec.prefix { $0 != "(" && $0 != "+" && $0 != " " }) }
        }
        if optimizers {
            let owners = registry.optimizers.filter { $0.parameters.contains { $0.name == key } }.map(\.name)
            if !owners.isEmpty {
                let chosen = named("--optimizer").first { owners.contains($0) } ?? (owners.contains("adam") ? "adam" : owners[0])
                return "'\(key)' is a hyperparameter, given in the optimizer's spec: --optimizer '\(chosen)(\(key)=\(shown))' "
                    + "(suite list shows every optimizer's hyperparameters)"
            }
        }
        let owners = registry.problems.filter { $0.parameters.contains { $0.name == key } }.map(\.name)
        guard !owners.isEmpty else { return nil }
        let chosen = named("--problem").first { owners.contains($0) } ?? owners[0]
        return "'\(key)' is a problem parameter, given in the problem's spec: --problem '\(chosen)(\(key)=\(shown))' "
            + "(suite list shows every problem's parameters)"
    }
}
