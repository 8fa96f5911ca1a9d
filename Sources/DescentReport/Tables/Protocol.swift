import DescentCore

/// The text around the tables: each per-problem table's short caption, the abbreviated status of
/// the LaTeX tables, and the protocol paragraph every caption refers to (`tables/protocol.tex`,
/// `tables/protocol.md` and the top of `tables/tables.md`), written once.
extension ResultTables {
    /// The letter of a status in the LaTeX tables' status column.
    public static func statusLetter(_ s: RunStatus) -> String {
        switch s {
        case .converged: return "C"
        case .maxIterations: return "M"
        case .stalled: return "S"
        case .diverged: return "D"
        case .timeout: return "T"
        case .interrupted: return "I"
        case .crashed: return "X"
        case .skipped: return "K"
        }
    }

    /// A status in words, for the legend.
    static func statusWords(_ s: RunStatus) -> String {
        s == .maxIterations ? "maximum iterations" : s.rawValue
    }

    /// The status cell of the LaTeX table: `C` when every run ended so, `5C, 2S` when they differ,
    /// `skipped`; and the statuses used (for the legend).
    static func statusCode(_ g: RunGroup) -> (String, [RunStatus]) {
        if g.isSkipped { return ("skipped", []) }
        var counts: [(RunStatus, Int)] = []
        for r in g.runs {
            if let i = counts.firstIndex(where: { $0.0 == r.result.status }) { counts[i].1 += 1 } else { counts.append((r.result.status, 1)) }
        }
        counts.sort { $0.0 < $1.0 }
        if counts.count == 1 { return (statusLetter(counts[0].0), [counts[0].0]) }
        return (counts.map { "\($0.1)" + statusLetter($0.0) }.joined(separator: "\\,"), counts.map(\.0))
    }

    /// How a reference optimum was certified, in words.
    public static func sourceName(_ s: OptimumSource) -> String {
        switch s {
        case .analytic: return "analytic"
        case .linearSolve: return "linear solve"
        case .gslBFGS2: return "GSL BFGS2"
        case .gslBFGS2Newton: return "GSL BFGS2 + Newton"
        case .bestReached: return "best reached, not certified"
        }
    }

    /// A per-problem table's caption: what is specific to it (which measure, what a cell is over, f*
    /// and its source); the rules are in the protocol (``ResultProtocol``).
    static func targetsCaption(_ p: ProblemGroup, measure: WorkMeasure, tuned: Bool, latexTargets: [Double]) -> String {
        let on = p.optimum == nil ? "‖∇f‖" : "f − f*"
        var caption = "Column τ: \(measure.words) until \(on) first fell to τ or below"
        let (n, word) = (p.seedCount, p.runWord)
        caption += n > 1 ? ", median [interquartile range] over \(n) \(word); (k/\(n)): only k reached τ; –: none did (the status says how they ended)."
            : "; –: never reached (the status says how the run ended)."
        if let o = p.optimum {
            let f = NumberFormat.value(o.value, digits: 6)
            caption += p.instanceCount > 1
                ? " f* (\(sourceName(o.source))): each instance's own; \(f) for instance \(p.groups.first?.runs.first?.instance ?? 0)."
                : " f* = \(f) (\(sourceName(o.source)))."
        } else {
            caption += " f* unknown: the targets are on ‖∇f‖."
        }
        if tuned { caption += " lr: chosen by `--tune` (the sweep's table shows it)." }
        return caption
    }
}

/// The protocol paragraph: targets, cells, marks, row order, ranking, status letters and the number
/// rule, generated once (`tables/protocol.tex`, `tables/protocol.md`, the top of `tables/tables.md`)
/// and referred to by every caption.
public struct ResultProtocol: Sendable {
    /// The paragraphs, as Markdown prose (`` `code` `` spans; ``LaTeX/prose(_:)`` sets them for LaTeX).
    public var paragraphs: [String]

    /// The protocol of the problems of one results set (`hash`): their runs per optimizer, the marks' rule and its
    /// power at these sizes (``ResultTables/powerNote(runs:optimizers:word:)``); `tuned` when a `--tune` sweep chose learning rates.
    public init(problems: [ProblemGroup], hash: String, tuned: Bool) {
        let seeds = problems.map(\.seedCount).max() ?? 1
        let word = problems.contains { $0.instanceCount > 1 } ? "instances" : "seeds"
        let stochastic = problems.contains { $0.isStochastic }
        var p: [String] = []
        p.append("Descent run `\(hash)` (its configuration is in `metadata.json`): \(problems.count) problems"
            + (seeds > 1 ? ", \(seeds) \(word) of each" : "") + ". Every table counts the work, evaluations of f (with or without ∇f)"
            + (stochastic ? " or, in mini-batch runs, epochs," : "") + " until f − f* first fell to a target τ or below, "
            + "for τ = 10⁻¹, 10⁻², …, 10⁻⁸ (on ‖∇f‖ instead where f* is unknown). Each instance is measured against its own f*; "
            + "`reference.csv` lists them with how each was certified: analytic, linear solve, GSL BFGS2, GSL BFGS2 + Newton "
            + "(then Newton steps with the exact Hessian), or best reached (the lowest f any run evaluated: not certified, "
            + "for non-convex problems).")
        p.append((seeds > 1 ? "A cell is the median [interquartile range] over the runs that reached τ, with (k/N) when only k of N did; "
                  : "A cell is the work of the run; ")
            + "– when none did, with a note saying how the runs ended. " + ResultTables.markRule(runs: seeds, word: word)
            + ResultTables.powerNote(runs: seeds, optimizers: problems.map { $0.groups.filter { !$0.isSkipped }.count }.max() ?? 0,
                                     word: word)
            + "`effects.csv` has, for every marked column, each optimizer's median work over the reference's with a 95% "
            + "bootstrap interval, Vargha–Delaney Â₁₂, the p-values (exact, Holm-corrected, and the exact paired sign-flip test "
            + "for comparison) and the mark. " + ResultTables.rowOrder)
        if tuned { p.append("lr: the learning rate the `--tune` sweep chose on instance 0 (`tuning.csv`); – where the method has none.") }
        p.append("Overview: " + ResultTables.rankingRule + " Its median work ratio has a 95% percentile-bootstrap interval: each "
            + "problem's runs redrawn with replacement, the same draw for every optimizer.")
        p.append("Status (LaTeX tables): " + RunStatus.allCases.map { ResultTables.statusLetter($0) + " " + ResultTables.statusWords($0) }
            .joined(separator: ", ") + "; 5C 2S: 5 runs converged, 2 stalled.")
        p.append("Numbers: integers in full; other numbers with 3 significant digits, plain from 0.01 to below 1000 and as m·10ᵏ "
            + "otherwise, one notation for a cell's median and quartiles; work counted in evaluations is a count, so its "
            + "medians and quartiles are rounded to whole counts.")
        paragraphs = p
    }

    /// `tables/protocol.md` and the top of `tables/tables.md`: a `## Protocol` section (the captions' `#protocol` link).
    public var markdown: String { "## Protocol\n\n" + paragraphs.joined(separator: "\n\n") + "\n" }

    /// `tables/protocol.tex`: `\DescentProtocolHeading` (by default `\section{Benchmark protocol}`; define it
    /// before `\input` to use another heading) with the label `descent:protocol` the captions `\ref`, then the paragraphs.
    public var latex: String {
        "% Generated by Descent; regenerate with `suite report`. The captions of tables/*.tex refer to this section\n"
            + "% (\\ref{descent:protocol}). Define \\DescentProtocolHeading before \\input to change its heading.\n"
            + LaTeX.numberMacro
            + "\\providecommand{\\DescentProtocolHeading}{\\section{Benchmark protocol}}\n\\DescentProtocolHeading\\label{descent:protocol}\n"
            + paragraphs.map(LaTeX.prose).joined(separator: "\n\n") + "\n"
    }
}

extension ResultTables {
    /// The target columns of the LaTeX per-problem tables from `--latex-targets` text: a comma-separated
    /// list of targets of ``Targets/all`` (`1e-2,1e-6`, or `0.01`), each once; returned loosest first.
    /// An error message naming what is valid for an empty list, a value not in ``Targets/all``, a repeat or junk.
    public static func parseLaTeXTargets(_ text: String) -> Result<[Double], LaTeXTargetsError> {
        let valid = Targets.all.map(Targets.label).joined(separator: ",")
        func fail(_ what: String) -> Result<[Double], LaTeXTargetsError> {
            .failure(LaTeXTargetsError(message: "--latex-targets: \(what); give a comma-separated list of the run's targets \(valid) "
                + "(default \(defaultLaTeXTargets.map(Targets.label).joined(separator: ",")))"))
        }
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
        guard !(items.count == 1 && items[0].isEmpty) else { return fail("the list is empty") }
        var out: [Double] = []
        for item in items {
            guard !item.isEmpty else { return fail("an empty item in '\(text)'") }
            guard let x = Double(item), x.isFinite else { return fail("'\(item)' is not a number") }
            guard let t = Targets.all.first(where: { $0 == x }) else { return fail("\(item) is not one of the run's targets") }
            guard !out.contains(t) else { return fail("\(item) is given twice") }
            out.append(t)
        }
        return .success(out.sorted(by: >))
    }
}

/// Why a `--latex-targets` value was refused (the message names what is valid).
public struct LaTeXTargetsError: Error, Sendable, CustomStringConvertible {
    /// The message.
    public var message: String
    public var description: String { message }
}

private extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
