import DescentCore
import GSL

/// Newton's method with a modified Cholesky factorization and a backtracking line search.
///
/// Each iteration factorizes ∇²f + τI by GSL's Cholesky with the smallest τ ∈ {0, β, 2β, 4β, …}
/// (β = 10⁻³ · max|diag ∇²f|, at least 10⁻⁸) that makes it positive definite (Nocedal & Wright,
/// Numerical Optimization, 2nd ed., Algorithm 3.3), solves for p = −(∇²f + τI)⁻¹∇f, then halves
/// α from 1 until f(x + αp) ≤ f(x) + c₁α∇fᵀp (Armijo); when f(x + p) is within rounding of f(x),
/// where Armijo cannot decide, the full step is taken if it lowers ‖∇f‖. On a strongly convex
/// quadratic the first full step lands on x*. Dense: n ≤ 2000. Counts: f calls of the line search, gradients, and
/// Hessians (in the note).
public struct Newton: Solver, Configurable {
    public static let name = "newton"
    public static let summary = "damped Newton: modified Cholesky (GSL) + Armijo backtracking; needs the Hessian"

    @Parameter("c1", "Armijo sufficient-decrease constant", .positive) public var c1 = 1e-4
    @Parameter("max_halvings", "most step halvings per line search", .atLeast(1)) public var maxHalvings = 60

    /// c₁ = 10⁻⁴.
    public init() {}

    public func solve(problem: any Problem, from start: consuming [Double], optimalValue: Double?, options: RunOptions) -> RunResult {
        guard let twice = problem as? any TwiceDifferentiable else {
            return .skipped("needs a Hessian; the problem has none", optimalValue: optimalValue)
        }
        guard twice.dimension <= Reference.newtonDimensionLimit else {
            return .skipped("dense Hessian limited to n <= \(Reference.newtonDimensionLimit)", optimalValue: optimalValue)
        }
        return run(twice, consume start, optimalValue, options)
    }

    private func run<P: TwiceDifferentiable>(_ problem: P, _ start: consuming [Double], _ fStar: Double?, _ options: RunOptions) -> RunResult {
        let n = problem.dimension
        var monitor = IterationMonitor(problem: problem, from: consume start, fStar: fStar, options: options)
        let h = Vector(count: n * n), p = Vector(count: n), trial = Vector(count: n)
        let workspace = CholeskyWorkspace(dimension: n)
        var hessians = 0
        var f = problem.valueAndGradient(at: monitor.x, gradient: monitor.g)
        monitor.evaluations += 1
        while !monitor.check(f) {
            problem.hessian(at: monitor.x, into: h)
            hessians += 1
            var maxDiagonal = 0.0
            for i in 0..<n { maxDiagonal = Swift.max(maxDiagonal, Swift.abs(h[i * n + i])) }
            let beta = Swift.max(1e-3 * maxDiagonal, 1e-8)
            var shift = 0.0
            var solved = false
            for _ in 0..<80 {
                do {
                    try h.withUnsafeBufferPointer { hb throws(GSLError) in
                        try monitor.g.withUnsafeBufferPointer { gb throws(GSLError) in
                            try p.withUnsafeMutableBufferPointer { pb throws(GSLError) in
                                var out = pb.mutableSpan
                                try workspace.solve(hb.span, shift: shift, gb.span, into: &out)
                            }
                        }
                    }
                    solved = true
                    break
                } catch {
                    shift = shift == 0 ? beta : 2 * shift
                }
            }
            guard solved else {
                monitor.finish(.stalled, note: "no positive definite shift of the Hessian found")
                break
            }
            // p solves (H + τI)p = ∇f; the step is −p.
            var slope = 0.0
            for i in 0..<n { slope -= monitor.g[i] * p[i] }
            var alpha = 1.0
            var accepted = false
            for _ in 0..<maxHalvings {
                for i in 0..<n { trial[i] = monitor.x[i] - alpha * p[i] }
                let ft = problem.value(at: trial)
                monitor.extraFunctionEvaluations += 1
                if ft <= f + c1 * alpha * slope {
                    accepted = true
                    break
                }
                // Within rounding of f, the Armijo test carries no information: judge the full
                // step by the gradient instead (one more gradient evaluation).
                if alpha == 1, Swift.abs(ft - f) <= 4 * Double.ulpOfOne * Swift.max(1, Swift.abs(f)) {
                    _ = problem.valueAndGradient(at: trial, gradient: p)
                    monitor.evaluations += 1
                    if p.norm() < monitor.g.norm() {
                        accepted = true
                        break
                    }
                    // p now holds ∇f(trial): recover the Newton direction from the trial point.
                    for i in 0..<n { p[i] = monitor.x[i] - trial[i] }
                }
                alpha *= 0.5
            }
            guard accepted else {
                monitor.finish(.stalled, note: "line search found no decrease in \(maxHalvings) halvings")
                break
            }
            monitor.advance { x in x.assign(trial) }
            f = problem.valueAndGradient(at: monitor.x, gradient: monitor.g)
            monitor.evaluations += 1
        }
        var result = monitor.result()
        result.note = [result.note, "\(hessians) Hessian evaluations"].compactMap { $0 }.joined(separator: "; ")
        return result
    }
}

/// GSL's derivative-based minimizers as baselines, with GSL's own iteration and evaluation counts.
///
/// `gsl_multimin_fdfminimizer_<method>` from the standard start with GSL's initial step `step` and
/// line-search tolerance `tol`. Each GSL iteration is one row; the harness's stopping rules apply,
/// and GSL's `GSL_ENOPROG` ends the run as `stalled` with the note "GSL: no progress".
public struct GSLGradientSolver: Solver, Configurable {
    public static let name = "gsl"
    public static let summary = "a GSL multimin derivative-based minimizer"

    /// Listed by key path, not declared with `@Parameter`: `method` is state besides the
    /// hyperparameters, set by each registered name's defaults.
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("step", \.step, "GSL's size of the first trial step", .positive),
            .init("tol", \.tol, "GSL's line-search tolerance", .positive),
        ]
    }

    /// Which GSL minimizer.
    public var method = GradientMethod.bfgs2
    /// The first trial step.
    public var step = 0.01
    /// The line-search tolerance.
    public var tol = 0.1

    /// BFGS2 with step 0.01 and tol 0.1.
    public init() {}

    public func solve(problem: any Problem, from start: [Double], optimalValue: Double?, options: RunOptions) -> RunResult {
        monitored(problem, start, optimalValue, options) { (monitor: inout IterationMonitor, objective) throws(GSLError) in
            let m = try GradientMinimizer(method, objective: objective, start: start, initialStep: step,
                                          lineSearchTolerance: tol)
            func sync(_ monitor: inout IterationMonitor) {
                monitor.g.withUnsafeMutableBufferPointer { var s = $0.mutableSpan; m.gradient(into: &s) }
                monitor.evaluations = m.gradientEvaluations
                monitor.extraFunctionEvaluations = m.functionEvaluations
            }
            sync(&monitor)
            try drive(&monitor, first: m.value, iterate: m.iterate, point: m.point(into:), overBudget: { monitor in
                guard m.evaluationLimitReached else { return false }
                monitor.evaluations = m.gradientEvaluations
                monitor.extraFunctionEvaluations = m.functionEvaluations
                return true
            }) { monitor in
                sync(&monitor)
                return m.value
            }
        }
    }
}

/// GSL's Nelder–Mead simplex (`nmsimplex2`) as a baseline; uses f only.
///
/// The initial simplex has edge `step` along every axis. ∇f is evaluated at each iterate only to
/// report ‖∇f‖ and apply the gradient target; those calls are not counted (gradient_evaluations = 0).
public struct GSLSimplexSolver: Solver, Configurable {
    public static let name = "gsl-nm"
    public static let summary = "GSL Nelder–Mead simplex (nmsimplex2), f only"

    @Parameter("step", "edge of the initial simplex", .positive) public var step = 1.0

    /// Edge 1.
    public init() {}

    public func solve(problem: any Problem, from start: [Double], optimalValue: Double?, options: RunOptions) -> RunResult {
        monitored(problem, start, optimalValue, options) { (monitor: inout IterationMonitor, objective) throws(GSLError) in
            let m = try SimplexMinimizer(objective: objective, start: start, step: step)
            // GSL's fval means nothing before the first iteration: row 0 is f(x₀), evaluated here.
            let f0 = problem.valueAndGradient(at: monitor.x, gradient: monitor.g)
            monitor.extraFunctionEvaluations = m.functionEvaluations
            try drive(&monitor, first: f0, iterate: m.iterate, point: m.point(into:), overBudget: { monitor in
                guard m.evaluationLimitReached else { return false }
                monitor.extraFunctionEvaluations = m.functionEvaluations
                return true
            }) { monitor in
                _ = problem.valueAndGradient(at: monitor.x, gradient: monitor.g)
                monitor.extraFunctionEvaluations = m.functionEvaluations
                return m.value
            }
        }
    }
}

/// A GSL solver's run: a monitor (from `start`) and an objective for `problem`; a GSL error ends the
/// run as `diverged` with GSL's message.
private func monitored(_ problem: any Problem, _ start: [Double], _ fStar: Double?, _ options: RunOptions,
                       _ body: (inout IterationMonitor, ProblemObjective) throws(GSLError) -> Void) -> RunResult {
    var monitor = IterationMonitor(problem: problem, from: start, fStar: fStar, options: options)
    do {
        try body(&monitor, ProblemObjective(problem))
    } catch {
        monitor.finish(.diverged, note: "\(error)")
    }
    return monitor.result()
}

/// The loop both GSL solvers share: check the current iterate, take one GSL iteration, copy GSL's
/// point into the monitor, let `update` refresh the gradient and counts and return f; a GSL
/// iteration without progress (`GSL_ENOPROG`) ends the run as `stalled` unless that point already
/// meets a stopping rule. An iteration that went over GSL's per-iteration evaluation budget
/// (`overBudget`: a line search that never ends, such as steepest descent with `tol = 1`) ends the
/// run as `stalled` at the previous iterate, with a note saying so.
private func drive(_ monitor: inout IterationMonitor, first f0: Double, iterate: () throws(GSLError) -> Bool,
                   point: (inout MutableSpan<Double>) -> Void, overBudget: (inout IterationMonitor) -> Bool,
                   update: (inout IterationMonitor) -> Double) throws(GSLError) {
    var f = f0
    while !monitor.check(f) {
        let progressed = try iterate()
        if overBudget(&monitor) {
            monitor.finish(.stalled, note: "GSL: one iteration made more than \(defaultMaximumEvaluationsPerIterate) "
                           + "evaluations of f (its line search did not end); stopped")
            return
        }
        monitor.advance { x in x.withUnsafeMutableBufferPointer { var s = $0.mutableSpan; point(&s) } }
        f = update(&monitor)
        if !progressed {
            if !monitor.check(f) { monitor.finish(.stalled, note: "GSL: no progress") }
            return
        }
    }
}

/// Newton's method and GSL's minimizers, registered as reference baselines.
public enum ReferenceSolvers {
    /// Every baseline, in display order.
    public static var all: [OptimizerEntry] {
        [
            OptimizerEntry(solver: Newton.self, requirements: [.fullBatch, .hessian]),
            OptimizerEntry(solver: GSLGradientSolver.self, name: "gsl-bfgs2", summary: "GSL vector_bfgs2 (BFGS, Fletcher line search)"),
            OptimizerEntry(solver: GSLGradientSolver.self, name: "gsl-bfgs", summary: "GSL vector_bfgs") { $0.method = .bfgs },
            OptimizerEntry(solver: GSLGradientSolver.self, name: "gsl-cg-pr", summary: "GSL conjugate_pr (Polak–Ribière CG)") {
                $0.method = .conjugatePR; $0.tol = 1e-4
            },
            OptimizerEntry(solver: GSLGradientSolver.self, name: "gsl-cg-fr", summary: "GSL conjugate_fr (Fletcher–Reeves CG)") {
                $0.method = .conjugateFR; $0.tol = 1e-4
            },
            OptimizerEntry(solver: GSLGradientSolver.self, name: "gsl-sd", summary: "GSL steepest_descent") {
                $0.method = .steepestDescent
            },
            OptimizerEntry(solver: GSLSimplexSolver.self),
        ]
    }
}
