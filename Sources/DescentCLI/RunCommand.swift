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
        abstract: "Run optimizers on problems and write summary.csv, summary.md, reference.csv and traces/."
    )

    @OptionGroup var instances: RegistryOptions

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

    @Option(name: .long, help: "Stop as 'stalled' after this many iterations without a new best f.")
    var patience: Int = RunOptions().patience

    @Option(name: .long, help: "Mini-batch size for finite-sum problems (1 = SGD); default: full batch.")
    var batchSize: Int?

    @Option(name: .long, help: "Seed for generated problem data and for the per-epoch shuffles of stochastic runs.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Folder for the results.")
    var output: String = "Results"

    @Flag(name: .long, help: "Print no progress lines.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Where runs execute: 'process' (one child process per run: a crash or hang costs only that run) or 'none' (in this process).", valueName: "mode"))
    var isolation: Isolation = .process

    @Option(name: .long, help: "Wall-clock seconds per run; over it the run ends as 'timeout' (a worker is killed 1 s later).")
    var timeLimit: Double?

    @Flag(name: .long, help: "Keep the runs already finished in --output (same configuration and suite version) and run only the rest.")
    var resume = false

    @Option(name: .long, help: "Problems run at the same time (default: the number of cores); results do not depend on it.")
    var jobs: Int?

    @Option(name: .long, help: "Reference cache file (certified f* per instance).")
    var cache: String = References.defaultCache

    @Flag(name: .long, help: "Recompute reference optima instead of reading or writing the cache.")
    var noCache = false

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
        guard patience >= 1 else { throw ValidationError("--patience must be >= 1, got \(patience)") }
        if let b = batchSize, b < 1 { throw ValidationError("--batch-size must be >= 1, got \(b)") }
        if let j = jobs, j < 1 { throw ValidationError("--jobs must be >= 1, got \(j)") }
        if let t = timeLimit, !(t > 0 && t.isFinite) { throw ValidationError("--time-limit must be a number of seconds > 0, got \(t)") }
        guard !output.isEmpty else { throw ValidationError("--output must name a folder") }
    }

    var options: RunOptions {
        RunOptions(maxIterations: maxIterations, tolerance: tolerance, logEvery: logEvery, patience: patience,
                   batchSize: batchSize, samplingSeed: Self.samplingSeed(seed), timeLimit: timeLimit,
                   cancellation: interruption)
    }

    /// The shuffling seed derived from `--seed` (a different stream from the problem data's).
    static func samplingSeed(_ seed: UInt64) -> UInt64 { seed ^ 0xD1B5_4A32_D192_ED03 }

    func run() throws { var copy = self; try copy.run(registry: .standard, console: .standard) }

    mutating func run(registry base: Registry, console: Console) throws {
        // Everything that can be wrong with the input is checked before anything runs or is written.
        let registry = try instances.registry(base)
        try registry.validate()
        let problems = try registry.selectProblems(problem.isEmpty ? ["*"] : problem, seed: seed)
        let optimizers = try registry.selectOptimizers(optimizer.isEmpty ? ["*"] : optimizer)
        try ResultWriter.checkDestination(output)
        if let b = batchSize {
            for instance in problems {
                if let m = (instance.problem as? any FiniteSumProblem)?.sampleCount, b > m {
                    throw SuiteError("--batch-size \(b) is larger than the \(m) samples of \(instance.label)",
                                     exitCode: SuiteExitCode.usage)
                }
            }
        }

        let references = try References.certify(problems, cachePath: noCache ? nil : cache)

        Signals.install()
        let journal: Journal
        do {
            journal = try Journal(output: output, resume: resume)
        } catch {
            throw SuiteError("cannot create \(output)/.journal: \(error)", exitCode: SuiteExitCode.ioError)
        }
        let total = problems.count * optimizers.count
        let jobs = Swift.max(1, Swift.min(self.jobs ?? ProcessInfo.processInfo.activeProcessorCount, problems.count))
        let progress = SharedConsole(console)
        let failure = Mutex<SuiteError?>(nil)
        let finished = Mutex<[[RunRecord]?]>(Array(repeating: nil, count: problems.count))
        let reused = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let nextProblem = Atomic<Int>(0)
        let (seed, resume, isolation, batchSize, quiet, options) = (self.seed, self.resume, self.isolation, self.batchSize, self.quiet, self.options)
        let problemsFolder = instances.problems
        // `jobs` workers take problems in turn; each problem's runs execute in order within one worker.
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while !interruption.isSet && failure.withLock({ $0 == nil }) {
                let p = nextProblem.wrappingAdd(1, ordering: .relaxed).oldValue
                guard p < problems.count else { return }
                let instance = problems[p]
                let fStar = references[instance.label]?.value
                // Decide every pair of this problem first: resumed, skipped, or to run.
                var outcomes = [RunResult?](repeating: nil, count: optimizers.count)
                var fromJournal = [Bool](repeating: false, count: optimizers.count)
                var pending: [Int] = []
                for (i, configured) in optimizers.enumerated() {
                    let key = Journal.key(problem: instance.label, optimizer: configured.label, seed: seed, options: options)
                    if resume, let previous = journal.load(key) {
                        outcomes[i] = previous.result
                        fromJournal[i] = true
                    } else if let reason = Harness.unfitReason(problem: instance.problem, requirements: configured.requirements,
                                                               options: options) {
                        outcomes[i] = .skipped(reason, optimalValue: fStar)
                    } else {
                        pending.append(i)
                    }
                }
                if isolation == .process && !pending.isEmpty {
                    let job = WorkerJob(problem: instance.label, optimizers: pending.map { optimizers[$0].label }, seed: seed,
                                        batchSize: batchSize, options: options, optimalValue: fStar, problemsFolder: problemsFolder)
                    for (i, r) in zip(pending, ProcessIsolation.run(job, scratch: journal.scratch(instance.label))) { outcomes[i] = r }
                } else {
                    for i in pending where !interruption.isSet {
                        outcomes[i] = Harness.run(problem: instance.problem, method: optimizers[i].method, optimalValue: fStar,
                                                  options: options)
                    }
                }
                var records: [RunRecord] = []
                var lines = ""
                for (i, configured) in optimizers.enumerated() {
                    // An interrupted problem keeps the runs that finished before the interruption.
                    guard let result = outcomes[i], result.status != .interrupted else { break }
                    let record = RunRecord(problem: instance.label, dimension: instance.problem.dimension,
                                           optimizer: configured.label, seed: seed, batchSize: batchSize, result: result)
                    if fromJournal[i] {
                        reused.add(1, ordering: .relaxed)
                    } else {
                        let key = Journal.key(problem: instance.label, optimizer: configured.label, seed: seed, options: options)
                        do {
                            try journal.store(record, key: key)
                        } catch {
                            failure.withLock { $0 = $0 ?? SuiteError("cannot journal a finished run in \(journal.folder): \(error)",
                                                                     exitCode: SuiteExitCode.ioError) }
                            return
                        }
                    }
                    records.append(record)
                    let count = done.add(1, ordering: .relaxed).newValue
                    lines += "[\(count)/\(total)] \(instance.label) × \(configured.label): \(result.statusDescription) after "
                        + "\(result.iterations) iterations, \(NumberFormat.duration(result.time))\n"
                }
                if !quiet { progress.err(lines) }
                finished.withLock { $0[p] = records }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        // Problems in their selection order, so the tables do not depend on --jobs.
        let records = finished.withLock { $0.compactMap { $0 }.flatMap { $0 } }
        let resumed = reused.load(ordering: .relaxed)

        let files = ResultFiles.render(records: records, problems: problems, references: references)
        do {
            try ResultWriter.write(files, to: output)
        } catch {
            throw SuiteError("\(error)", exitCode: SuiteExitCode.ioError)
        }
        console.out(TerminalTable.summary(records))
        console.out("\nWrote \(records.count) runs to \(output)/: summary.csv, summary.md, reference.csv, "
            + "traces/<problem>/<optimizer>.csv\(resumed > 0 ? " (\(resumed) reused from an earlier invocation)" : "")\n")
        if interruption.isSet {
            throw SuiteError("interrupted after \(records.count) of \(total) runs; the finished ones are written. "
                + "Run the same command with --resume to do the rest.", exitCode: SuiteExitCode.interrupted)
        }
    }
}

/// Where runs execute.
enum Isolation: String, ExpressibleByArgument, CaseIterable {
    /// One child process per run.
    case process
    /// In the suite's own process.
    case none
}

/// A console several workers may print to; each call prints whole.
final class SharedConsole: @unchecked Sendable {
    private let console: Console
    private let lock = Mutex<Void>(())

    init(_ console: Console) { self.console = console }

    func err(_ text: String) {
        guard !text.isEmpty else { return }
        lock.withLock { _ in console.err(text) }
    }
}
