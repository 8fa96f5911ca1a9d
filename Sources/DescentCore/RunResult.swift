/// Why a run stopped. Every run ends in exactly one of these.
///
/// | status | meaning |
/// | --- | --- |
/// | `converged` | f − f* ≤ tolerance (when f* is known), else ‖∇f‖₂ ≤ tolerance |
/// | `max_iterations` | the iteration budget ran out first |
/// | `diverged` | f or ∇f became NaN/±∞, or f rose above f(x₀) + threshold·max(1, \|f(x₀)\|) |
/// | `stalled` | f did not improve on its best value for `patience` consecutive iterations |
/// | `timeout` | the run exceeded `--time-limit` (a worker process is killed; its last streamed row is kept) |
/// | `interrupted` | stopped by Ctrl-C or SIGTERM; not recorded as finished, so `--resume` reruns it |
/// | `crashed` | the worker process died (a trap, a signal); the note has the signal and the end of its stderr |
/// | `skipped` | not run: the optimizer needs something the run does not offer (the note says what) |
public enum RunStatus: String, Sendable, CaseIterable, Comparable {
    case converged
    case maxIterations = "max_iterations"
    case stalled
    case diverged
    case timeout
    case interrupted
    case crashed
    case skipped

    /// Order used to sort table rows: converged first, diverged last.
    public var rank: Int {
        switch self {
        case .converged: return 0
        case .maxIterations: return 1
        case .stalled: return 2
        case .timeout: return 3
        case .diverged: return 4
        case .crashed: return 5
        case .interrupted: return 6
        case .skipped: return 7
        }
    }

    public static func < (a: RunStatus, b: RunStatus) -> Bool { a.rank < b.rank }
}

/// One row of a convergence trace: the state after `iteration` steps.
public struct TraceRow: Sendable, Equatable {
    /// Steps taken (0 = the starting point).
    public var iteration: Int
    /// Gradient evaluations so far, this row's included (mini-batch gradients in stochastic runs).
    public var gradientEvaluations: Int
    /// Per-sample gradients computed so far: m per full gradient of a finite sum, |B| per mini-batch,
    /// 1 per gradient of a problem that is not a finite sum.
    public var sampleGradients: Int
    /// Passes over the data: sample gradients / m.
    public var epochs: Double
    /// f(x) at this iterate.
    public var value: Double
    /// f − f*, when f* is known.
    public var suboptimality: Double?
    /// ‖∇f(x)‖₂.
    public var gradientNorm: Double
    /// ‖x_k − x_{k−1}‖₂; `nil` on row 0 and on rows whose previous iterate was not kept
    /// (the harness keeps it only before iterations it is scheduled to log).
    public var stepNorm: Double?
    /// Seconds since the run started (allocation of the state included).
    public var time: Double
    /// The quantity targets and `--tolerance` measure: f − f* when f* is known, else ‖∇f‖₂.
    public var error: Double { suboptimality ?? gradientNorm }

    /// Loss on the problem's validation split, for problems with one (``ValidationMetrics``).
    public var validationLoss: Double?
    /// Accuracy on the validation split, for classification problems with one.
    public var validationAccuracy: Double?

    /// Creates a row.
    public init(iteration: Int, gradientEvaluations: Int, sampleGradients: Int, epochs: Double, value: Double,
                suboptimality: Double?, gradientNorm: Double, stepNorm: Double?, time: Double,
                validationLoss: Double? = nil, validationAccuracy: Double? = nil) {
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.iteration = iteration
        self.gradientEvaluations = gradientEvaluations
        self.sampleGradients = sampleGradients
        self.epochs = epochs
        self.value = value
        self.suboptimality = suboptimality
        self.gradientNorm = gradientNorm
        self.stepNorm = stepNorm
        self.time = time
    }
}

/// The suboptimality targets every run is measured against: 10⁻¹, 10⁻², …, 10⁻⁸.
///
/// A target τ is reached at the first iterate with f − f* ≤ τ (‖∇f‖₂ ≤ τ when f* is unknown), the
/// same absolute measure as `--tolerance`. The harness checks it at every iterate of a full-batch
/// run and at every logged iterate of a stochastic run (where f is only evaluated there).
public enum Targets {
    /// 10⁻¹ … 10⁻⁸, loosest first.
    public static let all: [Double] = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8]

    /// `1e-3` for 10⁻³: the form used in labels; any other value in its shortest round-trip form.
    public static func label(_ target: Double) -> String {
        all.firstIndex(of: target).map { "1e-\($0 + 1)" } ?? target.description
    }
}

/// The work a run had done when it first reached a target.
public struct TargetHit: Sendable, Equatable {
    /// The target τ (one of ``Targets/all``).
    public var target: Double
    /// Steps taken.
    public var iteration: Int
    /// Gradient evaluations so far (mini-batch gradients in stochastic runs).
    public var gradientEvaluations: Int
    /// Function evaluations so far (gradient evaluations included).
    public var functionEvaluations: Int
    /// Per-sample gradients so far.
    public var sampleGradients: Int
    /// Passes over the data so far.
    public var epochs: Double
    /// Seconds since the run started.
    public var time: Double

    /// Creates a hit.
    public init(target: Double, iteration: Int, gradientEvaluations: Int, functionEvaluations: Int,
                sampleGradients: Int, epochs: Double, time: Double) {
        self.target = target
        self.iteration = iteration
        self.gradientEvaluations = gradientEvaluations
        self.functionEvaluations = functionEvaluations
        self.sampleGradients = sampleGradients
        self.epochs = epochs
        self.time = time
    }
}

/// The outcome of one run of one optimizer on one problem.
public struct RunResult: Sendable {
    /// Why it stopped.
    public var status: RunStatus
    /// Steps taken; for `diverged`, the iteration at which divergence was detected.
    public var iterations: Int
    /// Gradient evaluations that drove the steps (each also evaluates f); mini-batch gradients in
    /// stochastic runs, where the full-objective evaluations that monitor progress are not counted.
    public var gradientEvaluations: Int
    /// Evaluations of f (each gradient evaluation also evaluates f; solvers with line searches add more).
    public var functionEvaluations: Int
    /// Per-sample gradients computed for the steps (see ``TraceRow/sampleGradients``).
    public var sampleGradients: Int
    /// Passes over the data: sample gradients / m.
    public var epochs: Double
    /// f(x₀).
    public var initialValue: Double
    /// f at the last iterate.
    public var finalValue: Double
    /// The reference f* the run was measured against, if any.
    public var optimalValue: Double?
    /// ‖∇f‖₂ at the last iterate.
    public var gradientNorm: Double
    /// Wall-clock seconds for the run; in stochastic runs, without the monitoring evaluations.
    public var time: Double
    /// Why the run was skipped, or other remarks; `nil` when there is nothing to say.
    public var note: String?
    /// The logged rows; the first and the last iterate are always present.
    public var trace: [TraceRow]
    /// The last iterate.
    public var finalPoint: [Double]
    /// The targets of ``Targets/all`` the run reached, loosest first, with the work it took.
    public var hits: [TargetHit]
    /// Loss and accuracy on the problem's validation split at the last iterate (``ValidationMetrics``).
    public var validationLoss: Double?
    public var validationAccuracy: Double?

    /// Creates a result (the harness does; reports and tests may too).
    public init(status: RunStatus, iterations: Int, gradientEvaluations: Int, functionEvaluations: Int? = nil,
                sampleGradients: Int, epochs: Double, initialValue: Double, finalValue: Double, optimalValue: Double?,
                gradientNorm: Double, time: Double, trace: [TraceRow], finalPoint: [Double], note: String? = nil,
                hits: [TargetHit] = [], validationLoss: Double? = nil, validationAccuracy: Double? = nil) {
        self.hits = hits
        // The last iterate is always logged: its row carries the final validation scores.
        self.validationLoss = validationLoss ?? trace.last?.validationLoss
        self.validationAccuracy = validationAccuracy ?? trace.last?.validationAccuracy
        self.status = status
        self.iterations = iterations
        self.gradientEvaluations = gradientEvaluations
        self.functionEvaluations = functionEvaluations ?? gradientEvaluations
        self.sampleGradients = sampleGradients
        self.epochs = epochs
        self.note = note
        self.initialValue = initialValue
        self.finalValue = finalValue
        self.optimalValue = optimalValue
        self.gradientNorm = gradientNorm
        self.time = time
        self.trace = trace
        self.finalPoint = finalPoint
    }

    /// f − f* at the last iterate, when f* is known.
    public var suboptimality: Double? { optimalValue.map { finalValue - $0 } }

    /// The quantity targets and `--tolerance` measure at the last iterate: f − f* when f* is known, else ‖∇f‖₂.
    public var finalError: Double { suboptimality ?? gradientNorm }

    /// A run that did not happen, with the reason.
    public static func skipped(_ reason: String, optimalValue: Double?) -> RunResult {
        RunResult(status: .skipped, iterations: 0, gradientEvaluations: 0, sampleGradients: 0, epochs: 0,
                  initialValue: .nan, finalValue: .nan, optimalValue: optimalValue, gradientNorm: .nan, time: 0,
                  trace: [], finalPoint: [], note: reason)
    }

    /// The status in words: `diverged at iteration 12`, `skipped: needs a Hessian`.
    public var statusDescription: String {
        switch status {
        case .diverged: return "diverged at iteration \(iterations)"
        case .skipped: return "skipped: " + (note ?? "unfit")
        case .crashed: return "crashed: " + (note ?? "unknown cause")
        case .timeout: return "timeout at iteration \(iterations)"
        default: return status.rawValue.replacingUnderscores()
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}

/// One finished run with the labels that identify it in tables.
public struct RunRecord: Sendable {
    /// The problem instance label.
    public var problem: String
    /// The problem's dimension n.
    public var dimension: Int
    /// The configured optimizer label.
    public var optimizer: String
    /// The run's seed.
    public var seed: UInt64
    /// The mini-batch size, or `nil` for full-batch gradients.
    public var batchSize: Int?
    /// Which instance of the problem ran (``Instances``; 0 without `--instances`).
    public var instance: Int
    /// What happened.
    public var result: RunResult

    /// Creates a record.
    public init(problem: String, dimension: Int, optimizer: String, seed: UInt64, batchSize: Int? = nil, instance: Int = 0,
                result: RunResult) {
        self.problem = problem
        self.dimension = dimension
        self.optimizer = optimizer
        self.seed = seed
        self.batchSize = batchSize
        self.instance = instance
        self.result = result
    }
}

