import ArgumentParser
import Dispatch
import Foundation
import Synchronization
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

    var options: RunOptions {
        RunOptions(maxIterations: maxIterations, tolerance: tolerance, logEvery: logEvery, patience: patience,
                   batchSize: batchSize, samplingSeed: Self.samplingSeed(seed), shuffle: shuffle, checkEvery: checkEvery,
                   timeLimit: timeLimit, cancellation: interruption)
    }

    func run() throws { var copy = self; try copy.run(registry: .standard, console: .standard) }

    mutating func run(registry base: Registry, console: Console) throws {
        // Everything that can be wrong with the input is checked before anything runs or is written.
        let registry = try registryOptions.registry(base)
        try registry.validate()
        let selected = try registry.selectProblems(problem.isEmpty ? ["*"] : problem, seed: seed)
        let optimizers = try registry.selectOptimizers(optimizer.isEmpty ? ["*"] : optimizer)
        // This shard's pairs, as optimizer indices per problem; problems without a pair are not run.
        // A non-convex problem's pairs stay together (shard K takes problem index K − 1 mod N): its
        // reference is the best value its runs reached, which needs all of them.
        let shardPlan = selected.indices.map { p in
            let whole = selected[p].problem.referenceIsBestReached
            return optimizers.indices.filter { shard?.contains(whole ? p : p * optimizers.count + $0) ?? true }
        }
        let problems = selected.indices.filter { !shardPlan[$0].isEmpty }.map { selected[$0] }
        let pairs = shardPlan.filter { !$0.isEmpty }
        let loops = LoopReport.loops(problems: problems, plan: pairs.map { $0.map { optimizers[$0] } }, options: options)
        if explain { return console.out(LoopReport.text(loops)) }
        // The configuration names the whole matrix, so every shard and the merged folder carry the unsharded hash.
        var metadata = Metadata(configuration: configuration(problems: selected, optimizers: optimizers), environment: [:])
        let output = self.output ?? (all ? "Results" : "Results/runs/\(metadata.hash)")
        try OutputFolder.checkDestination(output)
        if let b = batchSize {
            for instance in problems {
                if let m = (instance.problem as? any FiniteSumProblem)?.sampleCount, b > m {
                    throw SuiteError("--batch-size \(b) is larger than the \(m) samples of \(instance.label)",
                                     exitCode: SuiteExitCode.usage)
                }
            }
        }
        let grid = tuned ? try Tuning.grid(tuneGrid) : []
        let trials = self.trials
        let sweepTrial = Trial(instance: 0, seed: seed)
        // Every instance a trial or the sweep runs, by problem and instance number.
        let instancesNeeded = (trials.map(\.instance).max() ?? 0) + 1
        let variants = try problems.map { base throws(SpecError) in
            try (0..<instancesNeeded).map { i throws(SpecError) in try registry.instance(i, of: base, seed: seed) }
        }

        // The folder is locked before anything is computed or written: a second suite on it stops here.
        let (folder, cache) = try OutputFolder.prepare(output, hash: metadata.hash, replace: replace, cache: noCache ? nil : self.cache)
        defer { folder.discardIfUnused() }
        let journal: Journal
        do {
            journal = try Journal(output: output)
        } catch let error as SuiteError {
            throw error
        } catch {
            throw SuiteError("cannot create \(output)/.journal: \(error)", exitCode: SuiteExitCode.ioError)
        }

        // What each instance is, by content (parameters, data files' bytes, x₀, f at probe points): part of every
        // journal key, so --resume never reuses a run of data or parameters that have changed since, and of the
        // reference cache's key (computed once here for both).
        var fingerprints: [String: String] = [:]
        for instance in variants.joined() { fingerprints[instance.referenceKey] = instance.contentFingerprint }
        var references = try References.certify(variants.flatMap { $0 }, cache: cache, timeLimit: timeLimit, fingerprints: fingerprints)
        let started = ContinuousClock.now

        Signals.install()
        var plan = pairs.map { $0.map { optimizers[$0] } }
        var tuning: [TuningSweep] = []
        var reused = 0
        // The tuned optimizers run under their own labels (the chosen lr is in tuning.csv and the tables' lr column).
        let recordLabels = pairs.map { $0.map { optimizers[$0].label } }
        if tuned {
            // The sweep: every learning rate of the grid, first seed only, then the choice per (problem, optimizer).
            let lrVariants = try optimizers.map { o in try grid.compactMap { try registry.withLearningRate(o.label, $0) } }
            let sweep = try execute(problems: variants, plan: pairs.map { $0.flatMap { lrVariants[$0] } }, trials: [sweepTrial],
                                    references: references, fingerprints: fingerprints, journal: journal, console: console,
                                    phase: "tuning sweep")
            reused += sweep.reused
            for (p, records) in sweep.records.enumerated() {
                for (slot, o) in pairs[p].enumerated() where !lrVariants[o].isEmpty {
                    let configured = optimizers[o]
                    let candidates = records.filter { r in lrVariants[o].contains { $0.label == r.optimizer } }
                    guard let choice = Tuning.choose(problem: problems[p].label, optimizer: configured.label, candidates: candidates,
                                                     grid: grid) else { continue }
                    tuning.append(choice.sweep)
                    plan[p][slot] = lrVariants[o][choice.index]
                }
            }
        }
        // Non-convex problems: a first pass without f* finds the best value reached, which the measured
        // pass below then uses as f* (NonConvexProblem, OptimumSource.bestReached).
        let nonConvex = problems.indices.filter { problems[$0].problem.referenceIsBestReached }
        if !nonConvex.isEmpty && !interruption.isSet {
            let first = try execute(problems: nonConvex.map { variants[$0] }, plan: nonConvex.map { plan[$0] },
                                    labels: nonConvex.map { recordLabels[$0] }, trials: trials,
                                    references: references, fingerprints: fingerprints, journal: journal, console: console,
                                    phase: "first pass (best value reached)", scouting: true)
            reused += first.reused
            // One reference per instance: the best value reached on it.
            for (i, p) in nonConvex.enumerated() {
                for instance in Set(trials.map(\.instance)) {
                    if let best = References.bestReached(first.records[i].filter { $0.instance == instance }) {
                        references[variants[p][instance].referenceKey] = best
                    }
                }
            }
        }
        let main = try execute(problems: variants, plan: plan, labels: recordLabels, trials: trials, references: references,
                               fingerprints: fingerprints, journal: journal, console: console, phase: tuned ? "tuned runs" : nil)
        reused += main.reused
        let records = main.records.flatMap { $0 }

        metadata.environment = Metadata.currentEnvironment(arguments: CommandLine.arguments)
        metadata.environment["wall_clock_s"] = (ContinuousClock.now - started).seconds
        metadata.environment["jobs"] = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        metadata.environment["isolation"] = isolation.rawValue
        metadata.environment["loops"] = LoopReport.metadata(loops)
        if let shard { metadata.environment["shard"] = shard.description }
        let planned = pairs.map(\.count).reduce(0, +) * trials.count
        metadata.complete = records.count == planned
        let summary = "\(records.count) run\(records.count == 1 ? "" : "s")"
        if !metadata.complete && folder.holdsCompleteResults() {
            // Partial results never replace complete ones: the folder keeps what it held.
            throw SuiteError("interrupted after \(records.count) of \(planned) runs; \(output)/ still holds the complete results it "
                + "held before (left untouched). The finished runs are journaled: run the same command with --resume to do the rest.",
                exitCode: SuiteExitCode.interrupted)
        }
        var set = ResultSet(records: records, references: references,
                            conditionNumbers: References.conditionNumbers(variants.flatMap { $0 }, references), hash: metadata.hash,
                            tuning: tuning)
        set.complete = metadata.complete
        var files = ReportFiles.raw(set, problemOrder: problems.map { ($0.label, $0.problem.dimension) })
        files += ReportFiles.derived(set, profileTarget: profileTarget, latexTargets: try ResultFolder.latexTargets(latexTargets),
                                     bands: try BandMode.option(bands))
        files.append(("metadata.json", metadata.text))
        // The reliability tests interrupt here: after the last run, before the write (FaultInjection).
        if FaultInjection.isEnabled && ProcessInfo.processInfo.environment["DESCENT_FAULT_SIGINT_BEFORE_WRITE"] == "1" { interruption.set() }
        for w in try folder.publish(files, mode: .replace) { console.err("warning: \(w)\n") }
        if metadata.complete { journal.prune() }
        console.out(TerminalTable.printed(records, references: references))
        console.out("\nWrote \(summary) to \(output)/ (run \(metadata.hash)): summary.csv, targets.csv, tables/, plots/, "
            + "metadata.json\(tuned ? ", tuning.csv" : "")\(reused > 0 ? " (\(reused) reused from an earlier invocation)" : "")\n")
        if interruption.isSet {
            guard metadata.complete else {
                throw SuiteError("interrupted after \(records.count) of \(planned) runs; the finished ones are written (marked incomplete "
                    + "in metadata.json). Run the same command with --resume to do the rest.", exitCode: SuiteExitCode.interrupted)
            }
            console.err("Interrupted after every run had finished: the results are complete.\n")
        }
    }

    /// Runs `plan[p]` on problem p for every trial (`problems[p][i]` is its instance i), `jobs` (problem,
    /// trial) pairs at a time, recording run o under `labels[p][o]` (default: its own label); records per
    /// problem, in plan order (trial-major), so the files do not depend on `--jobs`.
    func execute(problems instances: [[ProblemInstance]], plan: [[ConfiguredOptimizer]], labels: [[String]]? = nil, trials: [Trial],
                 references: [String: Optimum], fingerprints: [String: String], journal: Journal, console: Console, phase: String?,
                 scouting: Bool = false) throws
        -> (records: [[RunRecord]], reused: Int) {
        let problems = instances.map { $0[0] }
        let total = plan.map(\.count).reduce(0, +) * trials.count
        let jobs = Swift.max(1, Swift.min(self.jobs ?? ProcessInfo.processInfo.activeProcessorCount, problems.count * trials.count))
        let progress = Progress(console: console, total: total, phase: phase, quiet: quiet)
        let failure = Mutex<SuiteError?>(nil)
        let finished = Mutex<[[[RunRecord]]]>(Array(repeating: Array(repeating: [], count: trials.count), count: problems.count))
        let reused = Atomic<Int>(0)
        let nextItem = Atomic<Int>(0)
        let (dataSeed, resume, isolation, batchSize, baseOptions) = (self.seed, self.resume, self.isolation, self.batchSize, self.options)
        let problemsFolder = registryOptions.problems
        // `jobs` workers take (problem, trial) pairs in turn, with several workers the costliest problems
        // first (so a long one does not start last and keep one core busy alone, and its trials spread
        // over the cores); one pair's runs execute in order within one worker. One worker keeps the
        // selection order.
        let order = jobs > 1 ? Self.startOrder(problems) : Array(problems.indices)
        let items = order.flatMap { p in trials.indices.map { (problem: p, trial: $0) } }
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while !interruption.isSet && failure.withLock({ $0 == nil }) {
                let next = nextItem.wrappingAdd(1, ordering: .relaxed).oldValue
                guard next < items.count else { return }
                let (p, t) = items[next]
                let optimizers = plan[p]
                let recordLabels = labels?[p] ?? optimizers.map(\.label)
                var records: [RunRecord] = []
                trialLoop: do {
                    let trial = trials[t]
                    let instance = instances[p][trial.instance]
                    let runSeed = trial.seed
                    let reference = references[instance.referenceKey]
                    let fStar = reference?.value
                    let bestReached = reference.flatMap { $0.source == .bestReached ? $0.value : nil }
                    let variant = [scouting ? "first pass" : bestReached.map { "best reached \($0)" },
                                   trial.instance > 0 ? "instance \(trial.instance)" : nil].compactMap { $0 }.joined(separator: "; ")
                    var options = baseOptions
                    // The first pass over a non-convex problem records f at every checked iterate, so the
                    // best value reached bounds every f the measured pass evaluates.
                    if scouting && batchSize == nil { options.logEvery = options.checkEvery }
                    options.samplingSeed = Self.samplingSeed(runSeed)
                    options.curvature = Self.curvature(instance.problem, reference)
                    // Decide every pair of this problem first: resumed, skipped, or to run.
                    var outcomes = [RunResult?](repeating: nil, count: optimizers.count)
                    var fromJournal = [Bool](repeating: false, count: optimizers.count)
                    var pending: [Int] = []
                    let content = "content " + (fingerprints[instance.referenceKey] ?? "?")
                    let keys = optimizers.map {
                        Journal.key(problem: instance.label, optimizer: $0.label, seed: runSeed, dataSeed: dataSeed, options: options,
                                    variant: variant.isEmpty ? content : variant + "; " + content)
                    }
                    for (i, configured) in optimizers.enumerated() {
                        if resume, let previous = journal.load(keys[i]) {
                            outcomes[i] = previous.result
                            fromJournal[i] = true
                        } else if let reason = Harness.unfitReason(problem: instance.problem, requirements: configured.requirements,
                                                                   options: options,
                                                                   hasOptimalValue: fStar != nil && bestReached == nil) {
                            outcomes[i] = .skipped(reason.message, optimalValue: fStar)
                        } else {
                            pending.append(i)
                        }
                    }
                    if isolation == .process && !pending.isEmpty {
                        let job = WorkerJob(problem: instance.label, optimizers: pending.map { optimizers[$0].label }, seed: dataSeed,
                                            instance: trial.instance, runSeed: runSeed, batchSize: batchSize, options: options, optimalValue: fStar,
                                            problemsFolder: problemsFolder)
                        for (i, r) in zip(pending, ProcessIsolation.run(job, scratch: journal.scratch("\(instance.label)\u{1}trial \(t)"))) { outcomes[i] = r }
                    } else {
                        for i in pending where !interruption.isSet {
                            outcomes[i] = Harness.run(problem: instance.problem, from: instance.forRun(seed: runSeed),
                                                      method: optimizers[i].method, optimalValue: fStar, options: options)
                        }
                    }
                    var lines: [String] = []
                    for i in optimizers.indices {
                        // An interrupted problem keeps the runs that finished before the interruption.
                        guard let result = outcomes[i], result.status != .interrupted else { break trialLoop }
                        let record = RunRecord(problem: instance.label, dimension: instance.problem.dimension,
                                               optimizer: recordLabels[i], seed: runSeed, batchSize: batchSize,
                                               instance: trial.instance, result: result)
                        if fromJournal[i] {
                            reused.add(1, ordering: .relaxed)
                        } else {
                            do {
                                try journal.store(record, key: keys[i])
                            } catch {
                                failure.withLock { $0 = $0 ?? SuiteError("cannot journal a finished run in \(journal.folder): \(error)",
                                                                         exitCode: SuiteExitCode.ioError) }
                                return
                            }
                        }
                        records.append(record)
                        let which = instanceCount != nil ? " (instance \(trial.instance))" : trials.count > 1 ? " (seed \(runSeed))" : ""
                        lines.append("\(instance.label) × \(recordLabels[i])\(which): "
                            + "\(result.statusDescription) after \(result.iterations) iterations, \(NumberFormat.duration(result.time))")
                    }
                    progress.finished(lines)
                }
                finished.withLock { $0[p][t] = records }
            }
        }
        progress.done()
        if let error = failure.withLock({ $0 }) { throw error }
        // Problems in their selection order, so the tables do not depend on --jobs.
        return (finished.withLock { $0.map { $0.flatMap { $0 } } }, reused.load(ordering: .relaxed))
    }
}
