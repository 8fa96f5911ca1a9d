import DescentCore

/// GitHub-flavoured Markdown tables of results.
public enum Markdown {
    /// The documented row order, printed under the title of `summary.md`.
    public static let orderRule = "Rows within a problem: converged runs by gradient evaluations (fewest first); "
        + "then runs that hit the iteration or time limit, stalled or were interrupted, by final f − f* "
        + "(‖∇f‖ where f* is unknown); then diverged and crashed runs; skipped runs last, with the reason; "
        + "ties by optimizer label. Times are in timing.csv and timing/tables.md. "
        + "Numbers have 3 significant digits; "
        + "exact values are in summary.csv."

    /// Sorts records by the documented rule (see ``orderRule``); stable for equal keys.
    public static func ordered(_ records: [RunRecord]) -> [RunRecord] {
        records.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            let (sx, sy) = (x.result.status, y.result.status)
            // converged < unfinished (max_iterations, stalled) < diverged
            func group(_ s: RunStatus) -> Int {
                switch s {
                case .converged: return 0
                case .maxIterations, .stalled, .timeout, .interrupted: return 1
                case .diverged, .crashed: return 2
                case .skipped: return 3
                }
            }
            let gx = group(sx), gy = group(sy)
            if gx != gy { return gx < gy }
            if gx == 0, x.result.gradientEvaluations != y.result.gradientEvaluations {
                return x.result.gradientEvaluations < y.result.gradientEvaluations
            }
            if gx == 1 {
                let ex = x.result.finalError
                let ey = y.result.finalError
                if ex != ey { return ex < ey }
            }
            if x.optimizer != y.optimizer { return x.optimizer < y.optimizer }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// `summary.md`: how every run ended, as a person reads it. Per problem (in the order they first
    /// appear), one row per optimizer and batch size, in the order of the problem's table in
    /// `tables/tables.md` (``ResultTables/ordered(_:measure:)``): its runs (instances × seeds), how many
    /// ended with each status (a column for each status that occurs anywhere in the file), the median
    /// final f − f* (‖∇f‖ where f* is unknown), and the reason for skipped or crashed runs; then the
    /// legend (``Legend``). `note` (Markdown, e.g. that the results are incomplete) goes right under the title.
    public static func summary(_ records: [RunRecord], references: [String: Optimum], note: String = "") -> String {
        let problems = Grouping.problems(records, references: references)
        let statuses = RunStatus.allCases.filter { s in records.contains { $0.result.status == s } }
        let words = Dictionary(uniqueKeysWithValues: Legend.statuses.map { ($0.status, $0.words) })
        var out = "# Descent results: how every run ended\n\n" + note
            + "One table per problem, one row per optimizer, in the order of the problem's table in tables/tables.md "
            + "(most targets reached first). Each status column counts that optimizer's runs (instances × seeds) "
            + "that ended so; the legend at the end defines every status. Exact values per run: summary.csv; "
            + "the work to each target: tables/tables.md.\n"
        for p in problems {
            let instances = p.instanceCount
            out += "\n## \(escape(p.problem)) (n = \(p.dimension))\n\n"
            if let o = p.optimum, instances > 1 {
                out += "f*: each of the \(instances) instances has its own (\(o.source.rawValue)"
                    + (o.source == .bestReached ? ": not certified, the lowest f any run here evaluated" : "")
                    + "; reference.csv lists them).\n\n"
            } else if let o = p.optimum {
                out += "f* = \(NumberFormat.scientific(o.value, digits: 6)) (\(o.source.rawValue)"
                if o.source == .bestReached { out += ": not certified, the lowest f any run here evaluated" }
                if let g = o.gradientNorm { out += ", ‖∇f(x*)‖ = \(NumberFormat.scientific(g))" }
                out += ")\n\n"
            } else {
                out += "f* unknown: the target and the final column are on ‖∇f‖.\n\n"
            }
            let error = p.optimum == nil ? "median final ‖∇f‖" : "median final f − f*"
            let notes = p.groups.contains { g in g.runs.contains { $0.result.status == .skipped || $0.result.status == .crashed } }
            out += "| optimizer | runs |" + statuses.map { " \(words[$0]!) |" }.joined() + " \(error) |" + (notes ? " note |" : "") + "\n"
            out += "|---|---:|" + String(repeating: "---:|", count: statuses.count) + "---:|" + (notes ? "---|" : "") + "\n"
            for g in ResultTables.ordered(p.groups, measure: p.defaultMeasure) {
                var row = "| \(escape(ResultTables.rowLabel(g))) | \(g.runs.count) |"
                for s in statuses {
                    let k = g.runs.filter { $0.result.status == s }.count
                    row += k == 0 ? " · |" : " \(k) |"
                }
                row += " \(g.finalError.map { NumberFormat.scientific($0.median) } ?? "–") |"
                if notes {
                    var reasons: [String] = []
                    for r in g.runs where r.result.status == .skipped || r.result.status == .crashed {
                        let text = r.result.statusDescription
                        if !reasons.contains(text) { reasons.append(text) }
                    }
                    row += " \(escape(reasons.joined(separator: "; "))) |"
                }
                out += row + "\n"
            }
        }
        out += "\n## Legend\n\n· : no run ended with that status. " + (statuses.isEmpty ? "" : "Statuses (tables/legend.md defines every column of every file):") + "\n\n"
            + Legend.statusTable
        return out
    }

    /// Escapes text for a table cell: `|` (it would end the cell), line ends (they would end the row),
    /// and `<`, `>`, `&` as entities (``escapeHTML(_:)``).
    static func escape(_ text: String) -> String {
        escapeHTML(text).replacingAll("|", with: "\\|").replacingAll("\n", with: " ").replacingAll("\r", with: " ")
    }

    /// `<`, `>` and `&` as HTML entities: a label such as `f(start_file=<img src=x onerror=…>.npy)` is shown as
    /// text, never passed to a Markdown renderer as raw HTML.
    static func escapeHTML(_ text: String) -> String {
        guard text.contains(where: { $0 == "<" || $0 == ">" || $0 == "&" }) else { return text }
        return text.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
    }
}
