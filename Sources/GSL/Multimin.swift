import _CGSL

/// A smooth objective for GSL's minimizers: returns f(x) and, when asked, writes ∇f(x).
///
/// `x` and `gradient` are views that are valid only during the call.
public protocol GSLObjective: AnyObject {
    /// The number of variables.
    var dimension: Int { get }
    /// Returns f(x); writes ∇f(x) into `gradient` when it is non-nil.
    func evaluate(_ x: Span<Double>, gradient: inout MutableSpan<Double>?) -> Double
}

/// Why a GSL minimization stopped.
public enum MinimizationStop: String, Sendable {
    /// ‖∇f‖₂ fell to the requested tolerance.
    case gradientTolerance = "gradient_tolerance"
    /// GSL reported `GSL_ENOPROG` and restarts did not help.
    case noProgress = "no_progress"
    /// The iteration limit was reached.
    case iterationLimit = "iteration_limit"
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
        GSL.prepare()
        let n = objective.dimension
        precondition(start.count == n, "start has \(start.count) values, the objective has dimension \(n)")
        let context = CallbackContext(objective)
        // GSL keeps this pointer between calls: it must be heap-allocated, never `&local`.
        let function = UnsafeMutablePointer<gsl_multimin_function_fdf>.allocate(capacity: 1)
        defer { function.deallocate() }
        guard let minimizer = gsl_multimin_fdfminimizer_alloc(descent_gsl_vector_bfgs2(), n) else {
            fatalError("gsl_multimin_fdfminimizer_alloc failed: out of memory")
        }
        defer { gsl_multimin_fdfminimizer_free(minimizer) }
        let x = GSLVector(start)

        return try withExtendedLifetime(context) { () throws(GSLError) -> MinimizationResult in
            function.initialize(to: gsl_multimin_function_fdf(
                f: { x, params in
                    let ctx = Unmanaged<CallbackContext>.fromOpaque(params!).takeUnretainedValue()
                    return ctx.value(x!)
                },
                df: { x, params, g in
                    let ctx = Unmanaged<CallbackContext>.fromOpaque(params!).takeUnretainedValue()
                    _ = ctx.valueAndGradient(x!, g!)
                },
                fdf: { x, params, f, g in
                    let ctx = Unmanaged<CallbackContext>.fromOpaque(params!).takeUnretainedValue()
                    f!.pointee = ctx.valueAndGradient(x!, g!)
                },
                n: n,
                params: Unmanaged.passUnretained(context).toOpaque()
            ))
            var iterations = 0
            var restarts = 0
            var stop = MinimizationStop.iterationLimit
            var lastRestartValue = Double.infinity
            try GSL.check(gsl_multimin_fdfminimizer_set(minimizer, function, x.raw, initialStep, lineSearchTolerance),
                          "gsl_multimin_fdfminimizer_set")
            while iterations < maxIterations {
                if gsl_blas_dnrm2(minimizer.pointee.gradient) <= gradientTolerance {
                    stop = .gradientTolerance
                    break
                }
                iterations += 1
                let status = gsl_multimin_fdfminimizer_iterate(minimizer)
                if status == GSL_ENOPROG {
                    let f = minimizer.pointee.f
                    if gsl_blas_dnrm2(minimizer.pointee.gradient) <= gradientTolerance {
                        stop = .gradientTolerance
                        break
                    }
                    // A restart that did not lower f since the previous restart: give up.
                    if restarts >= maxRestarts || !(f < lastRestartValue) {
                        stop = .noProgress
                        break
                    }
                    lastRestartValue = f
                    restarts += 1
                    try GSL.check(gsl_vector_memcpy(x.raw, minimizer.pointee.x), "gsl_vector_memcpy")
                    try GSL.check(gsl_multimin_fdfminimizer_set(minimizer, function, x.raw, initialStep, lineSearchTolerance),
                                  "gsl_multimin_fdfminimizer_set")
                    continue
                }
                try GSL.check(status, "gsl_multimin_fdfminimizer_iterate")
            }
            let point = (0..<n).map { gsl_vector_get(minimizer.pointee.x, $0) }
            return MinimizationResult(
                point: point,
                value: minimizer.pointee.f,
                gradientNorm: gsl_blas_dnrm2(minimizer.pointee.gradient),
                iterations: iterations,
                functionEvaluations: context.functionCalls,
                gradientEvaluations: context.gradientCalls,
                restarts: restarts,
                stop: stop
            )
        }
    }
}

/// The Swift object GSL's callbacks reach through `void *params`.
private final class CallbackContext {
    let objective: any GSLObjective
    var functionCalls = 0
    var gradientCalls = 0

    init(_ objective: any GSLObjective) { self.objective = objective }

    func value(_ x: UnsafePointer<gsl_vector>) -> Double {
        functionCalls += 1
        let n = x.pointee.size
        precondition(x.pointee.stride == 1, "GSL handed a strided vector")
        let xs = UnsafeBufferPointer(start: x.pointee.data, count: n)
        var none: MutableSpan<Double>? = nil
        return objective.evaluate(xs.span, gradient: &none)
    }

    func valueAndGradient(_ x: UnsafePointer<gsl_vector>, _ g: UnsafeMutablePointer<gsl_vector>) -> Double {
        gradientCalls += 1
        let n = x.pointee.size
        precondition(x.pointee.stride == 1 && g.pointee.stride == 1, "GSL handed a strided vector")
        let xs = UnsafeBufferPointer(start: x.pointee.data, count: n)
        let gs = UnsafeMutableBufferPointer(start: g.pointee.data, count: n)
        var span: MutableSpan<Double>? = gs.mutableSpan
        return objective.evaluate(xs.span, gradient: &span)
    }
}
