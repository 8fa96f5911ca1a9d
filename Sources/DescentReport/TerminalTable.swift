import DescentCore

/// The short summary `suite` prints when a run finishes.
public enum TerminalTable {
    /// An aligned plain-text table: one line per run, in the order given.
    public static func summary(_ records: [RunRecord]) -> String {
        let header = ["problem", "optimizer", "status", "iters", "f − f*", "‖∇f‖", "time"]
        let rows = records.map { r in
            r.result.status == .skipped ? [r.problem, r.optimizer, r.result.statusDescription, "–", "–", "–", "–"] : [
                r.problem, r.optimizer, r.result.statusDescription, String(r.result.iterations),
                r.result.suboptimality.map { NumberFormat.scientific($0) } ?? "–",
                NumberFormat.scientific(r.result.gradientNorm), NumberFormat.duration(r.result.time),
            ]
        }
        return align([header] + rows, rightAligned: [3, 4, 5, 6])
    }

    /// The most runs ``printed(_:references:)`` lists one by one; beyond it, one line per optimizer.
    public static let runLimit = 400

    /// What `suite` prints when a run finishes: ``summary(_:)`` for up to ``runLimit`` runs, else
    /// ``standings(_:references:)`` (the headline run has 8029 runs; its tables have the rest).
    public static func printed(_ records: [RunRecord], references: [String: Optimum]) -> String {
        records.count <= runLimit ? summary(records) : standings(records, references: references)
    }

    /// One line per optimizer, in the overview's rank order: score (share of runs reaching), runs reaching,
    /// targets reached, converged (runs) and diverged (runs), median work ratio.
    public static func standings(_ records: [RunRecord], references: [String: Optimum]) -> String {
        let header = ["rank", "optimizer", "problems", "score", "runs reaching", "targets reached", "converged", "diverged",
                      "median work ratio"]
        let rows = ResultTables.standings(Grouping.problems(records, references: references)).map { s in
            [String(s.rank), s.label, String(s.problems), s.scoreText, "\(s.successes)/\(s.attempts)",
             "\(s.reached)/\(s.possible)", "\(s.converged)/\(s.runs)", String(s.diverged),
             s.medianRatio.map { NumberFormat.fixed($0) } ?? "–"]
        }
        return align([header] + rows, rightAligned: [0, 2, 3, 4, 5, 6, 7, 8])
    }

    /// Pads columns to equal width; columns in `rightAligned` are right-aligned; with `rule`, a line
    /// of dashes follows the first row.
    public static func align(_ rows: [[String]], rightAligned: Set<Int> = [], rule: Bool = true) -> String {
        guard let width = rows.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = Swift.max(widths[i], cell.count) } }
        var out = ""
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }
            out += cells.joined(separator: "  ").trailingSpacesRemoved() + "\n"
            if index == 0 && rule { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}

extension String {
    fileprivate func trailingSpacesRemoved() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
