import _CGSL

/// A smooth objective for GSL's minimizers: returns f(x) and, when asked, writes ∇f(x).
///
/// `x` and `gradient` are views that are valid only during the call.
public protocol GSLObjective: AnyObject {
    /// The number of variables.
    var dimension: Int { get }
    /// Returns f(x); writes ∇f(x) into `gradient` when it is non-nil.
    func evaluate(_ x: Span<Double>, gradient: inout MutableSpan<Double>?) -> Double
    /// Whether the objective refuses further evaluations (a deadline passed, a budget is spent).
    /// Once it is `true`, GSL's callbacks return NaN without calling ``evaluate(_:gradient:)``
    /// and ``Multimin/bfgs2(_:start:gradientTolerance:maxIterations:maxRestarts:initialStep:lineSearchTolerance:)``
    /// stops with ``MinimizationStop/stopped``. Default: never.
    var shouldStop: Bool { get }
}

extension GSLObjective {
    /// Never stops.
    public var shouldStop: Bool { false }
}

/// Why a GSL minimization stopped.
public enum MinimizationStop: String, Sendable {
    /// ‖∇f‖₂ fell to the requested tolerance.
    case gradientTolerance = "gradient_tolerance"
    /// GSL reported `GSL_ENOPROG` and restarts did not help.
    case noProgress = "no_progress"
    /// The iteration limit was reached.
    case iterationLimit = "iteration_limit"
    /// One GSL iteration made more than ``GradientMinimizer/maximumEvaluationsPerIterate`` calls
    /// (a line search that does not terminate).
    case evaluationLimit = "evaluation_limit"
    /// The objective asked to stop (``GSLObjective/shouldStop``): a deadline or an evaluation budget.
    case stopped
}

/// The outcome of a GSL minimization.
public struct MinimizationResult: Sendable {
    /// The final point.
    public var point: [Double]
    /// f at the final point.
    public var value: Double
    /// ‖∇f‖₂ at the final point.
    public var gradientNorm: Double
    /// GSL iterations, summed over restarts.
    public var iterations: Int
    /// Calls of f alone, counted in the callbacks.
    public var functionEvaluations: Int
    /// Calls of ∇f (alone or with f), counted in the callbacks.
    public var gradientEvaluations: Int
    /// How many times the minimizer was restarted from its last point after `GSL_ENOPROG`.
    public var restarts: Int
    /// Why it stopped.
    public var stop: MinimizationStop
}

/// GSL's derivative-based minimizers (`gsl_multimin_fdfminimizer_*`).
public enum GradientMethod: String, CaseIterable, Sendable {
    /// Steepest descent with GSL's step-doubling line search.
    case steepestDescent = "steepest_descent"
    /// Fletcher–Reeves conjugate gradient.
    case conjugateFR = "conjugate_fr"
    /// Polak–Ribière conjugate gradient.
    case conjugatePR = "conjugate_pr"
    /// BFGS.
    case bfgs = "vector_bfgs"
    /// BFGS with Fletcher's line search (GSL's recommended method).
    case bfgs2 = "vector_bfgs2"

    var type: UnsafePointer<gsl_multimin_fdfminimizer_type> {
        switch self {
        case .steepestDescent: return descent_gsl_steepest_descent()
        case .conjugateFR: return descent_gsl_conjugate_fr()
        case .conjugatePR: return descent_gsl_conjugate_pr()
        case .bfgs: return descent_gsl_vector_bfgs()
        case .bfgs2: return descent_gsl_vector_bfgs2()
        }
    }
}

/// The most calls of f or ∇f one GSL iteration may make, unless a minimizer is told otherwise.
///
/// A GSL line search normally ends within a few dozen calls (BFGS2's bracketing and sectioning
/// are capped at 100 each; steepest descent's step underflows after a few hundred shrinks), but
/// some never end: steepest descent with `tol = 1` retries the same step forever when it does not
/// descend. Past the budget the callbacks return NaN without evaluating, which ends every GSL
/// line search, and the minimizer reports ``GradientMinimizer/evaluationLimitReached``.
public let defaultMaximumEvaluationsPerIterate = 1000

/// One GSL derivative-based minimizer, iterated by the caller. Owns the GSL state and the
/// callback struct (heap-allocated: GSL keeps its address between calls); frees both in `deinit`.
public final class GradientMinimizer {
    private let minimizer: UnsafeMutablePointer<gsl_multimin_fdfminimizer>
    private let function: UnsafeMutablePointer<gsl_multimin_function_fdf>
    private let context: CallbackContext
    private let start: GSLVector
    private let initialStep: Double
    private let lineSearchTolerance: Double
    /// The number of variables.
    public let dimension: Int

    /// Sets up `method` on `objective` from `start`, with GSL's initial step size and line-search tolerance.
    public init(_ method: GradientMethod, objective: some GSLObjective, start: [Double], initialStep: Double,
                lineSearchTolerance: Double) throws(GSLError) {
        GSL.prepare()
        dimension = objective.dimension
        precondition(start.count == dimension, "start has \(start.count) values, the objective has dimension \(dimension)")
        context = CallbackContext(objective)
        function = .allocate(capacity: 1)
        function.initialize(to: gsl_multimin_function_fdf(
            f: { x, params in Unmanaged<CallbackContext>.fromOpaque(params!).takeUnretainedValue().value(x!) },
            df: { x, params, g in _ = Unmanaged<CallbackContext>.fromOpaque(params!).takeUnretainedValue().valueAndGradient(x!, g!) },
            fdf: { x, params, f, g in
                f!.pointee = Unmanaged<CallbackContext>.fromOpaque(params!).takeUnretainedValue().valueAndGradient(x!, g!)
            },
            n: dimension,
            params: Unmanaged.passUnretained(context).toOpaque()
        ))
        guard let m = gsl_multimin_fdfminimizer_alloc(method.type, dimension) else {
            fatalError("gsl_multimin_fdfminimizer_alloc failed: out of memory")
        }
        minimizer = m
        self.start = GSLVector(start)
        self.initialStep = initialStep
        self.lineSearchTolerance = lineSearchTolerance
        try restart(from: nil)
    }

    deinit {
        gsl_multimin_fdfminimizer_free(minimizer)
        function.deinitialize(count: 1)
        function.deallocate()
    }

    /// Restarts from the current point (or from `point`), which resets any curvature memory.
    public func restart(from point: [Double]? = nil) throws(GSLError) {
        context.iterateCalls = 0
        if let point {
            for (i, v) in point.enumerated() { gsl_vector_set(start.raw, i, v) }
        } else if context.functionCalls + context.gradientCalls > 0 {
            try GSL.check(gsl_vector_memcpy(start.raw, minimizer.pointee.x), "gsl_vector_memcpy")
        }
        try GSL.check(gsl_multimin_fdfminimizer_set(minimizer, function, start.raw, initialStep, lineSearchTolerance),
                      "gsl_multimin_fdfminimizer_set")
    }

    /// One GSL iteration; `false` when GSL reports that it cannot make progress (`GSL_ENOPROG`), or
    /// when the iteration was cut short (``evaluationLimitReached``, or the objective's
    /// ``GSLObjective/shouldStop``): then the point and value are not to be trusted, and GSL's own
    /// status (caused by the NaN the callbacks returned) is ignored.
    public func iterate() throws(GSLError) -> Bool {
        context.iterateCalls = 0
        let status = withExtendedLifetime(context) { gsl_multimin_fdfminimizer_iterate(minimizer) }
        if context.cutShort { return false }
        if status == GSL_ENOPROG { return false }
        try GSL.check(status, "gsl_multimin_fdfminimizer_iterate")
        return true
    }

    /// The most calls of f or ∇f one ``iterate()`` may make (default ``defaultMaximumEvaluationsPerIterate``).
    public var maximumEvaluationsPerIterate: Int {
        get { context.iterateLimit }
        set { context.iterateLimit = newValue }
    }
    /// Whether an iteration went over ``maximumEvaluationsPerIterate`` (from then on every call returns NaN).
    public var evaluationLimitReached: Bool { context.limitReached }
    /// Whether the objective asked to stop (``GSLObjective/shouldStop``).
    public var stopped: Bool { context.objective.shouldStop }

    /// f at the current point.
    public var value: Double { minimizer.pointee.f }
    /// ‖∇f‖₂ at the current point.
    public var gradientNorm: Double { gsl_blas_dnrm2(minimizer.pointee.gradient) }
    /// Copies the current point into `x`.
    public func point(into x: inout MutableSpan<Double>) { for i in 0..<dimension { x[i] = gsl_vector_get(minimizer.pointee.x, i) } }
    /// Copies the gradient at the current point into `g`.
    public func gradient(into g: inout MutableSpan<Double>) { for i in 0..<dimension { g[i] = gsl_vector_get(minimizer.pointee.gradient, i) } }
    /// The current point.
    public var point: [Double] { (0..<dimension).map { gsl_vector_get(minimizer.pointee.x, $0) } }
    /// Calls of f alone so far.
    public var functionEvaluations: Int { context.functionCalls }
    /// Calls of ∇f (alone or with f) so far.
    public var gradientEvaluations: Int { context.gradientCalls }
}

/// GSL's Nelder–Mead simplex (`nmsimplex2`), iterated by the caller; uses f only.
public final class SimplexMinimizer {
    private let minimizer: UnsafeMutablePointer<gsl_multimin_fminimizer>
    private let function: UnsafeMutablePointer<gsl_multimin_function>
    private let context: CallbackContext
    private let start: GSLVector
    private let steps: GSLVector
    /// The number of variables.
    public let dimension: Int

    /// Sets up the simplex around `start` with initial edge `step` in every coordinate.
    public init(objective: some GSLObjective, start: [Double], step: Double) throws(GSLError) {
        GSL.prepare()
        dimension = objective.dimension
        context = CallbackContext(objective)
        function = .allocate(capacity: 1)
        function.initialize(to: gsl_multimin_function(
            f: { x, params in Unmanaged<CallbackContext>.fromOpaque(params!).takeUnretainedValue().value(x!) },
            n: dimension,
            params: Unmanaged.passUnretained(context).toOpaque()
        ))
        guard let m = gsl_multimin_fminimizer_alloc(descent_gsl_nmsimplex2(), dimension) else {
            fatalError("gsl_multimin_fminimizer_alloc failed: out of memory")
        }
        minimizer = m
        self.start = GSLVector(start)
        steps = GSLVector([Double](repeating: step, count: dimension))
        try GSL.check(gsl_multimin_fminimizer_set(minimizer, function, self.start.raw, steps.raw), "gsl_multimin_fminimizer_set")
    }

    deinit {
        gsl_multimin_fminimizer_free(minimizer)
        function.deinitialize(count: 1)
        function.deallocate()
    }

    /// One simplex iteration; `false` when GSL cannot make progress or the iteration was cut short
    /// (``evaluationLimitReached``, or the objective's ``GSLObjective/shouldStop``).
    public func iterate() throws(GSLError) -> Bool {
        context.iterateCalls = 0
        let status = withExtendedLifetime(context) { gsl_multimin_fminimizer_iterate(minimizer) }
        if context.cutShort { return false }
        if status == GSL_ENOPROG { return false }
        try GSL.check(status, "gsl_multimin_fminimizer_iterate")
        return true
    }

    /// f at the best vertex.
    public var value: Double { minimizer.pointee.fval }
    /// The simplex's characteristic size (`gsl_multimin_fminimizer_size`).
    public var size: Double { gsl_multimin_fminimizer_size(minimizer) }
    /// Copies the best vertex into `x`.
    public func point(into x: inout MutableSpan<Double>) { for i in 0..<dimension { x[i] = gsl_vector_get(minimizer.pointee.x, i) } }
    /// Calls of f so far.
    public var functionEvaluations: Int { context.functionCalls }
    /// The most calls of f one ``iterate()`` may make (default ``defaultMaximumEvaluationsPerIterate``).
    public var maximumEvaluationsPerIterate: Int {
        get { context.iterateLimit }
        set { context.iterateLimit = newValue }
    }
    /// Whether an iteration went over ``maximumEvaluationsPerIterate``.
    public var evaluationLimitReached: Bool { context.limitReached }
    /// Whether the objective asked to stop (``GSLObjective/shouldStop``).
    public var stopped: Bool { context.objective.shouldStop }
}

/// GSL's `gsl_multimin_fdfminimizer` family, behind a safe interface.
public enum Multimin {
    /// Minimizes `objective` with `vector_bfgs2` from `start` until ‖∇f‖₂ ≤ `gradientTolerance`.
    ///
    /// BFGS2's line search gives up (`GSL_ENOPROG`) near the floating-point floor; the
    /// minimizer is then restarted from its last point (which resets the Hessian
    /// approximation), at most `maxRestarts` times, and stops when a restart gains nothing.
    public static func bfgs2(
        _ objective: some GSLObjective,
        start: [Double],
        gradientTolerance: Double,
        maxIterations: Int = 100_000,
        maxRestarts: Int = 20,
        initialStep: Double = 0.01,
        lineSearchTolerance: Double = 0.1
    ) throws(GSLError) -> MinimizationResult {
        let m = try GradientMinimizer(.bfgs2, objective: objective, start: start, initialStep: initialStep,
                                      lineSearchTolerance: lineSearchTolerance)
        var iterations = 0
        var restarts = 0
        var stop = MinimizationStop.iterationLimit
        var lastRestartValue = Double.infinity
        while iterations < maxIterations {
            if m.stopped {
                stop = .stopped
                break
            }
            if m.gradientNorm <= gradientTolerance {
                stop = .gradientTolerance
                break
            }
            iterations += 1
            if try m.iterate() { continue }
            if m.stopped || m.evaluationLimitReached {
                stop = m.stopped ? .stopped : .evaluationLimit
                break
            }
            if m.gradientNorm <= gradientTolerance {
                stop = .gradientTolerance
                break
            }
            // A restart that did not lower f since the previous restart: give up.
            if restarts >= maxRestarts || !(m.value < lastRestartValue) {
                stop = .noProgress
                break
            }
            lastRestartValue = m.value
            restarts += 1
            try m.restart()
        }
        return MinimizationResult(point: m.point, value: m.value, gradientNorm: m.gradientNorm, iterations: iterations,
                                  functionEvaluations: m.functionEvaluations, gradientEvaluations: m.gradientEvaluations,
                                  restarts: restarts, stop: stop)
    }
}

/// The Swift object GSL's callbacks reach through `void *params`. Counts the calls, and returns NaN
/// without evaluating once an iteration has made `iterateLimit` calls or the objective asks to stop.
private final class CallbackContext {
    let objective: any GSLObjective
    var functionCalls = 0
    var gradientCalls = 0
    /// Calls in the current iteration (reset by `iterate()` and `restart()`).
    var iterateCalls = 0
    var iterateLimit = defaultMaximumEvaluationsPerIterate
    /// Set once an iteration exceeded `iterateLimit`.
    var limitReached = false

    init(_ objective: any GSLObjective) { self.objective = objective }

    /// Whether the last iteration was cut short (callbacks returned NaN).
    var cutShort: Bool { limitReached || objective.shouldStop }

    /// Whether the next call may evaluate the objective.
    private func admit() -> Bool {
        if cutShort { return false }
        iterateCalls += 1
        if iterateCalls > iterateLimit {
            limitReached = true
            return false
        }
        return true
    }

    func value(_ x: UnsafePointer<gsl_vector>) -> Double {
        guard admit() else { return .nan }
        functionCalls += 1
        let n = x.pointee.size
        precondition(x.pointee.stride == 1, "GSL handed a strided vector")
        let xs = UnsafeBufferPointer(start: x.pointee.data, count: n)
        var none: MutableSpan<Double>? = nil
        return objective.evaluate(xs.span, gradient: &none)
    }

    func valueAndGradient(_ x: UnsafePointer<gsl_vector>, _ g: UnsafeMutablePointer<gsl_vector>) -> Double {
        guard admit() else {
            for i in 0..<g.pointee.size { g.pointee.data[i * g.pointee.stride] = .nan }
            return .nan
        }
        gradientCalls += 1
        let n = x.pointee.size
        precondition(x.pointee.stride == 1 && g.pointee.stride == 1, "GSL handed a strided vector")
        let xs = UnsafeBufferPointer(start: x.pointee.data, count: n)
        let gs = UnsafeMutableBufferPointer(start: g.pointee.data, count: n)
        var span: MutableSpan<Double>? = gs.mutableSpan
        return objective.evaluate(xs.span, gradient: &span)
    }
}
