import DescentCore
import DescentReport

/// The learning-rate tuning protocol of `--tune`.
///
/// 1. For each problem and each optimizer with a learning rate `lr`, run every value of a log grid
///    (default 36 points from 10⁻⁵ to 10², DeepOBS's grid), rounded to 3 significant digits, with the first seed.
/// 2. Choose, per (problem, optimizer), the value whose run ranks first by the tables' row order:
///    most targets reached, then least work to the tightest target reached, then smallest final
///    f − f*, then the smaller learning rate.
/// 3. Run the chosen value with every requested seed; those runs make the tables.
/// `tuning.csv`, `tables/tuning.md`, `tables/tuning-<problem>.tex` and `plots/tuning-<problem>.svg|tex` show the whole sweep.
enum Tuning {
    static let defaultGrid = "1e-5:1e2:36"

    /// The learning rates of `LOW:HIGH:POINTS` (log-spaced, 3 significant digits, duplicates dropped).
    static func grid(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let lo = Double(parts[0]), let hi = Double(parts[1]), let n = Int(parts[2]),
              lo > 0, hi > lo, lo.isFinite, hi.isFinite, n >= 2, n <= 1000 else {
            throw SuiteError("--tune-grid must be LOW:HIGH:POINTS with 0 < LOW < HIGH and 2 <= POINTS <= 1000 "
                + "(default \(defaultGrid)), got '\(text)'", exitCode: SuiteExitCode.usage)
        }
        var out: [Double] = []
        let (a, b) = (log10(lo), log10(hi))
        for i in 0..<n {
            let v = Double(NumberFormat.scientific(pow(10, a + (b - a) * Double(i) / Double(n - 1)), digits: 3))!
            if out.last != v { out.append(v) }
        }
        return out
    }

    /// One (problem, optimizer) sweep and its choice.
    struct Choice {
        var problem: String
        var optimizer: String
        /// Index of the chosen value in the grid's variants.
        var index: Int
        var chosen: Double
        /// (learning rate, its run), in grid order.
        var sweep: [(Double, RunRecord)]
    }

    /// The choice among `candidates` (the sweep's records of one optimizer on one problem, in grid order).
    static func choose(problem: String, optimizer: String, candidates: [RunRecord], grid: [Double]) -> Choice? {
        guard candidates.count == grid.count else { return nil }
        let groups = candidates.map { RunGroup(problem: problem, optimizer: $0.optimizer, batchSize: $0.batchSize, runs: [$0]) }
        let measure: WorkMeasure = candidates.first?.batchSize != nil ? .epochs : .evaluations
        // The tables' rank; ties go to the smaller learning rate (the first in grid order), not to the label.
        let ranks = groups.map { ResultTables.rank($0, measure: measure) }
        guard let best = ranks.min(), let index = ranks.firstIndex(of: best) else { return nil }
        return Choice(problem: problem, optimizer: optimizer, index: index, chosen: grid[index],
                      sweep: Array(zip(grid, candidates)))
    }

    /// The sweep's files: `tuning.csv`, the sensitivity tables and plots.
    static func files(_ choices: [Choice], grid: [Double], hash: String) -> [(String, String)] {
        var rows: [[String]] = []
        for c in choices {
            for (lr, r) in c.sweep {
                let reached = r.result.hits.count
                rows.append([CSV.field(c.problem), CSV.field(c.optimizer), NumberFormat.exact(lr), r.result.status.rawValue,
                             String(reached), reached > 0 ? String(r.result.hits[reached - 1].functionEvaluations) : "",
                             r.result.status == .skipped ? "" : NumberFormat.exact(r.result.finalError),
                             lr == c.chosen ? "true" : "false"])
            }
        }
        var files: [(String, String)] = [("tuning.csv", CSV.table(
            header: ["problem", "optimizer", "lr", "status", "targets_reached", "evaluations_to_tightest", "final_error", "chosen"],
            rows: rows))]
        var problems: [String] = []
        for c in choices where !problems.contains(c.problem) { problems.append(c.problem) }
        var md = "# Learning-rate sensitivity\n\nThe protocol of `suite --tune` (README: Learning-rate tuning). Run \(hash).\n"
        for problem in problems {
            let mine = choices.filter { $0.problem == problem }
            // Table: rows = learning rates, columns = optimizers, cells = final f − f*; the chosen value bold.
            var columns = [Table.Column("lr")]
            columns += mine.map { Table.Column($0.optimizer) }
            let tableRows = grid.map { lr in
                [Table.Cell(NumberFormat.scientific(lr), numeric: true)] + mine.map { c in
                    guard let r = c.sweep.first(where: { $0.0 == lr })?.1 else { return Table.Cell("–") }
                    let text = r.result.status == .diverged ? "diverged"
                        : NumberFormat.scientific(r.result.finalError)
                    return Table.Cell(text, numeric: r.result.status != .diverged, bold: lr == c.chosen)
                }
            }
            let table = Table(title: "Learning-rate sweep on \(problem)",
                              caption: "Final f − f* (‖∇f‖ where f* is unknown) after each run of the sweep (first seed); "
                                + "bold: the chosen learning rate (most targets reached, then least work to the tightest, "
                                + "then smallest final error). Descent run \(hash).",
                              label: "descent:tuning:" + LaTeX.key(problem), columns: columns, rows: tableRows)
            md += "\n" + table.markdown(headingLevel: 2)
            files.append(("tables/tuning-\(ReportFiles.fileName(problem)).tex", table.latex()))
            let figure = Figure(
                title: "Learning-rate sensitivity on \(problem)", xLabel: "learning rate", yLabel: "final f − f*", logX: true,
                series: mine.map { c in
                    Figure.Series(name: c.optimizer + " (chose \(NumberFormat.scientific(c.chosen)))",
                                  points: c.sweep.map { ($0.0, $0.1.result.status == .diverged ? .nan : $0.1.result.finalError) })
                },
                caption: "Final f − f* against the learning rate, one line per optimizer; diverged runs are left out. Descent run \(hash).")
            files.append(("plots/tuning-\(ReportFiles.fileName(problem)).svg", SVG.render(figure)))
            files.append(("plots/tuning-\(ReportFiles.fileName(problem)).tex", PGFPlots.render(figure)))
        }
        files.append(("tables/tuning.md", md))
        return files
    }
}

#if canImport(Glibc)
import Glibc
#endif
