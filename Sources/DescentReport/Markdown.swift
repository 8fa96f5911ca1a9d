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

    /// `summary.md`: one section and table per problem, problems in the order they first appear; `note`
    /// (Markdown, e.g. that the results are incomplete) goes right under the heading.
    public static func summary(_ records: [RunRecord], references: [String: Optimum], note: String = "") -> String {
        var problems: [String] = []
        for r in records where !problems.contains(r.problem) { problems.append(r.problem) }
        var out = "# Descent results\n\n" + note + orderRule + "\n"
        for problem in problems {
            let rows = ordered(records.filter { $0.problem == problem })
            let n = rows.first?.dimension ?? 0
            out += "\n## \(escape(problem)) (n = \(n))\n\n"
            if let o = references[problem] {
                out += "f* = \(NumberFormat.scientific(o.value, digits: 6)) (\(o.source.rawValue)"
                if o.source == .bestReached { out += ": not certified, the lowest f any run here evaluated" }
                if let g = o.gradientNorm { out += ", ‖∇f(x*)‖ = \(NumberFormat.scientific(g))" }
                out += ")\n\n"
            } else {
                out += "f* unknown: the target is on ‖∇f‖.\n\n"
            }
            let stochastic = rows.contains { $0.batchSize != nil }
            let validation = rows.contains { $0.result.validationLoss != nil }
            out += "| optimizer | status | iterations |" + (stochastic ? " epochs |" : "") + " f − f* | ‖∇f‖ |"
                + (validation ? " validation loss | validation accuracy |" : "") + "\n"
            out += "|---|---|---:|" + (stochastic ? "---:|" : "") + "---:|---:|" + (validation ? "---:|---:|" : "") + "\n"
            for r in rows {
                if r.result.status == .skipped {
                    out += "| \(escape(r.optimizer)) | \(escape(r.result.statusDescription)) | – |" + (stochastic ? " – |" : "")
                        + " – | – |" + (validation ? " – | – |" : "") + "\n"
                    continue
                }
                let sub = r.result.suboptimality.map { NumberFormat.scientific($0) } ?? "–"
                out += "| \(escape(r.optimizer)) | \(escape(r.result.statusDescription)) | \(r.result.iterations) |"
                    + (stochastic ? " \(NumberFormat.fixed(r.result.epochs)) |" : "")
                    + " \(sub) | \(NumberFormat.scientific(r.result.gradientNorm)) |"
                if validation {
                    out += " \(r.result.validationLoss.map { NumberFormat.scientific($0) } ?? "–") |"
                        + " \(r.result.validationAccuracy.map { NumberFormat.fixed($0) } ?? "–") |"
                }
                out += "\n"
            }
        }
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
