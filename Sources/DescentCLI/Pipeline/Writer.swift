import DescentCore
import DescentReport
import Foundation

/// Writes a run command's results: the files of the measured runs (``ReportFiles``) and
/// `metadata.json` into the output folder in one switch, then the closing lines on standard output
/// (the top of the ranking with a legend, and the files to open next).
struct Writer {
    let command: RunCommand
    let plan: Plan
    let output: String
    let folder: OutputFolder
    let journal: Journal
    let console: Console

    /// Writes `outcome`; throws exit 130 when interrupted (the finished runs are written unless the folder
    /// holds complete results, which partial ones never replace).
    func write(_ outcome: Scheduler.Outcome, references: [String: Optimum], metadata base: Metadata,
               started: ContinuousClock.Instant) throws {
        let records = outcome.records
        var metadata = base
        metadata.environment = Metadata.currentEnvironment(arguments: CommandLine.arguments)
        metadata.environment["wall_clock_s"] = (ContinuousClock.now - started).seconds
        metadata.environment["jobs"] = command.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        metadata.environment["isolation"] = command.isolation.rawValue
        metadata.environment["loops"] = LoopReport.metadata(plan.loops)
        if let shard = command.shard { metadata.environment["shard"] = shard.description }
        metadata.complete = records.count == outcome.planned
        if !metadata.complete && folder.holdsCompleteResults() {
            // Partial results never replace complete ones: the folder keeps what it held.
            throw SuiteError("interrupted after \(records.count) of \(Progress.runs(outcome.planned)); \(output)/ still holds the complete results "
                + "it held before (left untouched). The finished runs are journaled: run the same command with --resume to do the rest.",
                exitCode: SuiteExitCode.interrupted)
        }
        let variants = plan.variants.flatMap { $0 }
        var set = ResultSet(records: records, references: references,
                            conditionNumbers: References.conditionNumbers(variants, references), hash: metadata.hash,
                            tuning: outcome.tuning)
        set.complete = metadata.complete
        var files = ReportFiles.raw(set, problemOrder: plan.problems.map { ($0.label, $0.problem.dimension) })
        files += ReportFiles.derived(set, profileTarget: command.profileTarget,
                                     latexTargets: try ResultFolder.latexTargets(command.latexTargets),
                                     bands: try BandMode.option(command.bands))
        files.append(("metadata.json", metadata.text))
        // The reliability tests interrupt here: after the last run, before the write (FaultInjection).
        if FaultInjection.isEnabled && ProcessInfo.processInfo.environment["DESCENT_FAULT_SIGINT_BEFORE_WRITE"] == "1" { interruption.set() }
        for w in try folder.publish(files, mode: .replace) { console.err("warning: \(w)\n") }
        if metadata.complete { journal.prune() }
        console.out(Self.closing(records, references: references, output: output, hash: metadata.hash,
                                 problems: Set(records.map(\.problem)).count, tuned: command.tuned, reused: outcome.reused))
        if interruption.isSet {
            guard metadata.complete else {
                throw SuiteError("interrupted after \(records.count) of \(Progress.runs(outcome.planned)); the finished ones are written (marked "
                    + "incomplete in metadata.json). Run the same command with --resume to do the rest.", exitCode: SuiteExitCode.interrupted)
            }
            console.err("Interrupted after every run had finished: the results are complete.\n")
        }
    }

    /// The most runs the closing lists one by one.
    static let runLimit = 20
    /// The ranking's rows shown (the tables have all).
    static let rankingRows = 10

    /// What a finished command prints: the top of the optimizers' ranking (with two or more), its runs
    /// (up to ``runLimit``), each with a legend of its columns, then what was written and what to open next.
    static func closing(_ records: [RunRecord], references: [String: Optimum], output: String, hash: String, problems: Int,
                        tuned: Bool, reused: Int) -> String {
        var text = ""
        let optimizers = Set(records.map(\.optimizer)).count
        if optimizers > 1 {
            let lines = TerminalTable.standings(records, references: references).split(separator: "\n")
            text += "Ranking" + (optimizers > rankingRows ? " (top \(rankingRows) of \(optimizers) optimizers; all in tables/tables.md)" : "")
                + ":\n" + lines.prefix(2 + rankingRows).joined(separator: "\n") + "\n\n"
            text += TerminalTable.align([
                ["score", "the share of its (problem, target, run) attempts that reached the target f − f* ≤ 1e-1 … 1e-8 (ranks by it)"],
                ["problems", "the problems it ran on (not skipped)"],
                ["runs reaching", "those attempts: reached / made"],
                ["targets reached", "(problem, target) cells that every run reached / cells"],
                ["converged", "its runs that reached --tolerance / its runs"],
                ["diverged", "its runs that diverged"],
                ["median work ratio", "gradient evaluations to a target over the fewest any optimizer needed (1 = the fastest)"],
            ], rule: false)
        }
        if records.count <= runLimit {
            text += (text.isEmpty ? "" : "\n") + runs(records) + "\n"
            var legend = [["status", "how the run ended (below)"]]
            if Set(records.map(\.instance)).count > 1 { legend.append(["instance", "the problem's instance (its data or start point)"]) }
            if Set(records.map(\.seed)).count > 1 && Set(records.map(\.instance)).count == 1 { legend.append(["seed", "the run's seed"]) }
            legend += [["iters", "optimizer steps taken"],
                       ["f − f*", "the final gap to the reference optimum f* (certified, or the best value reached)"],
                       ["‖∇f‖", "the final gradient norm"], ["time", "the run's wall-clock time"]]
            legend += statusLegend(records).map { ["  " + $0.0, $0.1] }
            text += TerminalTable.align(legend, rule: false)
        }
        let runs = records.count == 1 ? "1 run" : "\(records.count) runs"
        let over = problems == 1 ? "1 problem" : "\(problems) problems"
        text += "\nWrote \(runs) over \(over) to \(output)/ (run \(hash))"
            + (reused > 0 ? " (\(reused) reused from an earlier invocation)" : "") + ". Open next:\n"
        var next: [(String, String)] = [
            ("\(output)/tables/tables.md", "the ranking and one table per problem"),
            ("\(output)/summary.csv", "one row per run: status, iterations, f − f*, …"),
        ]
        if tuned { next.append(("\(output)/tables/tuning.md", "the learning-rate sweep and the rate chosen")) }
        next.append(("suite report --html \(output)", "adds \(output)/index.html: every table and plot on one page"))
        let width = next.map(\.0.count).max() ?? 0
        for (item, what) in next { text += "  " + item + String(repeating: " ", count: width - item.count) + "   " + what + "\n" }
        return text
    }

    /// One line per run: problem, optimizer, (instance or seed where they vary), status, iterations, f − f*, ‖∇f‖, time.
    static func runs(_ records: [RunRecord]) -> String {
        let instances = Set(records.map(\.instance)).count > 1
        let seeds = !instances && Set(records.map(\.seed)).count > 1
        let header = ["problem", "optimizer"] + (instances ? ["instance"] : seeds ? ["seed"] : []) + ["status", "iters", "f − f*", "‖∇f‖", "time"]
        let rows = records.map { r -> [String] in
            let which = instances ? [String(r.instance)] : seeds ? [String(r.seed)] : []
            guard r.result.status != .skipped else { return [r.problem, r.optimizer] + which + [r.result.statusDescription, "–", "–", "–", "–"] }
            return [r.problem, r.optimizer] + which + [
                r.result.statusDescription, String(r.result.iterations), r.result.suboptimality.map { NumberFormat.scientific($0) } ?? "–",
                NumberFormat.scientific(r.result.gradientNorm), NumberFormat.duration(r.result.time),
            ]
        }
        let k = header.count
        return TerminalTable.align([header] + rows, rightAligned: Set([k - 4, k - 3, k - 2, k - 1] + (instances || seeds ? [2] : [])))
    }

    /// What each status among `records` means, in table order.
    static func statusLegend(_ records: [RunRecord]) -> [(String, String)] {
        let meaning: [RunStatus: String] = [
            .converged: "reached --tolerance (on f − f*, or on ‖∇f‖ without f*)",
            .maxIterations: "took --max-iterations steps without converging",
            .stalled: "no new best f for --patience iterations",
            .diverged: "f grew without bound or became NaN",
            .timeout: "over --time-limit",
            .crashed: "its worker process died (the note in summary.csv says how)",
            .interrupted: "stopped by Ctrl-C",
            .skipped: "the optimizer does not apply to the problem (why: the note)",
        ]
        let present = Set(records.map(\.result.status)).sorted { $0.rank < $1.rank }
        return present.map { ($0.rawValue.replacingOccurrences(of: "_", with: " "), meaning[$0] ?? "") }
    }
}
