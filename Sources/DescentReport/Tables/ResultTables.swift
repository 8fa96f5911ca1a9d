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

    /// A work value as table text: integers exactly up to 10⁶, else 3 significant digits.
    public static func workText(_ x: Double, _ measure: WorkMeasure) -> String {
        switch measure {
        case .evaluations, .gradientEvaluations, .iterations:
            return x.rounded() == x && Swift.abs(x) < 1e6 ? String(Int(x)) : NumberFormat.scientific(x)
        case .epochs, .seconds:
            return NumberFormat.fixed(x)
        }
    }

    /// `median [Q1–Q3]` (the bracket only when the quartiles differ), formatted by `format`.
    static func spreadText(_ s: Spread, _ format: (Double) -> String) -> String {
        s.isPoint ? format(s.median) : format(s.median) + " [" + format(s.lower) + "–" + format(s.upper) + "]"
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
            text += "; final " + (fStarKnown ? "f − f* = " : "‖∇f‖ = ") + spreadText(e) { NumberFormat.scientific($0) }
        }
        return text
    }

    /// The per-problem table: work to each target of ``Targets/all``, final error, final ‖∇f‖ and status.
    /// Each column's reference, significance and ≈ marks follow ``columnMarks(_:measure:)``.
    /// `learningRates`: the learning rate `--tune` chose for each optimizer label on this problem (a column when not empty).
    public static func targets(_ p: ProblemGroup, measure: WorkMeasure, hash: String,
                               learningRates: [String: Double] = [:]) -> Table {
        let fStarKnown = p.optimum != nil
        let groups = ordered(p.groups, measure: measure)
        let seeds = p.seedCount
        let key = markKey
        let marks = columnMarks(groups, measure: measure)
        var rows: [[Table.Cell]] = []
        var footnotes: [(String, String)] = []
        // Problems with a validation split (data sets, networks) get its final loss and accuracy.
        let validationLoss = groups.contains { $0.finalValidationLoss != nil }
        let validationAccuracy = groups.contains { $0.finalValidationAccuracy != nil }
        for g in groups {
            var row = [Table.Cell(rowLabel(g))]
            if !learningRates.isEmpty {
                row.append(learningRates[g.optimizer].map { Table.Cell(NumberFormat.scientific($0), numeric: true) } ?? Table.Cell("–"))
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
                var text = spreadText(Spread(w.values)) { workText($0, measure) }
                if w.reached < w.total { text += " (\(w.reached)/\(w.total))" }
                if marks[t]?.indistinguishable.contains(key(g)) == true { text += " ≈" }
                let reference = marks[t]?.reference == key(g)
                row.append(Table.Cell(text, numeric: true, bold: reference && marks[t]!.significant,
                                      italic: reference && !marks[t]!.significant,
                                      marker: w.reached < w.total ? noteMarker() : nil))
            }
            row.append(Table.Cell(g.finalError.map { spreadText($0) { NumberFormat.scientific($0) } } ?? "–", numeric: true))
            row.append(Table.Cell(g.finalGradient.map { spreadText($0) { NumberFormat.scientific($0) } } ?? "–", numeric: true))
            if validationLoss {
                row.append(Table.Cell(g.finalValidationLoss.map { spreadText($0) { NumberFormat.scientific($0) } } ?? "–", numeric: true))
            }
            if validationAccuracy {
                row.append(Table.Cell(g.finalValidationAccuracy.map { spreadText($0) { NumberFormat.fixed($0) } } ?? "–", numeric: true))
            }
            row.append(Table.Cell(g.isSkipped ? "skipped" : g.statusText))
            rows.append(row)
        }
        let measureName = fStarKnown ? "f − f*" : "‖∇f‖"
        var columns = [Table.Column("optimizer", right: false)]
        if !learningRates.isEmpty { columns.append(Table.Column("lr")) }
        for t in Targets.all {
            columns.append(Table.Column(Targets.label(t), latex: "\\ensuremath{10^{-\(Targets.label(t).dropFirst(3))}}"))
        }
        columns += [Table.Column(fStarKnown ? "final f − f*" : "final ‖∇f‖"), Table.Column("final ‖∇f‖")]
        if validationLoss { columns.append(Table.Column("validation loss")) }
        if validationAccuracy { columns.append(Table.Column("validation accuracy")) }
        columns.append(Table.Column("status", right: false))
        let instances = p.instanceCount
        let firstInstance = p.groups.first?.runs.first?.instance ?? 0
        let which = instances > 1 ? " for instance \(firstInstance)" : ""
        var caption = !fStarKnown ? "f* unknown: targets are on ‖∇f‖. "
            : p.optimum!.source == .bestReached
            ? "f* = \(NumberFormat.scientific(p.optimum!.value, digits: 6))\(which) (best_reached: not certified, the lowest f any run "
                + "here evaluated; non-convex problem). "
            : "f* = \(NumberFormat.scientific(p.optimum!.value, digits: 6))\(which) (\(p.optimum!.source.rawValue)). "
        if instances > 1 && fStarKnown {
            caption += "Each of the \(instances) instances is measured against its own f* (reference.csv). "
        }
        caption += "Column τ: \(measure.words) until \(measureName) first fell to τ or below"
        let word = p.runWord
        caption += seeds > 1
            ? "; median [interquartile range] over \(seeds) \(word), (k/\(seeds)) when only k \(word) reached τ. "
            : ". "
        caption += markRule(runs: seeds, word: word)
        caption += "– : never reached (the note says how the run ended). "
        if !learningRates.isEmpty {
            caption += "lr: the learning rate chosen by the --tune sweep on instance 0 (tuning.csv), – where the method has none. "
        }
        caption += rowOrder + " Descent run \(hash)."
        return Table(title: "\(p.problem) (n = \(p.dimension))", caption: caption,
                     label: "descent:" + LaTeX.key(p.problem), columns: columns, rows: rows, footnotes: footnotes)
    }

    /// The cross-problem summary table of ``standings(_:)`` over `problemCount` problems; `intervals`
    /// are the bootstrap intervals of the median ratios by row label (``Bootstrap/medianRatioIntervals()``).
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
            var ratio = s.medianRatio.map { NumberFormat.fixed($0) } ?? "–"
            if s.medianRatio != nil, let i = intervals[s.label] {
                ratio += " [" + NumberFormat.fixed(i.lower) + "–" + NumberFormat.fixed(i.upper) + "]"
            }
            var row = [Table.Cell(String(s.rank), numeric: true), Table.Cell(s.label, bold: s.rank == 1),
                       Table.Cell(String(s.problems), numeric: true, marker: marker),
                       Table.Cell(NumberFormat.fixed(100 * s.score) + "%", numeric: true),
                       Table.Cell("\(s.successes)/\(s.attempts)")]
            if manyRuns { row.append(Table.Cell("\(s.reached)/\(s.possible)")) }
            return row + [Table.Cell("\(s.converged)/\(s.runs)"), Table.Cell(String(s.diverged), numeric: true),
                          Table.Cell(ratio, numeric: s.medianRatio != nil)]
        }
        var columns = [Table.Column("rank"), Table.Column("optimizer", right: false), Table.Column("problems"),
                       Table.Column("score"), Table.Column(manyRuns ? "runs reaching" : "targets reached")]
        if manyRuns { columns.append(Table.Column("targets reached")) }
        columns += [Table.Column("converged"), Table.Column("diverged"), Table.Column("median work ratio")]
        var caption = "Over \(problemCount) problems and the targets f − f* ≤ 10⁻¹ … 10⁻⁸ (‖∇f‖ where f* is unknown), "
            + "counted only on the problems each optimizer ran on. Score: "
            + (manyRuns ? "runs reaching as a percentage; runs reaching: k/N over its (problem, target, run) triples. "
                : "targets reached as a percentage; targets reached: (problem, target) pairs its run reached. ")
        if manyRuns { caption += "Targets reached: (problem, target) pairs every one of its runs reached. " }
        caption += "Converged: its runs (over all its problems) that ended converged, of those that ran; diverged: its runs "
            + "that diverged. Median work ratio: over the pairs every run reached, its median work (evaluations; epochs in "
            + "mini-batch runs) divided by the least median work any optimizer needed for the same pair (1 = always the fastest)"
        caption += intervals.isEmpty ? ". "
            : "; [95% percentile-bootstrap interval: each problem's runs redrawn with replacement, the same draw for every "
                + "optimizer, \(Bootstrap.replicates) seeded replicates]. "
        caption += rankingRule + " Descent run \(hash)."
        return Table(title: "All problems: targets reached and work relative to the best", caption: caption,
                     label: "descent:overview", columns: columns, rows: rows, footnotes: footnotes)
    }
}
