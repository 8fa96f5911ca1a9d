import ArgumentParser
import Foundation
import DescentCore
import DescentReport

/// `suite run` (the default subcommand): run the selected optimizers on the selected problems.
struct RunCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run optimizers on problems and write the data, tables and plots (documentation: Output files)."
    )

    @OptionGroup var registryOptions: RegistryOptions

    @Flag(name: .long, help: "Run every registered optimizer on every registered problem.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("A problem: name, name(key=value,...) or a glob such as 'rosen*'. Repeatable; default: all.", valueName: "spec"))
    var problem: [String] = []

    @Option(name: .long, help: ArgumentHelp("An optimizer: name, name(key=value,...) or a glob. Repeatable; default: all.", valueName: "spec"))
    var optimizer: [String] = []

    @Option(name: .long, help: "Most optimizer steps per run.")
    var maxIterations: Int = RunOptions().maxIterations

    @Option(name: .long, help: "Target on f − f* where f* is known, else on ‖∇f‖; 0 runs to --max-iterations.")
    var tolerance: Double = RunOptions().tolerance

    @Option(name: .long, help: "Write every k-th iterate to the traces (the first and last always).")
    var logEvery: Int = RunOptions().logEvery

    @Option(name: .long, help: ArgumentHelp("Evaluate f and ‖∇f‖ and apply the stopping rules at every k-th iterate only (full batch; the last iterate always); the iterates in between take a gradient and a step. Iterates do not depend on it; a multiple of it for --log-every.", valueName: "k"))
    var checkEvery: Int = RunOptions().checkEvery

    @Option(name: .long, help: "Stop as 'stalled' after this many iterations without a new best f.")
    var patience: Int = RunOptions().patience

    @Option(name: .long, help: "Mini-batch size for finite-sum problems (1 = SGD); default: full batch.")
    var batchSize: Int?

    @Flag(name: .long, inversion: .prefixedNo, help: "Reshuffle the samples every epoch of a stochastic run (--no-shuffle: batches in row order).")
    var shuffle = true

    @Option(name: .long, help: "Seed for generated problem data and for the per-epoch shuffles of stochastic runs.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Runs per pair with seeds --seed, --seed+1, …: with --batch-size each reshuffles the mini-batches; without, the same as --instances. Tables show the median and interquartile range.")
    var seeds: Int = 1

    @Option(name: .long, help: ArgumentHelp("Run N instances of every problem (seeded data from --seed + i, or a seeded perturbation of x₀ for fixed problems; instance 0 is the problem as selected), each with its own f*. With --tune the sweep runs on instance 0 and the tables on instances 1…N.", valueName: "N"))
    var instances: Int?

    @Flag(name: .long, inversion: .prefixedNo, help: "Tune each optimizer's learning rate per problem on a log grid (see --tune-grid), then run the chosen one (default with --all; --no-tune: the optimizers' own defaults).")
    var tune: Bool?

    @Option(name: .long, help: ArgumentHelp("The learning-rate grid of --tune: LOW:HIGH:POINTS, log-spaced, rounded to 3 digits.", valueName: "grid"))
    var tuneGrid: String = Tuning.defaultGrid

    @Option(name: .long, help: "The target f − f* of the performance and data profiles.")
    var profileTarget: Double = ReportFiles.defaultProfileTarget

    @Option(name: .long, help: ArgumentHelp("The target columns of the LaTeX per-problem tables, e.g. 1e-2,1e-6 (default 1e-1,1e-4,1e-8; Markdown, HTML and CSV keep every target).", valueName: "targets"))
    var latexTargets: String?

    @Option(name: .long, help: BandMode.help)
    var bands: String = BandMode.auto.rawValue

    @Option(name: .long, help: ArgumentHelp("Folder for the results (default: Results with --all; otherwise Results/runs/HASH, one folder per configuration, so a small run never replaces other results).", valueName: "folder"))
    var output: String?

    @Flag(name: .long, help: "Allow replacing a folder that holds the results of another configuration (the files the suite wrote there; it never deletes others).")
    var replace = false

    @Flag(name: .long, help: "Print no progress lines.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Where runs execute: 'process' (one child process per run: a crash or hang costs only that run) or 'none' (in this process).", valueName: "mode"))
    var isolation: Isolation = .process

    @Option(name: .long, help: "Wall-clock seconds per run; over it the run ends as 'timeout' (a worker is killed 1 s later).")
    var timeLimit: Double?

    @Flag(name: .long, help: "Keep the runs already finished in the output folder (same configuration: options, time limit, problem parameters and data, suite version) and run only the rest.")
    var resume = false

    @Option(name: .long, help: "(problem, instance or seed) pairs run at the same time (default: the number of cores); results do not depend on it.")
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Run only shard K of N: the (problem, optimizer) pairs whose index in the matrix is K−1 modulo N (all seeds of a pair together); 'suite merge' combines the shards' folders.", valueName: "K/N"))
    var shard: Shard?

    @Option(name: .long, help: "Reference cache file (certified f* per instance).")
    var cache: String = References.defaultCache

    @Flag(name: .long, help: "Recompute reference optima instead of reading or writing the cache.")
    var noCache = false

    @Flag(name: .long, help: "Print which loop of the harness (fused, tiled, plain, stochastic, solver) each selected pair takes, and run nothing.")
    var explain = false

    func validate() throws {
        if !all && problem.isEmpty && optimizer.isEmpty {
            throw ValidationError("nothing selected: pass --all, or --problem and/or --optimizer (see 'suite list')")
        }
        if all && !(problem.isEmpty && optimizer.isEmpty) {
            throw ValidationError("--all selects everything; drop it, or drop --problem/--optimizer")
        }
        guard maxIterations >= 0 else { throw ValidationError("--max-iterations must be >= 0, got \(maxIterations)") }
        guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a finite number >= 0, got \(tolerance)") }
        guard logEvery >= 1 else { throw ValidationError("--log-every must be >= 1, got \(logEvery)") }
        guard checkEvery >= 1 else { throw ValidationError("--check-every must be >= 1, got \(checkEvery)") }
        if logEvery % checkEvery != 0 {
            throw ValidationError("--log-every \(logEvery) must be a multiple of --check-every \(checkEvery): rows are written at checked iterates")
        }
        if checkEvery > 1 && batchSize != nil {
            throw ValidationError("--check-every applies to full-batch runs; stochastic runs already evaluate f only at logged iterates (--log-every)")
        }
        guard patience >= 1 else { throw ValidationError("--patience must be >= 1, got \(patience)") }
        if let b = batchSize, b < 1 { throw ValidationError("--batch-size must be >= 1, got \(b)") }
        if let j = jobs, j < 1 { throw ValidationError("--jobs must be >= 1, got \(j)") }
        if let t = timeLimit, !(t > 0 && t.isFinite) { throw ValidationError("--time-limit must be a number of seconds > 0, got \(t)") }
        if let output, output.isEmpty { throw ValidationError("--output must name a folder") }
        let most = InputLimits.maximumInstances
        guard (1...most).contains(seeds) else { throw ValidationError("--seeds must be in 1...\(most), got \(seeds)") }
        if let n = instances {
            guard (1...most).contains(n) else {
                throw ValidationError("--instances must be in 1...\(most) (N instances of every problem; instance 0 is the problem as selected), got \(n)")
            }
            if seeds > 1 {
                throw ValidationError("give --instances or --seeds, not both: each instance runs with its own seed (--seed + i), "
                    + "which also reshuffles its mini-batches")
            }
        }
        try ResultFolder.checkProfileTarget(profileTarget)
        _ = try ResultFolder.latexTargets(latexTargets)
        _ = try BandMode.option(bands)
        if tuned {
            do { _ = try Tuning.grid(tuneGrid) } catch { throw ValidationError("\(error)") }
        }
    }

    /// The number of instances: `--instances`, or `--seeds` without `--batch-size` (a deterministic
    /// run repeated would be the same run, so its seeds are instances); `nil` for one instance with `--seeds` runs.
    var instanceCount: Int? {
        instances ?? (seeds > 1 && batchSize == nil ? seeds : (all && seeds == 1 ? Self.headlineInstances : nil))
    }

    /// The instances of the headline run (`--all`): the fewest for which a column's best can be marked
    /// significant at 0.01 after Holm's correction over its comparisons with the other 35 methods: the smallest
    /// exact two-sided rank-sum p of n against n runs is 2/C(2n, n), so 35 · 2/C(16, 8) = 0.0054 at 8 and
    /// 35 · 2/C(14, 7) = 0.020 at 7 (``ResultTables/smallestCorrectedP(optimizers:runs:)``).
    static let headlineInstances = 8

    /// Whether learning rates are tuned: `--tune`, `--no-tune`, or by default with `--all`.
    var tuned: Bool { tune ?? all }

    /// The runs each pair makes in the tables (``Trial``): instances 0…N−1 (1…N with `--tune`, whose
    /// sweep takes instance 0), or seeds `--seed`, `--seed`+1, … on instance 0.
    var trials: [Trial] {
        if let n = instanceCount {
            return (tuned ? Array(1...n) : Array(0..<n)).map { Trial(instance: $0, seed: Instances.seed(seed, instance: $0)) }
        }
        return (0..<seeds).map { Trial(instance: 0, seed: seed &+ UInt64($0)) }
    }

    func run() throws { var copy = self; try copy.run(registry: .standard, console: .standard) }

    /// Plans (everything that can be wrong with the input is found before anything runs or is written),
    /// certifies the references, runs the passes and writes the results: ``Plan``, ``Scheduler``, ``Writer``.
    mutating func run(registry base: Registry, console: Console) throws {
        // Only the problems the selection names are built: a small run does not read unused data sets.
        let registry = try registryOptions.registry(base, building: false)
        try registry.validate()
        let plan = try Plan(self, registry: registry)
        if explain { return console.out(LoopReport.text(plan.loops)) }
        // The configuration names the whole matrix, so every shard and the merged folder carry the unsharded hash.
        let metadata = Metadata(configuration: configuration(problems: plan.selected, optimizers: plan.optimizers), environment: [:])
        let output = self.output ?? (all ? "Results" : "Results/runs/\(metadata.hash)")
        try OutputFolder.checkDestination(output)
        // The folder is locked before anything is computed or written: a second suite on it stops here.
        let (folder, cache) = try OutputFolder.prepare(output, hash: metadata.hash, replace: replace, cache: noCache ? nil : self.cache)
        defer { folder.discardIfUnused() }
        let journal = try Journal.opened(output: output)
        // What each instance is, by content (parameters, data files' bytes, x₀, f at probe points): part of every
        // journal key, so --resume never reuses a run of data or parameters that have changed since, and of the
        // reference cache's key (computed once here for both).
        let variants = plan.variants.flatMap { $0 }
        var fingerprints: [String: String] = [:]
        for instance in variants { fingerprints[instance.referenceKey] = instance.contentFingerprint }
        // One display for the whole command: the certification of f*, then the passes.
        let progress = Progress(console: console, passes: (plan.certified.isEmpty ? [] : [(.references, plan.certified.count)])
                                    + plan.passes.map { ($0.pass, $0.count) }, quiet: quiet)
        defer { progress.close() }
        var references = try plan.certify(cache: cache, timeLimit: timeLimit, fingerprints: fingerprints, progress: progress)
        let started = ContinuousClock.now

        Signals.install()
        let scheduler = Scheduler(plan: plan, journal: journal, fingerprints: fingerprints, workers: jobs, isolation: isolation,
                                  resume: resume, progress: progress)
        let outcome = try scheduler.run(references: &references)
        progress.close()
        let writer = Writer(command: self, plan: plan, output: output, folder: folder, journal: journal, console: console)
        try writer.write(outcome, references: references, metadata: metadata, started: started)
    }
}
