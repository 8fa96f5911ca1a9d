import DescentCore

/// The paper tables: per problem, the work each optimizer needs to reach each target; across
/// problems, targets reached, work relative to the best, and rank.
public enum ResultTables {
    /// The documented row order of a per-problem table.
    public static let rowOrder = "Rows: most targets reached first, then least work to the tightest target reached, "
        + "then smallest final error; skipped runs last; ties by label."

    /// Where a group stands by ``rowOrder`` before ties: smaller is better.
    public struct Rank: Comparable, Sendable {
        var skipped: Bool
        var reached: Int
        var work: Double
        var error: Double

        public static func < (x: Rank, y: Rank) -> Bool {
            if x.skipped != y.skipped { return !x.skipped }
            if x.reached != y.reached { return x.reached > y.reached }
            if x.work != y.work { return x.work < y.work }
            return x.error < y.error
        }
    }

    /// The rank of `g`: skipped last, then most targets reached, least work to the tightest, smallest final error.
    public static func rank(_ g: RunGroup, measure: WorkMeasure) -> Rank {
        let solved = Targets.all.compactMap { g.solved($0, in: measure) }
        let error = g.finalError?.median ?? .infinity
        return Rank(skipped: g.isSkipped, reached: solved.count, work: solved.last?.median ?? .infinity,
                    error: error.isNaN ? .infinity : error)
    }

    /// Sorts a problem's groups by ``rowOrder``.
    public static func ordered(_ groups: [RunGroup], measure: WorkMeasure) -> [RunGroup] {
        let ranks = groups.map { rank($0, measure: measure) }
        return groups.indices.sorted { a, b in
            if ranks[a] != ranks[b] { return ranks[a] < ranks[b] }
            if groups[a].optimizer != groups[b].optimizer { return groups[a].optimizer < groups[b].optimizer }
            return a < b
        }.map { groups[$0] }
    }

    /// A work value as table text (``NumberFormat``'s rule): counts (evaluations, gradients, iterations)
    /// as whole numbers, epochs and seconds by ``NumberFormat/value(_:)``.
    public static func workText(_ x: Double, _ measure: WorkMeasure) -> String {
        switch measure {
        case .evaluations, .gradientEvaluations, .iterations: return NumberFormat.count(x)
        case .epochs, .seconds: return NumberFormat.value(x)
        }
    }

    /// `median [Q1–Q3]` (the bracket only when the quartiles differ), all three in one notation
    /// (``NumberFormat/values(_:)``), or counts (``NumberFormat/count(_:)``).
    static func spreadText(_ s: Spread, counts: Bool = false) -> String {
        let t = counts ? [s.median, s.lower, s.upper].map { NumberFormat.count($0) } : NumberFormat.values([s.median, s.lower, s.upper])
        return s.isPoint ? t[0] : t[0] + " [" + t[1] + "–" + t[2] + "]"
    }

    /// The work cells of a measure in ``spreadText(_:counts:)``.
    static func workSpread(_ s: Spread, _ measure: WorkMeasure) -> String {
        switch measure {
        case .evaluations, .gradientEvaluations, .iterations: return spreadText(s, counts: true)
        case .epochs, .seconds: return spreadText(s)
        }
    }

    /// The label of a group in tables: the optimizer, with `, B=32` for mini-batch runs.
    public static func rowLabel(_ g: RunGroup) -> String {
        g.batchSize.map { g.optimizer + " (B=\($0))" } ?? g.optimizer
    }

    /// The footnote that says how a group ended, for cells it never reached.
    static func endNote(_ g: RunGroup, fStarKnown: Bool) -> String {
        if g.isSkipped { return rowLabel(g) + ": " + g.runs[0].result.statusDescription }
        var text = rowLabel(g) + ": " + g.statusText
        if let e = g.finalError {
            text += "; final " + (fStarKnown ? "f − f* = " : "‖∇f‖ = ") + spreadText(e)
        }
        return text
    }

    /// The LaTeX tables' default columns of targets: 10⁻¹, 10⁻⁴, 10⁻⁸.
    public static let defaultLaTeXTargets: [Double] = [1e-1, 1e-4, 1e-8]

    /// The per-problem table: work to each target of ``Targets/all``, final error, final ‖∇f‖ and status
    /// (Markdown and HTML show every column; LaTeX the targets `latexTargets`, the final error and an
    /// abbreviated status with its legend, to fit a page).
    /// Each column's reference, significance and ≈ marks follow ``columnMarks(_:measure:)``.
    /// `learningRates`: the learning rate `--tune` chose for each optimizer label on this problem (a column when not empty).
    public static func targets(_ p: ProblemGroup, measure: WorkMeasure, hash: String,
                               learningRates: [String: Double] = [:], latexTargets: [Double] = defaultLaTeXTargets) -> Table {
        let fStarKnown = p.optimum != nil
        let groups = ordered(p.groups, measure: measure)
        let seeds = p.seedCount
        let key = markKey
        let marks = columnMarks(groups, measure: measure)
        var rows: [[Table.Cell]] = []
        var footnotes: [(String, String)] = []
        var codes: [RunStatus] = []
        // Problems with a validation split (data sets, networks) get its final loss and accuracy.
        let validationLoss = groups.contains { $0.finalValidationLoss != nil }
        let validationAccuracy = groups.contains { $0.finalValidationAccuracy != nil }
        for g in groups {
            var row = [Table.Cell(rowLabel(g))]
            if !learningRates.isEmpty {
                row.append(learningRates[g.optimizer].map { Table.Cell(NumberFormat.value($0), numeric: true) } ?? Table.Cell("–"))
            }
            var marker: String? = nil
            func noteMarker() -> String {
                if let marker { return marker }
                let m = Table.marker(footnotes.count)
                footnotes.append((m, endNote(g, fStarKnown: fStarKnown)))
                marker = m
                return m
            }
            for t in Targets.all {
                let w = g.work(to: t, in: measure)
                if w.reached == 0 {
                    row.append(Table.Cell("–", marker: noteMarker()))
                    continue
                }
                // LaTeX: the median alone (the interquartile range is in tables.md), so three targets fit a page.
                let spread = Spread(w.values)
                var text = workSpread(spread, measure)
                var latex = LaTeX.number(workText(spread.median, measure))
                if w.reached < w.total {
                    text += " (\(w.reached)/\(w.total))"
                    latex += "\\,{\\scriptsize(\(w.reached)/\(w.total))}"
                }
                if marks[t]?.indistinguishable.contains(key(g)) == true {
                    text += " ≈"
                    latex += "\\,\\ensuremath{\\approx}"
                }
                let reference = marks[t]?.reference == key(g)
                row.append(Table.Cell(text, numeric: true, bold: reference && marks[t]!.significant,
                                      italic: reference && !marks[t]!.significant,
                                      marker: w.reached < w.total ? noteMarker() : nil, latex: latex))
            }
            func median(_ s: Spread?) -> Table.Cell {
                Table.Cell(s.map { spreadText($0) } ?? "–", numeric: true, latex: LaTeX.number(s.map { NumberFormat.value($0.median) } ?? "–"))
            }
            row.append(median(g.finalError))
            row.append(median(g.finalGradient))
            if validationLoss { row.append(median(g.finalValidationLoss)) }
            if validationAccuracy { row.append(median(g.finalValidationAccuracy)) }
            let (status, used) = statusCode(g)
            for c in used where !codes.contains(c) { codes.append(c) }
            row.append(Table.Cell(g.isSkipped ? "skipped" : g.statusText, latex: status))
            rows.append(row)
        }
        var columns = [Table.Column("optimizer", right: false)]
        // The LaTeX table leaves the learning rate to the sweep's table (tables/tuning-<problem>.tex), to fit a page.
        if !learningRates.isEmpty { columns.append(Table.Column("lr", inLaTeX: false)) }
        for t in Targets.all {
            columns.append(Table.Column(Targets.label(t), latex: "\\ensuremath{10^{-\(Targets.all.firstIndex(of: t)! + 1)}}",
                                        inLaTeX: latexTargets.contains(t)))
        }
        columns += [Table.Column(fStarKnown ? "final f − f*" : "final ‖∇f‖"), Table.Column("final ‖∇f‖", inLaTeX: false)]
        if validationLoss { columns.append(Table.Column("validation loss", inLaTeX: false)) }
        if validationAccuracy { columns.append(Table.Column("validation accuracy", inLaTeX: false)) }
        columns.append(Table.Column("status", right: false))
        codes.sort()
        let legend = "Status: " + codes.map { statusLetter($0) + " " + statusWords($0) }.joined(separator: ", ")
            + (rows.contains { $0.last?.latex?.contains("\\,") == true } ? " (5C 2S: 5 runs converged, 2 stalled)" : "") + "."
        let medians = seeds > 1 ? ["Medians over the \(seeds) \(p.runWord); the interquartile ranges are in `tables.md`."] : []
        var table = Table(title: "\(p.problem) (n = \(p.dimension))",
                     caption: targetsCaption(p, measure: measure, tuned: !learningRates.isEmpty, latexTargets: latexTargets),
                     label: "descent:" + LaTeX.key(p.problem), columns: columns, rows: rows, footnotes: footnotes,
                     latexNotes: medians + (codes.isEmpty ? [] : [legend]), latexFootnotes: false)
        table.hash = hash
        table.latexCaption = targetsCaption(p, measure: measure, tuned: false, latexTargets: latexTargets)
        return table
    }

    /// The cross-problem summary table of ``standings(_:)`` over `problemCount` problems; `intervals`
    /// are the bootstrap intervals of the median ratios by row label (``Bootstrap/medianRatioIntervals()``).
    /// The LaTeX form has short headers (the caption explains them) and fits a one-column page with room for a column more.
    public static func overview(_ standings: [Standing], problemCount: Int, hash: String,
                                intervals: [String: (lower: Double, upper: Double)] = [:]) -> Table {
        let manyRuns = standings.contains { $0.attempts > $0.problems * Targets.all.count }
        // A method that ran on fewer problems than the widest is scored over its own: a footnote says so and why.
        let widest = standings.map(\.problems).max() ?? 0
        var footnotes: [(String, String)] = []
        let rows = standings.map { s in
            var marker: String? = nil
            if s.problems < widest {
                marker = Table.marker(footnotes.count)
                footnotes.append((marker!, "\(s.label): ran on \(s.problems) of \(problemCount) problems, so its score is over those; "
                                    + "skipped on the others: " + s.skipReasons.joined(separator: "; ")))
            }
            var ratio = "–"
            if let m = s.medianRatio {
                if let i = intervals[s.label] {
                    let t = NumberFormat.values([m, i.lower, i.upper])
                    ratio = t[0] + " [" + t[1] + "–" + t[2] + "]"
                } else {
                    ratio = NumberFormat.value(m)
                }
            }
            var row = [Table.Cell(String(s.rank), numeric: true), Table.Cell(s.label, bold: s.rank == 1),
                       Table.Cell(String(s.problems), numeric: true, marker: marker),
                       Table.Cell(s.scoreText, numeric: true),
                       Table.Cell("\(s.successes)/\(s.attempts)")]
            if manyRuns { row.append(Table.Cell("\(s.reached)/\(s.possible)")) }
            return row + [Table.Cell("\(s.converged)/\(s.runs)"), Table.Cell(String(s.diverged), numeric: true),
                          Table.Cell(ratio, numeric: s.medianRatio != nil)]
        }
        var columns = [Table.Column("rank", latex: "\\#"), Table.Column("optimizer", right: false),
                       Table.Column("problems", latex: "prob."), Table.Column("score"),
                       Table.Column(manyRuns ? "runs reaching" : "targets reached", latex: manyRuns ? "runs" : "targets")]
        // The LaTeX table leaves the pairs every run reached to tables.md, to fit a column.
        if manyRuns { columns.append(Table.Column("targets reached", inLaTeX: false)) }
        columns += [Table.Column("converged", latex: "conv."), Table.Column("diverged", latex: "div."),
                    Table.Column("median work ratio", latex: "work ratio")]
        var caption = "Over \(problemCount) problem\(problemCount == 1 ? "" : "s"), each optimizer counted only on the problems it ran on (problems, prob.). Score: "
            + (manyRuns ? "runs reaching, as a percentage: runs that reached a target, of its runs × 8 targets. "
                : "targets reached, as a percentage: (problem, target) pairs its run reached, of those it attempted. ")
        if manyRuns { caption += "Targets reached (tables.md): (problem, target) pairs every run reached. " }
        caption += "Converged, diverged (conv., div.): its runs that converged, of those that ran; its runs that diverged. "
        caption += "Median work ratio: over the pairs every run reached, the median work divided by the least any optimizer "
            + "needed for the pair (1 = always the fastest)"
        caption += intervals.isEmpty ? "." : " [95% bootstrap interval, \(Bootstrap.replicates) replicates]."
        var table = Table(title: "All problems: score and work relative to the best", caption: caption,
                          label: "descent:overview", columns: columns, rows: rows, footnotes: footnotes)
        table.hash = hash
        return table
    }
}
