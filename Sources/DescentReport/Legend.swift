import DescentCore

/// What every status and every column of the generated files means, written once: `tables/legend.md`,
/// the legend at the end of `summary.md`, and the output-files article of the documentation.
public enum Legend {
    /// A status: its CSV value (``RunStatus/rawValue``), its words in tables, and what it means.
    public struct Status: Sendable {
        /// The status.
        public var status: RunStatus
        /// How tables print it (`max iterations`; `diverged at iteration k` in per-run rows).
        public var words: String
        /// When a run ends with it.
        public var meaning: String
    }

    /// Every status, in the order the harness checks them at each iterate (``RunStatus``), then the
    /// statuses given from outside the loop.
    public static let statuses: [Status] = [
        Status(status: .diverged, words: "diverged",
               meaning: "f or ∇f became NaN or ±∞, or f rose above f(x₀) + 10¹⁰·max(1, |f(x₀)|); "
                   + "per-run rows say `diverged at iteration k`"),
        Status(status: .converged, words: "converged",
               meaning: "f − f* fell to `--tolerance` (default 10⁻⁸) or below; ‖∇f‖₂ ≤ `--tolerance` where f* is unknown"),
        Status(status: .maxIterations, words: "max iterations",
               meaning: "`--max-iterations` steps were taken without converging (default 5000)"),
        Status(status: .stalled, words: "stalled",
               meaning: "no new best f for `--patience` consecutive iterations (default 500), or the method "
                   + "could take no further step (a solver's line search made no progress; `note` says why)"),
        Status(status: .timeout, words: "timeout",
               meaning: "the run exceeded `--time-limit` seconds; the last logged row is kept"),
        Status(status: .crashed, words: "crashed",
               meaning: "the worker process died (a trap, a stack overflow, a signal); `note` has the signal and the error line"),
        Status(status: .interrupted, words: "interrupted",
               meaning: "stopped by Ctrl-C or SIGTERM; not journaled, so `--resume` runs it again"),
        Status(status: .skipped, words: "skipped",
               meaning: "not run: the optimizer needs something the problem or run cannot give "
                   + "(a Hessian, a certified f*, global curvature, full batches); `note` says which"),
    ]

    /// One column of a file and what it holds.
    public typealias Column = (name: String, meaning: String)

    /// The columns of `summary.csv` (``CSV/summaryColumns``), one row per run.
    public static let summaryCSV: [Column] = [
        ("problem", "the problem's label, with its parameters where they differ from the defaults"),
        ("dimension", "n, the number of variables"),
        ("optimizer", "the optimizer's label: its name, the hyperparameters that differ from the defaults, and its modifiers"),
        ("seed", "the run's seed (`--seed` + instance, or one of `--seeds`)"),
        ("batch_size", "the mini-batch size; empty for full-batch runs"),
        ("status", "how the run ended: one of the statuses below, as its CSV value"),
        ("iterations", "optimizer steps taken"),
        ("gradient_evaluations", "evaluations of f and ∇f together (iterations + 1 in a full-batch run; mini-batch gradients in a stochastic one)"),
        ("function_evaluations", "evaluations of f with or without ∇f, line-search trials included: the work the tables count"),
        ("sample_gradients", "per-sample gradients: m per full gradient of a finite sum of m terms, |B| per mini-batch, 1 per gradient of any other problem"),
        ("epochs", "sample_gradients / m: passes over the data"),
        ("f_initial", "f(x₀)"),
        ("f_final", "f at the last iterate"),
        ("f_star", "the instance's reference optimum f* (empty when unknown)"),
        ("suboptimality", "f_final − f_star (empty when f* is unknown)"),
        ("grad_norm", "‖∇f‖₂ at the last iterate"),
        ("note", "why the run was skipped, crashed or stalled, and other facts about it (Newton: its Hessian evaluations)"),
        ("trace", "the trace file of the run, relative to the folder"),
        ("validation_loss", "the loss on the validation split at the last iterate (problems with a validation split)"),
        ("validation_accuracy", "the share of the validation split classified correctly (classification problems)"),
        ("instance", "which instance ran: 0 is the problem as selected, i ≥ 1 regenerates its data or perturbs its start with seed `--seed` + i"),
    ]

    /// The columns of `targets.csv` (``CSV/targetColumns``), one row per run and target.
    public static let targetsCSV: [Column] = [
        ("problem, optimizer, seed, batch_size", "the run, as in summary.csv"),
        ("target", "τ, one of 10⁻¹ … 10⁻⁸, on f − f* (on ‖∇f‖ where f* is unknown)"),
        ("reached", "`true` when the run fell to τ or below"),
        ("iterations, gradient_evaluations, function_evaluations, sample_gradients, epochs",
         "the work when τ was first reached (empty when it was not)"),
    ]

    /// The columns of `reference.csv` (``CSV/referenceColumns``), one row per problem instance.
    public static let referenceCSV: [Column] = [
        ("problem, dimension", "the problem and n"),
        ("f_star", "the reference optimum f*"),
        ("source", "how it was obtained: `analytic`, `linear_solve` (GSL Cholesky or QR), `gsl_bfgs2`, "
            + "`gsl_bfgs2+newton`, or `best_reached` (non-convex problems: the lowest f any run evaluated, not certified)"),
        ("grad_norm_at_x_star", "the certificate ‖∇f(x*)‖₂, evaluated by the problem itself"),
        ("hessian_min_eigenvalue, hessian_max_eigenvalue", "the extreme eigenvalues of ∇²f(x*) (empty above n = 2000 or without a Hessian)"),
        ("condition_number", "κ, for problems whose Hessian is constant (quadratics, least squares); empty otherwise"),
        ("x_star", "x*, its coordinates separated by `;` (empty for n > 100)"),
        ("instance", "the instance, as in summary.csv"),
    ]

    /// The columns of a trace file (``CSV/traceColumns``), one row per logged iterate.
    public static let traceCSV: [Column] = [
        ("iteration", "steps taken (0 is the starting point)"),
        ("gradient_evaluations, sample_gradients, epochs", "the work so far, as in summary.csv"),
        ("f, suboptimality, grad_norm", "f, f − f* and ‖∇f‖₂ at this iterate"),
        ("step_norm", "‖x_k − x_{k−1}‖₂"),
        ("validation_loss, validation_accuracy", "on the validation split, where the problem has one"),
        ("time_s", "wall-clock seconds since the run started (not repeatable)"),
    ]

    /// The columns of the other CSV files.
    public static let otherCSV: [(file: String, columns: [Column])] = [
        ("timing.csv", [
            ("problem, optimizer, seed, batch_size", "the run"),
            ("target", "τ, or empty for the whole run"),
            ("time_s", "wall-clock seconds to τ, or of the whole run (not repeatable)"),
        ]),
        ("effects.csv", [
            ("problem, target", "the column of a per-problem table"),
            ("optimizer, reference", "the optimizer compared and the column's reference"),
            ("runs, reached", "its runs and how many reached τ"),
            ("median_work", "the median outcome over all runs (empty when at most half reached τ)"),
            ("ratio, ratio_lower, ratio_upper", "median_work over the reference's, with a 95% percentile-bootstrap interval"),
            ("a12", "Vargha–Delaney Â₁₂: the probability that a run of the optimizer is behind a run of the reference (0.5: no difference)"),
            ("p, p_holm, p_paired", "the exact rank-sum p, Holm-corrected within the column (the marks use it), and the exact paired sign-flip p"),
            ("mark", "`bold`, `italic`, `≈` or empty, as in the tables"),
        ]),
        ("ert.csv", [
            ("problem, optimizer, target", "the group and τ"),
            ("measure", "what work counts: `evaluations`, or `epochs` for mini-batch problems"),
            ("ert", "expected running time: work / successes (`inf` without a success)"),
            ("successes, runs", "runs that reached τ, and runs that ran"),
            ("work", "successful runs' work to the first hit plus unsuccessful runs' total work"),
        ]),
        ("ecdf.csv", [
            ("group", "`all`, or a problem class (quadratics, classics, models, networks)"),
            ("measure", "the work measure, as in ert.csv"),
            ("solver", "the optimizer, or `(virtual best)`: the least work any optimizer needed"),
            ("x, solved, total, fraction", "within work x, solved of total (problem, instance, target) triples were reached: fraction = solved / total"),
        ]),
        ("profiles.csv", [
            ("profile", "`performance` (Dolan–Moré) or `data` (Moré–Wild)"),
            ("target", "`--profile-target`"),
            ("solver, x, fraction", "the step points of the solver's curve: at ratio (or budget) x, the fraction of problems solved"),
            ("lower, upper", "the 95% bootstrap band at x"),
        ]),
        ("tuning.csv", [
            ("problem, optimizer, lr", "one run of the learning-rate sweep, on instance 0"),
            ("status", "how it ended"),
            ("targets_reached, evaluations_to_tightest, final_error", "what the choice rule ranks by"),
            ("chosen", "`true` for the learning rate the evaluation runs use"),
        ]),
        ("tuning-cost.csv", [
            ("problem, optimizer, k", "a sweep and a number of learning rates drawn from its grid"),
            ("expected_targets_reached, sd", "the expected number of targets reached by the best of k draws, and its standard deviation"),
        ]),
    ]

    /// The columns of the overview (`tables/tables.md`, `tables/overview.tex`, the end of a run).
    public static let overview: [Column] = [
        ("rank", "by score, then by smallest median work ratio; equal score and ratio share a rank"),
        ("optimizer", "the optimizer's label"),
        ("problems", "the problems it ran on (skipped problems are neither credited nor penalised)"),
        ("score", "the share of its (problem, target, run) triples in which the run reached the target"),
        ("runs reaching", "those triples as k/N (with one run per problem: targets reached)"),
        ("targets reached", "the (problem, target) pairs every one of its runs reached"),
        ("converged", "its runs that converged, of those that ran"),
        ("diverged", "its runs that diverged"),
        ("median work ratio", "over the pairs every run reached: its median work divided by the least any optimizer needed "
            + "(1 = always the fastest), with a 95% bootstrap interval"),
    ]

    /// The columns of `summary.md`'s tables.
    public static let summaryTable: [Column] = [
        ("optimizer", "the optimizer's label, `(B=32)` for mini-batch runs; rows in the order of the problem's table in tables/tables.md"),
        ("runs", "its runs on the problem: instances × seeds"),
        ("one column per status", "how many of those runs ended with it (only statuses that occur in the file have a column)"),
        ("median final f − f*", "the median of f − f* at the last iterate over the runs that ran (‖∇f‖ where f* is unknown)"),
        ("note", "the reason a run was skipped or crashed"),
    ]

    /// The status legend as a Markdown table: CSV value, words in tables, meaning.
    public static var statusTable: String {
        var out = "| status (CSV) | in tables | meaning |\n|---|---|---|\n"
        for s in statuses { out += "| `\(s.status.rawValue)` | \(s.words) | \(cell(s.meaning)) |\n" }
        return out
    }

    /// `text` for a table cell: a `|` would end the cell.
    static func cell(_ text: String) -> String { text.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }

    /// A column list as a Markdown table.
    /// `code`: the names are a file's columns, set as code; else a table's headings, set as words.
    static func columnTable(_ columns: [Column], heading: String = "column", code: Bool = true) -> String {
        var out = "| \(heading) | meaning |\n|---|---|\n"
        for c in columns {
            let names = c.name.split(separator: ",").map { $0.drop { $0 == " " } }.map { code ? "`\($0)`" : String($0) }
            out += "| \(names.joined(separator: ", ")) | \(cell(c.meaning)) |\n"
        }
        return out
    }

    /// `tables/legend.md`: every status and every column of the files a run writes.
    public static var markdown: String {
        "# Legend\n\nWhat every status and column in this folder means.\n\n" + body
    }

    /// The documentation's article of the same definitions (DocC Markdown; `suite _docs legend`).
    public static var article: String {
        "# Statuses and columns\n\nWhat every status and every column of the files a run writes means.\n\n"
            + "@Comment {\n  Generated by `swift run suite _docs legend` from Sources/DescentReport/Legend.swift, which also writes "
            + "tables/legend.md; do not edit (scripts/docs-check.sh checks it).\n}\n\n## Overview\n\n"
            + "A results folder holds the same text as `tables/legend.md`.\n\n" + body
    }

    /// The sections both share: statuses, then every table's and file's columns.
    static var body: String {
        var out = "## Statuses\n\nA status appears in summary.csv as its CSV value and in the tables as words.\n\n" + statusTable
            + "\nIn per-problem tables a status is counted over the runs: `8/8 converged`, or `5 converged, 3 stalled`. "
            + "The LaTeX tables abbreviate them: "
            + statuses.map { "\(ResultTables.statusLetter($0.status)) \($0.words)" }.joined(separator: ", ") + ".\n"
        out += "\n## The overview (tables/tables.md, the end of a run)\n\n" + columnTable(overview, code: false)
        out += "\n## summary.md\n\n" + columnTable(summaryTable, code: false)
        out += "\n## summary.csv (one row per run)\n\n" + columnTable(summaryCSV)
        out += "\n## targets.csv (one row per run and target)\n\n" + columnTable(targetsCSV)
        out += "\n## reference.csv (one row per problem instance)\n\n" + columnTable(referenceCSV)
        out += "\n## traces/PROBLEM/OPTIMIZER.csv (one row per logged iterate)\n\n" + columnTable(traceCSV)
        for (file, columns) in otherCSV { out += "\n## \(file)\n\n" + columnTable(columns) }
        out += "\nCSV: RFC 4180 quoting, numbers in their shortest round-trip form, `nan`/`inf`/`-inf` for non-finite values, "
            + "an empty field for \"not applicable\".\n"
        return out
    }
}
