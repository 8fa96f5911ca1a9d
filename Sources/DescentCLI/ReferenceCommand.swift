import ArgumentParser
import DescentCore
import DescentReport

/// `suite reference`: the certificate table of the reference optima.
struct ReferenceCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Certify the reference optimum of each problem: f*, x*, ‖∇f(x*)‖, Hessian eigenvalues at x*, and how.",
        discussion: "Writes reference.csv into --output. Results are cached (see --cache); --no-cache recomputes."
    )

    @OptionGroup var registryOptions: RegistryOptions

    @Option(name: .long, help: ArgumentHelp("A problem spec or glob; repeatable. Default: all.", valueName: "spec"))
    var problem: [String] = []

    @Option(name: .long, help: "Seed for generated problem data.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Certify instances 0…N−1 of every problem, N at most 1000 (see suite run --instances).")
    var instances: Int = 1

    @Option(name: .long, help: ArgumentHelp("Folder for reference.csv (default: Results/runs/reference-HASH, one folder per selection; never a run's results folder).", valueName: "folder"))
    var output: String?

    @Flag(name: .long, help: "Allow replacing a folder that holds another configuration's results.")
    var replace = false

    @Option(name: .long, help: "Reference cache file.")
    var cache: String = References.defaultCache

    @Flag(name: .long, help: "Recompute every reference and leave the cache alone.")
    var noCache = false

    func validate() throws {
        guard (1...InputLimits.maximumInstances).contains(instances) else {
            throw ValidationError("--instances must be in 1...\(InputLimits.maximumInstances) (instance 0 is the problem as selected), got \(instances)")
        }
    }

    func run() throws { var copy = self; try copy.run(registry: .standard, console: .standard) }

    mutating func run(registry base: Registry, console: Console) throws {
        let registry = try registryOptions.registry(base)
        try registry.validate()
        let selected = try registry.selectProblems(problem.isEmpty ? ["*"] : problem, seed: seed)
        let problems = try selected.flatMap { p in try (0..<instances).map { try registry.instance($0, of: p, seed: seed) } }
        let metadata = Metadata(configuration: ["command": "reference", "suite_version": Journal.suiteVersion,
                                                "problems": selected.map(\.label), "seed": seed, "instances": instances,
                                                "problem_content": Dictionary(selected.map { ($0.label, $0.declaredFingerprint) },
                                                                              uniquingKeysWith: { a, _ in a })],
                                environment: Metadata.currentEnvironment(arguments: CommandLine.arguments))
        let output = self.output ?? "Results/runs/reference-\(metadata.hash)"
        try OutputFolder.checkDestination(output)
        let (folder, cache) = try OutputFolder.prepare(output, hash: metadata.hash, replace: replace, cache: noCache ? nil : self.cache)
        defer { folder.discardIfUnused() }
        let references = try References.certify(problems, cache: cache)
        let rows = problems.map { p -> [String] in
            let o = references[p.referenceKey]
            return [p.label + (instances > 1 ? " #\(p.index)" : ""), String(p.problem.dimension), o.map { NumberFormat.scientific($0.value, digits: 6) } ?? "–",
                    o?.source.rawValue ?? "–", o?.gradientNorm.map { NumberFormat.scientific($0) } ?? "–",
                    o?.hessianEigenvalues.map { NumberFormat.scientific($0.min) } ?? "–",
                    o?.hessianEigenvalues.map { NumberFormat.scientific($0.max) } ?? "–"]
        }
        let header = ["problem", "n", "f*", "source", "‖∇f(x*)‖", "λmin(∇²f)", "λmax(∇²f)"]
        let kappas = References.conditionNumbers(problems, references)
        let csv = CSV.references(References.rows(problems, references, kappas))
        for w in try folder.publish([("reference.csv", csv), ("metadata.json", metadata.text)], mode: .replace) {
            console.err("warning: \(w)\n")
        }
        console.out(TerminalTable.align([header] + rows, rightAligned: [1, 2, 4, 5, 6]))
        let nonConvex = selected.filter { $0.problem.referenceIsBestReached }.map(\.label)
        if !nonConvex.isEmpty {
            console.out("\nNo certificate for \(nonConvex.joined(separator: ", ")) (non-convex): a run measures it against the best "
                        + "value any of its optimizers reached (best_reached).")
        }
        console.out("\nWrote \(output)/reference.csv\n")
    }
}
