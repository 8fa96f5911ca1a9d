import ArgumentParser
import DescentCore
import DescentReport

/// `suite list`: the registered problems and optimizers with their parameters.
struct ListCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registered problems and optimizers with their parameters and defaults."
    )

    @OptionGroup var registryOptions: RegistryOptions

    func run() throws { var copy = self; try copy.run(registry: .standard, console: .standard) }

    mutating func run(registry base: Registry, console: Console) throws {
        let registry = try registryOptions.registry(base)
        try registry.validate()
        console.out(Self.render(registry))
    }

    /// The listing: one block per entry, parameters indented with defaults and valid ranges.
    static func render(_ registry: Registry) -> String {
        var out = "Problems (\(registry.problems.count)); select with --problem 'name(key=value,...)':\n"
        for p in registry.problems {
            out += "  \(p.name)\(p.isTemplate ? " [template: give its parameters, or use an instance file]" : "")\(p.isSeeded ? " [seeded by --seed]" : "")\(p.origin.map { " [file \($0)]" } ?? "")\n      \(p.summary)\n"
            if let citation = p.citation { out += "      source: \(citation)\n" }
            out += parameterLines(p.parameters)
        }
        out += "\nOptimizers (\(registry.optimizers.count)); select with --optimizer 'name(key=value,...)':\n"
        for o in registry.optimizers {
            let alias = o.aliasOf.map { " [alias of \($0): the same method; --all and globs run \($0)]" } ?? ""
            out += "  \(o.name)\(alias)\n      \(o.summary)\n"
            out += parameterLines(o.parameters)
        }
        out += "\nModifiers (\(registry.modifiers.count)); chain after an optimizer: --optimizer 'adam + clip(norm=1) + cosine(steps=1000)':\n"
        for m in registry.modifiers {
            out += "  \(m.name) [\(m.role.rawValue)]\n      \(m.summary)\n"
            out += parameterLines(m.parameters)
        }
        return out
    }

    private static func parameterLines(_ specs: [ParameterSpec]) -> String {
        guard !specs.isEmpty else { return "" }
        let rows = specs.map { ["        \($0.name)=\($0.defaultValue)", $0.summary + " (" + $0.expectation + ")"] }
        return TerminalTable.align([["        parameter=default", "meaning"]] + rows, rule: false)
    }
}
