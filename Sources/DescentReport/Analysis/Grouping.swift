import DescentCore

/// How work is counted in a table, a plot or a profile.
public enum WorkMeasure: String, Sendable, CaseIterable {
    /// Points where f (alone or with ∇f) was evaluated: the oracle calls of every method, first-order,
    /// quasi-Newton or derivative-free alike.
    case evaluations
    /// Gradient evaluations (mini-batch gradients in stochastic runs).
    case gradientEvaluations = "gradient_evaluations"
    /// Optimizer steps.
    case iterations
    /// Passes over the data (per-sample gradients / m).
    case epochs
    /// Wall-clock seconds (not deterministic: used only for the files under `timing/`).
    case seconds

    /// The work a hit records.
    public func value(_ h: TargetHit) -> Double {
        switch self {
        case .evaluations: return Double(h.functionEvaluations)
        case .gradientEvaluations: return Double(h.gradientEvaluations)
        case .iterations: return Double(h.iteration)
        case .epochs: return h.epochs
        case .seconds: return h.time
        }
    }

    /// The x-coordinate of a trace row.
    public func value(_ row: TraceRow) -> Double {
        switch self {
        case .evaluations, .gradientEvaluations: return Double(row.gradientEvaluations)
        case .iterations: return Double(row.iteration)
        case .epochs: return row.epochs
        case .seconds: return row.time
        }
    }

    /// Words for captions and axis labels.
    public var words: String {
        switch self {
        case .evaluations: return "evaluations of f (with or without ∇f)"
        case .gradientEvaluations: return "gradient evaluations"
        case .iterations: return "iterations"
        case .epochs: return "epochs"
        case .seconds: return "seconds"
        }
    }
}

/// Every run of one optimizer on one problem: one per seed.
public struct RunGroup: Sendable {
    /// The problem label.
    public var problem: String
    /// The optimizer label.
    public var optimizer: String
    /// The mini-batch size, `nil` for full batch.
    public var batchSize: Int?
    /// The runs, in the order they were made (seed order).
    public var runs: [RunRecord]

    /// A group.
    public init(problem: String, optimizer: String, batchSize: Int?, runs: [RunRecord]) {
        self.problem = problem
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.runs = runs
    }

    /// Whether every run was skipped (nothing to show but the reason).
    public var isSkipped: Bool { runs.allSatisfy { $0.result.status == .skipped } }
    /// Runs that happened.
    public var ran: [RunRecord] { runs.filter { $0.result.status != .skipped } }

    /// The work of the runs that reached `target` and how many of the runs that ran did.
    public func work(to target: Double, in measure: WorkMeasure) -> (values: [Double], reached: Int, total: Int) {
        let ran = self.ran
        let values = ran.compactMap { r in r.result.hits.first(where: { $0.target == target }).map(measure.value) }
        return (values, values.count, ran.count)
    }

    /// The median and IQR of the work to `target`, when every run reached it.
    public func solved(_ target: Double, in measure: WorkMeasure) -> Spread? {
        let w = work(to: target, in: measure)
        return w.total > 0 && w.reached == w.total ? Spread(w.values) : nil
    }

    /// The final f − f* (‖∇f‖ where f* is unknown) of every run that ran.
    public var finalError: Spread? {
        let values = ran.map(\.result.finalError)
        return values.isEmpty ? nil : Spread(values)
    }

    /// The final validation loss and accuracy of every run that has them.
    public var finalValidationLoss: Spread? { spread(ran.compactMap(\.result.validationLoss)) }
    public var finalValidationAccuracy: Spread? { spread(ran.compactMap(\.result.validationAccuracy)) }

    /// The median and IQR of `values`, nil when there are none.
    private func spread(_ values: [Double]) -> Spread? { values.isEmpty ? nil : Spread(values) }

    /// The final ‖∇f‖ of every run that ran.
    public var finalGradient: Spread? {
        let values = ran.map(\.result.gradientNorm)
        return values.isEmpty ? nil : Spread(values)
    }

    /// The end of every run in words: `max iterations`, `3 converged, 2 diverged at iteration 12–40`.
    public var statusText: String {
        if runs.count == 1 { return runs[0].result.statusDescription }
        var counts: [(RunStatus, [RunRecord])] = []
        for r in runs {
            if let i = counts.firstIndex(where: { $0.0 == r.result.status }) { counts[i].1.append(r) } else { counts.append((r.result.status, [r])) }
        }
        counts.sort { $0.0 < $1.0 }
        return counts.map { status, rs in
            if rs.count == runs.count { return "\(runs.count)/\(runs.count) " + rs[0].result.statusDescription }
            let words = status.rawValue.split(separator: "_").joined(separator: " ")
            let ks = rs.map(\.result.iterations)
            let at = (status == .diverged || status == .timeout) ? " at iteration \(ks.min()!)" + (ks.max()! > ks.min()! ? "–\(ks.max()!)" : "") : ""
            return "\(rs.count) \(words)\(at)"
        }.joined(separator: ", ")
    }
}

/// The runs on one problem, grouped by optimizer, and the problem's certified optimum.
public struct ProblemGroup: Sendable {
    /// The problem label.
    public var problem: String
    /// The dimension n.
    public var dimension: Int
    /// The certified optimum, if known.
    public var optimum: Optimum?
    /// One group per optimizer (and batch size), in the order of first appearance.
    public var groups: [RunGroup]

    /// Whether any run used mini-batches (its tables count epochs).
    public var isStochastic: Bool { groups.contains { $0.batchSize != nil } }
    /// The number of seeds of the group with the most.
    public var seedCount: Int { groups.map(\.runs.count).max() ?? 0 }
    /// The number of distinct instances the runs ran on (1 without `--instances`).
    public var instanceCount: Int { Set(groups.flatMap { $0.runs.map(\.instance) }).count }
    /// What a table's spread is over: "instances" or "seeds".
    public var runWord: String { instanceCount > 1 ? "instances" : "seeds" }
    /// The measure tables use by default: evaluations, or epochs for stochastic runs.
    public var defaultMeasure: WorkMeasure { isStochastic ? .epochs : .evaluations }
}

/// Groups run records for tables, plots and profiles; everything keeps the order of first appearance.
public enum Grouping {
    /// Problems in order of first appearance; within each, one group per (optimizer, batch size).
    public static func problems(_ records: [RunRecord], references: [String: Optimum]) -> [ProblemGroup] {
        var out: [ProblemGroup] = []
        for r in records {
            let p: Int
            if let i = out.firstIndex(where: { $0.problem == r.problem }) {
                p = i
            } else {
                // The optimum of the first instance that ran (instance 0 unless the sweep took it: --tune --instances).
                out.append(ProblemGroup(problem: r.problem, dimension: r.dimension,
                                        optimum: references[Instances.referenceKey(r.problem, instance: r.instance)], groups: []))
                p = out.count - 1
            }
            if let g = out[p].groups.firstIndex(where: { $0.optimizer == r.optimizer && $0.batchSize == r.batchSize }) {
                out[p].groups[g].runs.append(r)
            } else {
                out[p].groups.append(RunGroup(problem: r.problem, optimizer: r.optimizer, batchSize: r.batchSize, runs: [r]))
            }
        }
        return out
    }
}
