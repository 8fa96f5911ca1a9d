import ArgumentParser
import DescentCore
import DescentReport
import Foundation

/// `--shard K/N`: the (problem, optimizer) pairs whose index in the matrix (problem-major, in
/// selection order) is K − 1 modulo N. Every seed of a pair runs in the same shard.
struct Shard: ExpressibleByArgument, CustomStringConvertible, Sendable {
    /// K, from 1.
    let index: Int
    /// N.
    let count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        index = k
        count = n
    }

    static var defaultCompletionKind: CompletionKind { .default }

    var description: String { "\(index)/\(count)" }

    /// Whether pair `i` of the matrix belongs to this shard.
    func contains(_ i: Int) -> Bool { i % count == index - 1 }
}

/// `suite merge --output DIR SHARD...`: combine the folders of `--shard 1/N … N/N` into the folder
/// the unsharded run writes (the same files, byte for byte, timing aside).
struct MergeCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the result folders of 'suite run --shard K/N' into one, identical to an unsharded run.",
        discussion: """
            Every shard must come from the same command apart from --shard and --output (the same configuration \
            hash in metadata.json), and together they must hold every (problem, optimizer, seed) of the matrix \
            exactly once. The merged tables, plots and CSV files are those of the unsharded run; metadata.json \
            records the shards.
            """
    )

    @OptionGroup var registryOptions: RegistryOptions

    @Argument(help: "The shard folders (any order).")
    var shards: [String]

    @Option(name: .long, help: "Where to write the merged folder (default: Results).")
    var output: String = "Results"

    @Flag(name: .long, help: "Allow replacing a folder that holds the results of another configuration.")
    var replace = false

    @Option(name: .long, help: "The target f − f* of the performance and data profiles.")
    var profileTarget: Double = ReportFiles.defaultProfileTarget

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the shard folders: suite merge --output DIR SHARD...") }
        try ResultFolder.checkProfileTarget(profileTarget)
    }

    func run() throws { var copy = self; try copy.run(registry: .standard, console: .standard) }

    mutating func run(registry base: Registry, console: Console) throws {
        let registry = try registryOptions.registry(base)
        let metadata = try shards.map { try Metadata.read(folder: $0) }
        let hashes = metadata.map(\.hash)
        if let i = hashes.firstIndex(where: { $0 != hashes[0] }) {
            throw SuiteError("\(shards[i]) comes from another configuration (run \(hashes[i])) than \(shards[0]) (run \(hashes[0])); "
                + "merge only shards of one command", exitCode: SuiteExitCode.usage)
        }
        let configuration = metadata[0].configuration
        guard let problemOrder = configuration["problems"] as? [String], let optimizerOrder = configuration["optimizers"] as? [String] else {
            throw SuiteError("\(shards[0])/metadata.json has no problem and optimizer lists", exitCode: SuiteExitCode.usage)
        }
        let sets = try shards.map { try ResultFolder.load($0) }

        var records: [RunRecord] = []
        var references: [String: Optimum] = [:]
        var kappas: [String: Double] = [:]
        var tuning: [TuningSweep] = []
        for set in sets {
            records += set.records
            references.merge(set.references) { a, _ in a }
            kappas.merge(set.conditionNumbers) { a, _ in a }
            tuning += set.tuning
        }
        // A tuned run is labelled with its learning rate; map it back to the optimizer it tunes.
        var base: [String: String] = [:]
        for s in tuning {
            if let tuned = try registry.withLearningRate(s.optimizer, s.chosen) { base[s.problem + "\u{1}" + tuned.label] = s.optimizer }
        }
        func pair(_ r: RunRecord) -> (Int, Int)? {
            guard let p = problemOrder.firstIndex(of: r.problem) else { return nil }
            let label = base[r.problem + "\u{1}" + r.optimizer] ?? r.optimizer
            return optimizerOrder.firstIndex(of: label).map { (p, $0) }
        }
        var seen = Set<String>()
        for r in records {
            guard pair(r) != nil else {
                throw SuiteError("\(r.problem) × \(r.optimizer) is not in the configuration's matrix", exitCode: SuiteExitCode.usage)
            }
            guard seen.insert("\(r.problem)\u{1}\(r.optimizer)\u{1}\(r.seed)").inserted else {
                throw SuiteError("\(r.problem) × \(r.optimizer) (seed \(r.seed)) is in two shards; give each shard once",
                                 exitCode: SuiteExitCode.usage)
            }
        }
        let seeds = Set(records.map(\.seed)).count
        let expected = problemOrder.count * optimizerOrder.count * Swift.max(1, seeds)
        guard records.count == expected else {
            let have = Set(records.compactMap { pair($0).map { "\($0.0),\($0.1)" } })
            var missing: [String] = []
            for p in problemOrder.indices {
                for o in optimizerOrder.indices where !have.contains("\(p),\(o)") { missing.append("\(problemOrder[p]) × \(optimizerOrder[o])") }
            }
            throw SuiteError("the shards hold \(records.count) of the matrix's \(Progress.runs(expected)); missing: "
                + missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? ", …" : "") + " (is a shard folder left out?)",
                exitCode: SuiteExitCode.usage)
        }
        // The unsharded order: problems in selection order, then seeds, then optimizers (keys computed once).
        records = records.map { r in (r, pair(r)!) }
            .sorted { a, b in (a.1.0, a.0.seed, a.1.1) < (b.1.0, b.0.seed, b.1.1) }
            .map(\.0)
        tuning.sort { a, b in
            (problemOrder.firstIndex(of: a.problem) ?? 0, optimizerOrder.firstIndex(of: a.optimizer) ?? 0)
                < (problemOrder.firstIndex(of: b.problem) ?? 0, optimizerOrder.firstIndex(of: b.optimizer) ?? 0)
        }
        let set = ResultSet(records: records, references: references, conditionNumbers: kappas, hash: hashes[0], tuning: tuning)
        let dimensions = Dictionary(records.map { ($0.problem, $0.dimension) }, uniquingKeysWith: { a, _ in a })
        var files = ReportFiles.raw(set, problemOrder: problemOrder.map { ($0, dimensions[$0] ?? 0) })
        files += ReportFiles.derived(set, profileTarget: profileTarget)
        var merged = Metadata(configuration: configuration,
                              environment: Metadata.currentEnvironment(arguments: CommandLine.arguments))
        guard merged.hash == hashes[0] else {
            throw SuiteError("internal: the merged configuration hashes to \(merged.hash), not \(hashes[0])", exitCode: SuiteExitCode.failure)
        }
        merged.environment["merged_shards"] = metadata.map { m -> [String: Any] in
            let env = m.environment
            return ["shard": env["shard"] ?? "", "command": env["command"] ?? "", "wall_clock_s": env["wall_clock_s"] ?? 0,
                    "date": env["date"] ?? ""]
        }
        files.append(("metadata.json", merged.text))
        try OutputFolder.checkDestination(output)
        let folder = try OutputFolder(output)
        try folder.checkConfiguration(hashes[0], replace: replace)
        for w in try folder.publish(files, mode: .replace) { console.err("warning: \(w)\n") }
        console.out("Merged \(shards.count == 1 ? "1 shard" : "\(shards.count) shards"), \(Progress.runs(records.count)), into \(output)/ (run \(hashes[0])).\n")
    }
}
