import DescentCore

/// One learning-rate sweep of `suite --tune`: every grid value's run of one optimizer on one problem.
public struct TuningSweep: Sendable, Equatable {
    /// One grid value and how its run ended.
    public struct Point: Sendable, Equatable {
        /// The learning rate.
        public var learningRate: Double
        /// How the run ended.
        public var status: RunStatus
        /// How many of ``Targets/all`` the run reached.
        public var targetsReached: Int
        /// Function evaluations to the tightest target reached, if any.
        public var evaluationsToTightest: Int?
        /// Final f − f* (‖∇f‖ where f* is unknown); NaN for a skipped run.
        public var finalError: Double

        /// A sweep point.
        public init(learningRate: Double, status: RunStatus, targetsReached: Int, evaluationsToTightest: Int?, finalError: Double) {
            self.learningRate = learningRate
            self.status = status
            self.targetsReached = targetsReached
            self.evaluationsToTightest = evaluationsToTightest
            self.finalError = finalError
        }

        /// The point of a finished run.
        public init(learningRate: Double, result: RunResult) {
            let reached = result.hits.count
            self.init(learningRate: learningRate, status: result.status, targetsReached: reached,
                      evaluationsToTightest: reached > 0 ? result.hits[reached - 1].functionEvaluations : nil,
                      finalError: result.status == .skipped ? .nan : result.finalError)
        }
    }

    /// The problem's label.
    public var problem: String
    /// The optimizer's label (without the learning rate).
    public var optimizer: String
    /// The chosen learning rate.
    public var chosen: Double
    /// The grid's points, in grid order.
    public var points: [Point]

    /// A sweep.
    public init(problem: String, optimizer: String, chosen: Double, points: [Point]) {
        self.problem = problem
        self.optimizer = optimizer
        self.chosen = chosen
        self.points = points
    }
}

/// `tuning.csv` and the sensitivity tables and plots made from it.
public enum TuningTables {
    /// The columns of `tuning.csv`.
    public static let columns = ["problem", "optimizer", "lr", "status", "targets_reached", "evaluations_to_tightest",
                                 "final_error", "chosen"]

    /// `tuning.csv`: one row per (problem, optimizer, learning rate), full precision.
    public static func csv(_ sweeps: [TuningSweep]) -> String {
        var rows: [[String]] = []
        for s in sweeps {
            for p in s.points {
                rows.append([CSV.field(s.problem), CSV.field(s.optimizer), NumberFormat.exact(p.learningRate), p.status.rawValue,
                             String(p.targetsReached), p.evaluationsToTightest.map(String.init) ?? "",
                             p.status == .skipped ? "" : NumberFormat.exact(p.finalError),
                             p.learningRate == s.chosen ? "true" : "false"])
            }
        }
        return CSV.table(header: columns, rows: rows)
    }

    /// The sweeps of a `tuning.csv`, in file order.
    public static func parse(_ text: String) throws(ResultSet.LoadError) -> [TuningSweep] {
        let file = "tuning.csv"
        let rows: [[String]]
        switch Result(catching: { () throws(CSVError) -> [[String]] in try CSV.parse(text) }) {
        case .success(let r): rows = r
        case .failure(let error): throw ResultSet.LoadError(file: file, message: "\(error)")
        }
        guard let header = rows.first, header == columns else {
            throw ResultSet.LoadError(file: file, message: "the header must be \(columns.joined(separator: ",")), found "
                + (rows.first ?? []).joined(separator: ","))
        }
        var sweeps: [TuningSweep] = []
        for (i, row) in rows.dropFirst().enumerated() {
            func bad(_ what: String) -> ResultSet.LoadError {
                ResultSet.LoadError(file: file, message: "row \(i + 2): \(what)")
            }
            guard row.count == columns.count else { throw bad("\(row.count) fields, the header \(columns.count)") }
            guard let lr = Double(row[2]), lr > 0 else { throw bad("learning rate '\(row[2])' is not a positive number") }
            guard let status = RunStatus(rawValue: row[3]) else { throw bad("unknown status '\(row[3])'") }
            guard let reached = Int(row[4]), reached >= 0 else { throw bad("targets_reached '\(row[4])' is not a count") }
            let evaluations = row[5].isEmpty ? nil : Int(row[5])
            if !row[5].isEmpty && evaluations == nil { throw bad("evaluations_to_tightest '\(row[5])' is not an integer") }
            let error = row[6].isEmpty ? Double.nan : Double(row[6])
            guard let error else { throw bad("final_error '\(row[6])' is not a number") }
            guard row[7] == "true" || row[7] == "false" else { throw bad("chosen must be true or false, got '\(row[7])'") }
            let point = TuningSweep.Point(learningRate: lr, status: status, targetsReached: reached,
                                          evaluationsToTightest: evaluations, finalError: error)
            if let last = sweeps.last, last.problem == row[0], last.optimizer == row[1] {
                sweeps[sweeps.count - 1].points.append(point)
            } else {
                sweeps.append(TuningSweep(problem: row[0], optimizer: row[1], chosen: .nan, points: [point]))
            }
            if row[7] == "true" { sweeps[sweeps.count - 1].chosen = lr }
        }
        for s in sweeps where s.chosen.isNaN {
            throw ResultSet.LoadError(file: file, message: "no chosen learning rate for \(s.optimizer) on \(s.problem)")
        }
        return sweeps
    }

    /// The sensitivity tables (`tables/tuning.md`, `tables/tuning-<problem>.tex`) and plots (`plots/tuning-<problem>.svg|tex`).
    public static func derived(_ sweeps: [TuningSweep], hash: String, stems: [String: String]? = nil) -> [(String, String)] {
        var grid: [Double] = []
        var problems: [String] = []
        for s in sweeps {
            if !problems.contains(s.problem) { problems.append(s.problem) }
            for p in s.points where !grid.contains(p.learningRate) { grid.append(p.learningRate) }
        }
        grid.sort()
        var files: [(String, String)] = []
        var md = "# Learning-rate sensitivity\n\nThe protocol of `suite --tune` (documentation: The protocol, Learning-rate tuning). Run \(hash).\n"
        let stems = stems ?? ReportFiles.stems(problems)
        for problem in problems {
            let stem = stems[problem] ?? ReportFiles.fileName(problem)
            let mine = sweeps.filter { $0.problem == problem }
            // Table: rows = optimizers, columns = learning rates (a grid of a few points fits a page; 26 optimizers
            // as columns would not), cells = final f − f*; the chosen value bold.
            let columns = [Table.Column("optimizer", right: false)] + grid.map { Table.Column("lr = " + NumberFormat.value($0), latex: LaTeX.number(NumberFormat.value($0))) }
            let tableRows = mine.map { s in
                [Table.Cell(s.optimizer)] + grid.map { lr in
                    guard let p = s.points.first(where: { $0.learningRate == lr }) else { return Table.Cell("–") }
                    let text = p.status == .diverged ? "diverged" : p.status == .skipped ? "skipped" : NumberFormat.value(p.finalError)
                    return Table.Cell(text, numeric: p.status != .diverged && p.status != .skipped, bold: lr == s.chosen,
                                      latex: p.status == .diverged ? "D" : nil)
                }
            }
            let diverged = mine.contains { $0.points.contains { $0.status == .diverged } }
            var table = Table(title: "Learning-rate sweep on \(problem)",
                              caption: "Final f − f* (‖∇f‖ where f* is unknown) after each run of the `--tune` sweep on "
                                + "instance 0, by learning rate (the columns); bold: the learning rate chosen (most targets reached, then least work to the "
                                + "tightest, then smallest final error).",
                              label: "descent:tuning:" + LaTeX.key(problem), columns: columns, rows: tableRows,
                              latexNotes: diverged ? ["D: diverged."] : [])
            table.hash = hash
            md += "\n" + table.markdown(headingLevel: 2)
            files.append(("tables/tuning-\(stem).tex", table.latex()))
            let figure = Figure(
                title: "Learning-rate sensitivity on \(problem)", xLabel: "learning rate", yLabel: "final f − f*", logX: true,
                series: mine.map { s in
                    Figure.Series(name: s.optimizer + " (chose \(NumberFormat.value(s.chosen)))",
                                  points: s.points.map { ($0.learningRate, $0.status == .diverged ? .nan : $0.finalError) },
                                  styleKey: s.optimizer)
                },
                caption: "Final f − f* against the learning rate, one line per optimizer; diverged runs are left out. Descent run \(hash).")
            files.append(("plots/tuning-\(stem).svg", SVG.render(figure)))
            files.append(("plots/tuning-\(stem).tex", PGFPlots.render(figure)))
        }
        let cost = TuningCost.derived(sweeps, hash: hash)
        files += cost.files
        md += "\n" + cost.markdown
        files.append(("tables/tuning.md", md))
        return files
    }
}
