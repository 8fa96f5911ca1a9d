import DescentCore
import DescentReport
import Dispatch
import Foundation
import Synchronization

/// Runs a ``Plan``'s passes: the tuning sweep (with `--tune`), the first pass over non-convex problems,
/// then the measured runs; each pass's jobs on a pool of `workers` threads, each job in this process
/// or in a worker process (``Isolation``), finished runs journaled (and with `--resume` taken from
/// the journal instead of run again), progress reported run by run.
struct Scheduler {
    let plan: Plan
    let journal: Journal
    /// Content fingerprints by reference key (part of every journal key).
    let fingerprints: [String: String]
    /// `--jobs`: jobs at a time (default: the number of cores).
    let workers: Int?
    let isolation: Isolation
    let resume: Bool
    let progress: Progress

    /// What the passes produced.
    struct Outcome {
        /// The measured runs, problems in selection order, trial-major (independent of `--jobs`).
        var records: [RunRecord]
        /// The tuning sweep of every tuned (problem, optimizer).
        var tuning: [TuningSweep]
        /// Runs taken from the journal (`--resume`).
        var reused: Int
        /// The measured runs the plan holds (fewer records: interrupted).
        var planned: Int
    }

    /// Makes every pass; `references` gains the best values reached of the non-convex problems.
    func run(references: inout [String: Optimum]) throws -> Outcome {
        var reused = 0
        var chosen = plan.untuned
        var tuning: [TuningSweep] = []
        if !plan.grid.isEmpty {
            let sweep = try execute(plan.sweep, references: references)
            reused += sweep.reused
            (chosen, tuning) = plan.tuned(by: sweep.records)
        }
        let first = plan.firstPass(chosen)
        if first.count > 0 && !interruption.isSet {
            let scouted = try execute(first, references: references)
            reused += scouted.reused
            references.merge(plan.bestReached(scouted.records)) { _, best in best }
        }
        let measured = plan.measured(chosen)
        let main = try execute(measured, references: references)
        reused += main.reused
        return Outcome(records: main.records.flatMap { $0 }, tuning: tuning, reused: reused, planned: measured.count)
    }

    /// Runs the jobs of `pass`, `workers` at a time; records per problem of the pass, in its order.
    func execute(_ pass: Plan.PassPlan, references: [String: Optimum]) throws -> (records: [[RunRecord]], reused: Int) {
        let threads = Swift.max(1, Swift.min(workers ?? ProcessInfo.processInfo.activeProcessorCount, pass.problems.count * pass.trials.count))
        let jobs = plan.jobs(pass, references: references, workers: threads)
        // What a gradient of each problem costs, the ETA's prior for problems no run has finished on yet.
        let sizes = progress.isQuiet ? pass.problems.map { _ in 1.0 } : pass.problems.map { CostModel.probe(plan.problems[$0].problem) }
        let dimensions = pass.problems.map { Double(plan.problems[$0].problem.dimension) }
        let kind: @Sendable (Job, String) -> CostModel.Kind = { job, optimizer in
            CostModel.Kind(problem: job.problem, optimizer: optimizer, size: sizes[job.slot], dimension: dimensions[job.slot])
        }
        progress.begin(pass.pass, jobs: jobs.map { job in job.labels.map { kind(job, $0) } }, workers: threads)
        defer { progress.end() }
        let failure = Mutex<(any Error)?>(nil)
        let finished = Mutex(Array(repeating: Array(repeating: [RunRecord](), count: pass.trials.count), count: pass.problems.count))
        let reused = Atomic<Int>(0)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while !interruption.isSet && failure.withLock({ $0 == nil }) {
                let n = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard n < jobs.count else { return }
                let job = jobs[n]
                do {
                    let (records, fromJournal) = try perform(job, pass, index: n, kind: kind)
                    reused.add(fromJournal, ordering: .relaxed)
                    finished.withLock { $0[job.slot][job.trial] = records }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        // Problems in their selection order, so the tables do not depend on --jobs.
        return (finished.withLock { $0.map { $0.flatMap { $0 } } }, reused.load(ordering: .relaxed))
    }

    /// Runs one job: each optimizer's run is taken from the journal (`--resume`), skipped as unfit, or run.
    /// Returns its records in optimizer order up to the first run an interruption stopped (finished runs
    /// are kept), and the number taken from the journal.
    func perform(_ job: Job, _ pass: Plan.PassPlan, index n: Int, kind: @escaping (Job, String) -> CostModel.Kind) throws -> (records: [RunRecord], reused: Int) {
        let instance = plan.instance(of: job, in: pass)
        let runs = pass.runs[job.slot]
        let options = job.settings.options(cancellation: interruption)
        let keys = journalKeys(job, instance: instance, options: options)
        var outcomes = [RunResult?](repeating: nil, count: runs.count)
        var fromJournal = [Bool](repeating: false, count: runs.count)
        var pending: [Int] = []
        for (i, run) in runs.enumerated() {
            if resume, let previous = journal.load(keys[i]) {
                outcomes[i] = previous.result
                fromJournal[i] = true
            } else if let reason = Harness.unfitReason(problem: instance.problem, requirements: run.optimizer.requirements, options: options,
                                                       hasOptimalValue: job.optimalValue != nil && job.bestReached == nil) {
                outcomes[i] = .skipped(reason.message, optimalValue: job.optimalValue)
            } else {
                pending.append(i)
                continue
            }
            progress.finished(runID(job, i), kind(job, run.label), job: n, ran: false)
        }
        // What the job reports, with indices into `pending`.
        let events = Job.Events(started: { k in
            progress.started(runID(job, pending[k]), kind(job, job.labels[pending[k]]), job: n)
        }, finished: { k, result in
            let i = pending[k]
            outcomes[i] = result
            let failed = [.crashed, .timeout].contains(result.status)
            progress.finished(runID(job, i), kind(job, job.labels[i]), job: n, ran: result.status != .interrupted,
                              event: failed ? "\(describe(job, i)): \(result.statusDescription)" : nil)
        })
        let work = job.only(pending)
        if isolation == .process && !pending.isEmpty {
            _ = ProcessIsolation.run(work, scratch: journal.scratch("\(instance.label)\u{1}\(pass.pass) trial \(job.trial)"), events: events)
        } else if !pending.isEmpty {
            try work.execute(on: instance, optimizers: pending.map { runs[$0].optimizer }, cancellation: interruption, events: events)
        }
        // An interrupted job keeps the runs that finished before the interruption.
        let kept = outcomes.prefix { $0 != nil && $0?.status != .interrupted }.compactMap { $0 }
        var records: [RunRecord] = []
        for (i, result) in kept.enumerated() {
            let record = RunRecord(problem: instance.label, dimension: instance.problem.dimension, optimizer: job.labels[i],
                                   seed: job.runSeed, batchSize: job.settings.batchSize, instance: job.instance, result: result)
            if !fromJournal[i] {
                do {
                    try journal.store(record, key: keys[i])
                } catch {
                    throw SuiteError("cannot journal a finished run in \(journal.folder): \(error)", exitCode: SuiteExitCode.ioError)
                }
            }
            records.append(record)
        }
        return (records, kept.indices.filter { fromJournal[$0] }.count)
    }

    /// The journal key of each run of `job`: problem, optimizer, seeds, options and what the run's f* is.
    func journalKeys(_ job: Job, instance: ProblemInstance, options: RunOptions) -> [String] {
        let variant = [job.pass == .firstPass ? "first pass" : job.bestReached.map { "best reached \($0)" },
                       job.instance > 0 ? "instance \(job.instance)" : nil].compactMap { $0 }.joined(separator: "; ")
        let content = "content " + (fingerprints[instance.referenceKey] ?? "?")
        return job.optimizers.map {
            Journal.key(problem: instance.label, optimizer: $0, seed: job.runSeed, dataSeed: job.dataSeed, options: options,
                        variant: variant.isEmpty ? content : variant + "; " + content)
        }
    }

    /// `problem × optimizer (instance 2)`: a run as progress lines name it.
    func describe(_ job: Job, _ i: Int) -> String {
        let which: String
        switch plan.trialNaming {
        case .instance: which = " (instance \(job.instance))"
        case .seed: which = " (seed \(job.runSeed))"
        case .none: which = ""
        }
        return "\(job.problem) × \(job.labels[i])\(which)"
    }

    private func runID(_ job: Job, _ i: Int) -> String { "\(job.slot).\(job.trial).\(i)" }
}
