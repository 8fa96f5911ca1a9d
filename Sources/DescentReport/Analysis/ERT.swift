import DescentCore

/// COCO's expected running time (ERT, called aRT since 2016) of one optimizer on one problem to one
/// target: the work of all its runs divided by the number that reached the target (Price 1997,
/// Auger & Hansen 2005; Hansen et al., "COCO: performance assessment", § "Average runtime"),
///
///     ERT = (Σ successful runs' work to the first hit + Σ unsuccessful runs' total work) / #successes,
///
/// an estimate of the expected work of the optimizer restarted until it succeeds, with its instances
/// (and seeds) taken as repetitions. ERT is ∞ (`inf` in ert.csv, ∞ in the tables) without a success.
///
/// Work is the problem's default measure (``ProblemGroup/defaultMeasure``). A successful run's work is
/// the hit's count (targets.csv: `function_evaluations`, or `epochs` for mini-batch problems); an
/// unsuccessful run's is everything it used (summary.csv's `function_evaluations` or `epochs`:
/// ``RunResult/functionEvaluations`` counts every point where f was evaluated, gradients and line-search
/// trials included, up to the iteration the run stopped at, diverged and stalled runs alike). Skipped runs
/// did not run: they are not counted in `runs` and add no work.
public struct ERT: Sendable, Equatable {
    /// The problem label.
    public var problem: String
    /// The optimizer (table row label).
    public var solver: String
    /// The target τ.
    public var target: Double
    /// What work counts.
    public var measure: WorkMeasure
    /// Runs that reached τ.
    public var successes: Int
    /// Runs that ran (skipped ones excluded).
    public var runs: Int
    /// The summed work: successful runs up to the hit, unsuccessful runs in full, added in run order.
    public var work: Double

    /// `work / successes`, ∞ without a success.
    public var value: Double { successes > 0 ? work / Double(successes) : .infinity }

    /// All the work a run did, in `measure` (summary.csv's column of that name; seconds: `time_s`).
    public static func totalWork(_ r: RunResult, in measure: WorkMeasure) -> Double {
        switch measure {
        case .evaluations: return Double(r.functionEvaluations)
        case .gradientEvaluations: return Double(r.gradientEvaluations)
        case .iterations: return Double(r.iterations)
        case .epochs: return r.epochs
        case .seconds: return r.time
        }
    }

    /// The ERT of group `g` to `target` in `measure`.
    public init(_ g: RunGroup, target: Double, measure: WorkMeasure) {
        problem = g.problem
        solver = ResultTables.rowLabel(g)
        self.target = target
        self.measure = measure
        var successes = 0, runs = 0
        var work = 0.0
        for r in g.runs where r.result.status != .skipped {
            runs += 1
            if let h = r.result.hits.first(where: { $0.target == target }) {
                successes += 1
                work += measure.value(h)
            } else {
                work += Self.totalWork(r.result, in: measure)
            }
        }
        self.successes = successes
        self.runs = runs
        self.work = work
    }

    /// Every optimizer's ERT on `p` to each of `targets`, in the problem's default measure: optimizers in
    /// order of first appearance, targets in the order given.
    public static func entries(_ p: ProblemGroup, targets: [Double] = Targets.all) -> [[ERT]] {
        p.groups.map { g in targets.map { ERT(g, target: $0, measure: p.defaultMeasure) } }
    }

    /// `ert.csv`: `problem, optimizer, target, measure, ert, successes, runs, work` for every problem,
    /// optimizer and target of ``Targets/all`` (problems and optimizers in order of first appearance,
    /// targets loosest first); exact numbers, `inf` for no success.
    public static func csv(_ problems: [ProblemGroup]) -> String {
        var rows: [[String]] = []
        for p in problems {
            for e in entries(p).joined() {
                rows.append([CSV.field(e.problem), CSV.field(e.solver), NumberFormat.exact(e.target), e.measure.rawValue,
                             NumberFormat.exact(e.value), String(e.successes), String(e.runs), NumberFormat.exact(e.work)])
            }
        }
        return CSV.table(header: ["problem", "optimizer", "target", "measure", "ert", "successes", "runs", "work"], rows: rows)
    }
}
