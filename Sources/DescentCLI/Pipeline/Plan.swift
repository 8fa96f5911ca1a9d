import DescentCore
import DescentReference
import DescentReport
import Foundation

/// The passes a run command makes, in this order; each runs only when it has work.
enum Pass: String, Codable, Sendable, CaseIterable {
    /// The certified f* of every instance (before any run; from the cache where it holds them).
    case references
    /// `--tune`: every learning rate of the grid on instance 0 with the first seed.
    case sweep
    /// Non-convex problems: runs without f* that find the best value reached, the measured pass's f*.
    case firstPass
    /// The runs the tables, plots and profiles are made of.
    case measured

    /// Its name in the progress display.
    var name: String {
        switch self {
        case .references: return "reference optima"
        case .sweep: return "tuning sweep"
        case .firstPass: return "first pass"
        case .measured: return "measured runs"
        }
    }

    /// What it is for, in one line.
    var explanation: String {
        switch self {
        case .references:
            return "certifies f* of each instance (kept in the reference cache, so the next run skips this)"
        case .sweep:
            return "each learning rate of --tune-grid on instance 0, to choose one per (problem, optimizer)"
        case .firstPass:
            return "non-convex problems have no certified f*: these runs find the best value reached, "
                + "which the measured runs then use as f*"
        case .measured:
            return "the runs the tables, plots and profiles are made of"
        }
    }
}

/// What a `suite run` command will run, computed from its options and the registry alone: nothing is
/// run or written, and only the problems the selection names are built (their data read). The plan
/// names the matrix (every selected problem and optimizer: the configuration hash), this shard's pairs,
/// the instances and trials, and for each pass its jobs (``jobs(_:references:workers:)``).
struct Plan: Sendable {
    /// The registry with the problem files (`--problems`).
    let registry: Registry
    /// Every selected problem and optimizer: the matrix the configuration names (all shards).
    let selected: [ProblemInstance]
    let optimizers: [ConfiguredOptimizer]
    /// This shard's problems, in selection order, and per problem the indices of its optimizers.
    let problems: [ProblemInstance]
    let pairs: [[Int]]
    /// `variants[p][i]`: instance i of `problems[p]`, for every instance a trial or the sweep runs.
    let variants: [[ProblemInstance]]
    /// The trials of the first and measured passes, and the sweep's one.
    let trials: [Trial]
    let sweepTrial: Trial
    /// The learning rates of `--tune` (empty without it) and, per optimizer, its variant at each of them
    /// (empty for an optimizer without a learning rate: it is not tuned).
    let grid: [Double]
    let gridVariants: [[ConfiguredOptimizer]]
    /// The problems whose reference is the best value reached (indices into ``problems``).
    let nonConvex: [Int]
    /// The run settings every job starts from (its seed and reference are added per job).
    let settings: Job.Settings
    /// `--seed`: the seed of generated problem data.
    let dataSeed: UInt64
    /// `--problems`, passed on to workers.
    let problemsFolder: String?
    /// Whether progress lines name a run's instance (`--instances`) or its seed (several seeds).
    let trialNaming: TrialNaming

    enum TrialNaming: Sendable { case none, instance, seed }

    /// The plan of `command` over `base` (with the command's `--problems` added). Throws a
    /// ``SuiteError`` (exit 64) or a ``SpecError`` for a selection that cannot run.
    init(_ command: RunCommand, registry: Registry) throws {
        self.registry = registry
        let seed = command.seed
        let selected = try registry.selectProblems(command.problem.isEmpty ? ["*"] : command.problem, seed: seed)
        let optimizers = try registry.selectOptimizers(command.optimizer.isEmpty ? ["*"] : command.optimizer)
        (self.selected, self.optimizers) = (selected, optimizers)
        // This shard's pairs, as optimizer indices per problem; problems without a pair are not run.
        // A non-convex problem's pairs stay together (shard K takes problem index K − 1 mod N): its
        // reference is the best value its runs reached, which needs all of them.
        let shardPlan = selected.indices.map { p in
            let whole = selected[p].problem.referenceIsBestReached
            return optimizers.indices.filter { command.shard?.contains(whole ? p : p * optimizers.count + $0) ?? true }
        }
        let problems = selected.indices.filter { !shardPlan[$0].isEmpty }.map { selected[$0] }
        (self.problems, pairs) = (problems, shardPlan.filter { !$0.isEmpty })
        if let b = command.batchSize {
            for instance in problems {
                if let m = (instance.problem as? any FiniteSumProblem)?.sampleCount, b > m {
                    throw SuiteError("--batch-size \(b) is larger than the \(m) samples of \(instance.label)",
                                     exitCode: SuiteExitCode.usage)
                }
            }
        }
        let grid = command.tuned ? try Tuning.grid(command.tuneGrid) : []
        let trials = command.trials
        (self.grid, self.trials) = (grid, trials)
        sweepTrial = Trial(instance: 0, seed: seed)
        let instancesNeeded = (trials.map(\.instance).max() ?? 0) + 1
        variants = try problems.map { base throws(SpecError) in
            try (0..<instancesNeeded).map { i throws(SpecError) in try registry.instance(i, of: base, seed: seed) }
        }
        gridVariants = try optimizers.map { o in try grid.compactMap { try registry.withLearningRate(o.label, $0) } }
        nonConvex = problems.indices.filter { problems[$0].problem.referenceIsBestReached }
        settings = Job.Settings(maxIterations: command.maxIterations, tolerance: command.tolerance, logEvery: command.logEvery,
                                patience: command.patience, batchSize: command.batchSize, samplingSeed: Self.samplingSeed(seed),
                                shuffle: command.shuffle, checkEvery: command.checkEvery, timeLimit: command.timeLimit)
        dataSeed = seed
        problemsFolder = command.registryOptions.problems
        trialNaming = command.instanceCount != nil ? .instance : trials.count > 1 ? .seed : .none
    }

    /// The shuffling seed of a run with seed `seed` (a different stream from the problem data's).
    static func samplingSeed(_ seed: UInt64) -> UInt64 { seed ^ 0xD1B5_4A32_D192_ED03 }

    // MARK: Passes

    /// What one pass runs: for each of its problems (indices into ``problems``), the optimizers in
    /// order with the label their records take, on every trial of the pass.
    struct PassPlan: Sendable {
        var pass: Pass
        var problems: [Int]
        var runs: [[Run]]
        var trials: [Trial]
        /// The number of runs.
        var count: Int { runs.map(\.count).reduce(0, +) * trials.count }
    }

    /// One optimizer of a pass: the configuration that runs, and the label its record takes (a tuned
    /// optimizer runs at its chosen learning rate under its own label).
    struct Run: Sendable {
        var optimizer: ConfiguredOptimizer
        var label: String
    }

    /// The optimizers each problem runs before tuning: its pairs.
    var untuned: [[ConfiguredOptimizer]] { pairs.map { $0.map { optimizers[$0] } } }

    /// The loop of the harness (``RunLoop``) each pair of this shard takes, by problem then optimizer:
    /// `--explain` prints it, `metadata.json` records it.
    var loops: [(String, [(String, DescentCore.RunLoop)])] {
        LoopReport.loops(problems: problems, plan: untuned, options: settings.options(cancellation: nil))
    }

    /// The sweep: every grid value of every optimizer with a learning rate, on the sweep trial.
    var sweep: PassPlan {
        let runs = pairs.map { $0.flatMap { o in gridVariants[o].map { Run(optimizer: $0, label: $0.label) } } }
        return PassPlan(pass: .sweep, problems: Array(problems.indices), runs: runs, trials: [sweepTrial])
    }

    /// The first pass over the non-convex problems, with `chosen` optimizers per problem (``untuned`` or the sweep's choice).
    func firstPass(_ chosen: [[ConfiguredOptimizer]]) -> PassPlan {
        PassPlan(pass: .firstPass, problems: nonConvex, runs: nonConvex.map { runs(chosen, $0) }, trials: trials)
    }

    /// The measured pass over every problem.
    func measured(_ chosen: [[ConfiguredOptimizer]]) -> PassPlan {
        PassPlan(pass: .measured, problems: Array(problems.indices), runs: problems.indices.map { runs(chosen, $0) }, trials: trials)
    }

    private func runs(_ chosen: [[ConfiguredOptimizer]], _ p: Int) -> [Run] {
        zip(chosen[p], pairs[p]).map { Run(optimizer: $0.0, label: optimizers[$0.1].label) }
    }

    /// The passes this command makes, with the untuned optimizers (the counts do not depend on the choice).
    var passes: [PassPlan] {
        let first = firstPass(untuned)
        return (grid.isEmpty || sweep.count == 0 ? [] : [sweep]) + (first.count == 0 ? [] : [first]) + [measured(untuned)]
    }

    /// The sweep's choice per (problem, optimizer), and the whole sweep for `tuning.csv`; `records[i]`
    /// are the sweep's records of `problems[i]`.
    func tuned(by records: [[RunRecord]]) -> (chosen: [[ConfiguredOptimizer]], sweeps: [TuningSweep]) {
        var chosen = untuned
        var sweeps: [TuningSweep] = []
        for (p, records) in records.enumerated() {
            for (slot, o) in pairs[p].enumerated() where !gridVariants[o].isEmpty {
                let configured = optimizers[o]
                let candidates = records.filter { r in gridVariants[o].contains { $0.label == r.optimizer } }
                guard let choice = Tuning.choose(problem: problems[p].label, optimizer: configured.label, candidates: candidates,
                                                 grid: grid) else { continue }
                sweeps.append(choice.sweep)
                chosen[p][slot] = gridVariants[o][choice.index]
            }
        }
        return (chosen, sweeps)
    }

    /// The best value reached on each instance of each non-convex problem, by reference key;
    /// `records[i]` are the first pass's records of `problems[nonConvex[i]]`.
    func bestReached(_ records: [[RunRecord]]) -> [String: Optimum] {
        var out: [String: Optimum] = [:]
        for (i, p) in nonConvex.enumerated() {
            for instance in Set(trials.map(\.instance)) {
                if let best = References.bestReached(records[i].filter { $0.instance == instance }) {
                    out[variants[p][instance].referenceKey] = best
                }
            }
        }
        return out
    }

    // MARK: Jobs

    /// The jobs of `pass`: one per (problem, trial), in start order. With several workers the costliest
    /// problems start first (so a long one does not start last and keep one core busy alone, and its
    /// trials spread over the cores); one worker keeps the selection order. Only the start order: the
    /// files keep the selection order (``Job/slot``).
    func jobs(_ pass: PassPlan, references: [String: Optimum], workers: Int) -> [Job] {
        let instances = pass.problems.map { problems[$0] }
        let order = workers > 1 ? RunCommand.startOrder(instances) : Array(instances.indices)
        return order.flatMap { i in pass.trials.indices.map { t in job(pass, slot: i, trial: t, references: references) } }
    }

    /// The job of problem `slot` of `pass` on its trial `t`.
    func job(_ pass: PassPlan, slot: Int, trial t: Int, references: [String: Optimum]) -> Job {
        let p = pass.problems[slot]
        let trial = pass.trials[t]
        let instance = variants[p][trial.instance]
        let reference = references[instance.referenceKey]
        var settings = self.settings
        // The first pass over a non-convex problem records f at every checked iterate, so the best
        // value reached bounds every f the measured pass evaluates.
        if pass.pass == .firstPass && settings.batchSize == nil { settings.logEvery = settings.checkEvery }
        settings.samplingSeed = Self.samplingSeed(trial.seed)
        settings.curvature = RunCommand.curvature(instance.problem, reference).map(Job.Bounds.init)
        return Job(pass: pass.pass, slot: slot, trial: t, problem: instance.label, dataSeed: dataSeed, instance: trial.instance,
                   runSeed: trial.seed, optimizers: pass.runs[slot].map(\.optimizer.label), labels: pass.runs[slot].map(\.label),
                   settings: settings, optimalValue: reference?.value,
                   bestReached: reference?.source == .bestReached ? reference?.value : nil, problemsFolder: problemsFolder)
    }

    /// The instances whose f* is certified before the runs (not the non-convex problems': theirs is the best value reached).
    var certified: [ProblemInstance] { variants.flatMap { $0 }.filter { !$0.problem.referenceIsBestReached } }

    /// The instance a job runs on (built once, here, for every job of the command).
    func instance(of job: Job, in pass: PassPlan) -> ProblemInstance { variants[pass.problems[job.slot]][job.instance] }
}

extension Plan {
    /// The plan as text, a line per pass and per job, in start order with `workers` (what the golden
    /// tests compare): `  rosenbrock instance 1 seed 1: adam, gd`. Jobs after the sweep list the
    /// optimizers as selected; each runs at the learning rate the sweep chooses.
    func text(workers: Int = 1) -> String {
        let passes = self.passes
        var out = ""
        for (k, pass) in passes.enumerated() {
            out += "phase \(k + 1) of \(passes.count): \(pass.pass.name), \(Progress.runs(pass.count))\n"
            for job in jobs(pass, references: [:], workers: workers) {
                out += "  \(job.problem) instance \(job.instance) seed \(job.runSeed): \(job.optimizers.joined(separator: ", "))\n"
            }
        }
        return out
    }
}

extension Plan {
    /// The certified f* of every instance (``References/certify(_:cache:timeLimit:fingerprints:started:finished:)``),
    /// shown as the progress display's first phase, by reference key.
    func certify(cache: ReferenceCache?, timeLimit: Double?, fingerprints: [String: String], progress: Progress) throws -> [String: Optimum] {
        let variants = self.variants.flatMap { $0 }
        let kinds = variants.map { CostModel.Kind(problem: $0.label, optimizer: "certificate", size: 1, dimension: Double($0.problem.dimension)) }
        let certified = variants.indices.filter { !variants[$0].problem.referenceIsBestReached }
        if !certified.isEmpty { progress.begin(.references, kinds: certified.map { kinds[$0] }, workers: 1) }
        defer { if !certified.isEmpty { progress.end() } }
        return try References.certify(variants, cache: cache, timeLimit: timeLimit, fingerprints: fingerprints,
                                      started: { progress.started("\($0)", kinds[$0]) },
                                      finished: { progress.finished("\($0)", kinds[$0], ran: true) })
    }
}
