import DescentCore
import GSL

/// Certified reference optima: f* and x* with the gradient norm ‖∇f(x*)‖₂ measured at x*.
public enum Reference {
    /// Bumped whenever the certification procedure changes; part of every cache key.
    public static let version = 3
    /// The gradient norm BFGS2 is run to.
    public static let targetGradientNorm = 1e-10
    /// A reference whose ‖∇f(x*)‖₂ is above this is refused: its f* could mislead every table.
    public static let acceptableGradientNorm = 1e-6

    /// The reference optimum of `instance`: ``optimum(of:from:label:deadline:)`` from its x₀.
    public static func optimum(of instance: ProblemInstance, deadline: ContinuousClock.Instant? = nil) throws(ReferenceError) -> Optimum {
        try optimum(of: instance.problem, from: instance.initialPoint(), label: instance.label, deadline: deadline)
    }

    /// The reference optimum of `problem`: the analytic one if the problem has it and it certifies,
    /// else GSL BFGS2 (+ Newton) from `start` (`nil`: the problem's standard point). Either way ‖∇f(x*)‖₂ is evaluated and
    /// recorded, and the answer is refused unless f*, every coordinate of x* and ‖∇f(x*)‖₂ are finite
    /// and ‖∇f(x*)‖₂ ≤ ``acceptableGradientNorm``. A closed form that fails that (a singular linear
    /// solve: NaN, or a huge w* with a huge gradient) falls back to BFGS2, which certifies f* of a
    /// rank-deficient least-squares problem (f* is unique even when w* is not).
    ///
    /// The solve stops (``ReferenceError/timeLimit(problem:)``) once `deadline` passes and
    /// (``ReferenceError/evaluationLimit(problem:limit:)``) after ``evaluationLimit`` evaluations.
    public static func optimum(of problem: any Problem, from start: [Double]? = nil, label: String,
                               deadline: ContinuousClock.Instant? = nil) throws(ReferenceError) -> Optimum {
        var optimum = try locate(problem, start: start ?? problem.initialPoint(), label: label, deadline: deadline)
        if let point = optimum.point {
            optimum.hessianEigenvalues = hessianEigenvalues(of: problem, at: point)
        }
        return optimum
    }

    /// The most evaluations of f and ∇f one certification may make: 233 times the most any instance
    /// of `Problems/` needs (penalty-i, 858). Without it a start where GSL's line search never finds a
    /// decrease yet reports success (f(x₀) = +inf: `logistic(start=1e200)` overflows λ‖w‖²/2) costs
    /// 101 evaluations per iteration for 100 000 iterations: minutes that look like a hang.
    public static let evaluationLimit = 200_000

    /// The extreme eigenvalues of ∇²f at `point`, for problems with a Hessian and n ≤ the dense limit.
    public static func hessianEigenvalues(of problem: any Problem, at point: [Double]) -> (min: Double, max: Double)? {
        guard let twice = problem as? any TwiceDifferentiable, twice.dimension <= newtonDimensionLimit else { return nil }
        let n = twice.dimension
        let h = Vector(count: n * n)
        twice.hessian(at: Vector(point), into: h)
        guard let values = try? LinearAlgebra.symmetricEigenvalues(h.array, dimension: n),
              let low = values.first, let high = values.last else { return nil }
        return (low, high)
    }

    private static func locate(_ problem: any Problem, start: [Double], label: String,
                               deadline: ContinuousClock.Instant?) throws(ReferenceError) -> Optimum {
        var closedFormFailure: String? = nil
        if var known = problem.analyticOptimum {
            if let point = known.point { known.gradientNorm = gradientNorm(of: problem, at: point) }
            guard let failure = certificateFailure(known, dimension: problem.dimension) else { return known }
            // A closed form that does not certify (a singular solve): BFGS2 may still certify f*.
            closedFormFailure = "the \(known.source.rawValue) optimum \(failure)"
        }
        func uncertified(_ detail: String) -> ReferenceError {
            .uncertified(problem: label, detail: (closedFormFailure.map { $0 + "; " } ?? "") + detail)
        }
        // GSL's BFGS2 does not notice a non-finite f: from such a start it "succeeds" without moving.
        let g0 = Vector(count: problem.dimension)
        let f0 = problem.valueAndGradient(at: Vector(start), gradient: g0)
        guard f0.isFinite, g0.norm().isFinite else {
            throw uncertified("GSL BFGS2 cannot start from x₀, where f = \(f0) and ‖∇f‖ = \(g0.norm()) (both must be finite)")
        }
        let objective = ProblemObjective(problem, deadline: deadline, evaluationLimit: evaluationLimit)
        let result: MinimizationResult
        do {
            result = try Multimin.bfgs2(objective, start: start, gradientTolerance: targetGradientNorm)
        } catch {
            throw .solverFailed(problem: label, error)
        }
        switch objective.stopReason {
        case .timeLimit: throw .timeLimit(problem: label)
        case .evaluationLimit: throw .evaluationLimit(problem: label, limit: evaluationLimit)
        case nil: break
        }
        if result.stop == .evaluationLimit {
            throw uncertified("a GSL BFGS2 line search made more than \(defaultMaximumEvaluationsPerIterate) evaluations in one iteration")
        }
        var point = result.point
        var norm = gradientNorm(of: problem, at: point)
        var source = OptimumSource.gslBFGS2
        if norm > targetGradientNorm, let twice = problem as? any TwiceDifferentiable, twice.dimension <= newtonDimensionLimit,
           let polished = newtonPolish(twice, from: point), polished.gradientNorm < norm {
            point = polished.point
            norm = polished.gradientNorm
            source = .gslBFGS2Newton
        }
        let found = Optimum(value: problem.value(at: Vector(point)), point: point, source: source, gradientNorm: norm)
        if let failure = certificateFailure(found, dimension: problem.dimension) {
            throw uncertified("GSL \(source == .gslBFGS2 ? "BFGS2" : "BFGS2 + Newton") stopped where \(failure)")
        }
        return found
    }

    /// What is wrong with `optimum` as a certificate, in words (`f* is nan`, `‖∇f(x*)‖ = 3.1e-05 is
    /// above 1e-06`), or `nil` when f*, x* and ‖∇f(x*)‖ are finite, x* has `dimension` values and
    /// ‖∇f(x*)‖ ≤ ``acceptableGradientNorm``. An optimum without x* is judged by f* alone.
    public static func certificateFailure(_ optimum: Optimum, dimension: Int) -> String? {
        guard optimum.value.isFinite else { return "f* is \(optimum.value)" }
        guard let point = optimum.point else { return nil }
        guard point.count == dimension else { return "x* has \(point.count) values, the problem has n = \(dimension)" }
        if let i = point.firstIndex(where: { !$0.isFinite }) { return "x*[\(i)] is \(point[i])" }
        guard let norm = optimum.gradientNorm else { return "‖∇f(x*)‖ was not measured" }
        guard norm.isFinite else { return "‖∇f(x*)‖ is \(norm)" }
        guard norm <= acceptableGradientNorm else { return "‖∇f(x*)‖ = \(norm) is above \(acceptableGradientNorm)" }
        return nil
    }

    /// Newton polishing uses a dense n × n Hessian: only up to this dimension.
    public static let newtonDimensionLimit = 2000

    /// Full Newton steps x ← x − H⁻¹∇f (GSL Cholesky) from a point already near x*, kept only
    /// while they lower ‖∇f‖₂; stops at the first step that does not, or when H is not positive
    /// definite. At most 20 steps: near x* Newton converges quadratically.
    static func newtonPolish(_ problem: some TwiceDifferentiable, from start: [Double]) -> (point: [Double], gradientNorm: Double)? {
        let n = problem.dimension
        let x = Vector(start), g = Vector(count: n), h = Vector(count: n * n)
        _ = problem.valueAndGradient(at: x, gradient: g)
        var best = (point: start, gradientNorm: g.norm())
        for _ in 0..<20 where best.gradientNorm > 0 {
            problem.hessian(at: x, into: h)
            guard let step = try? LinearAlgebra.choleskySolve(h.array, g.array) else { break }
            for i in 0..<n { x[i] -= step[i] }
            _ = problem.valueAndGradient(at: x, gradient: g)
            let norm = g.norm()
            guard norm < best.gradientNorm else { break }
            best = (x.array, norm)
        }
        return best
    }

    /// ‖∇f(x)‖₂ evaluated by the problem itself.
    public static func gradientNorm(of problem: any Problem, at point: [Double]) -> Double {
        let g = Vector(count: problem.dimension)
        _ = problem.valueAndGradient(at: Vector(point), gradient: g)
        return g.norm()
    }
}

extension Reference {
    /// What is wrong with `cached` as the optimum of `problem`, or `nil` when it holds: the check a
    /// cached certificate passes before it is used, at the cost of one or two evaluations.
    ///
    /// f*, x* and ‖∇f(x*)‖ must be finite and ‖∇f(x*)‖ ≤ ``acceptableGradientNorm``
    /// (``certificateFailure(_:dimension:)``); then, for a closed form (`analytic`, `linear_solve`),
    /// `problem.analyticOptimum` is recomputed and must give the same f* and x* bits; for a solver's
    /// optimum f(x*) is recomputed and must be f*'s bits (f* is stored as f(x*)); in both cases
    /// ‖∇f(x*)‖ is recomputed and must be the recorded value and within the bound.
    public static func verify(_ cached: Optimum, of problem: any Problem) -> String? {
        if let failure = certificateFailure(cached, dimension: problem.dimension) { return failure }
        switch cached.source {
        case .bestReached:
            return "a best_reached value is not a certificate"
        case .analytic, .linearSolve:
            guard let known = problem.analyticOptimum, known.source == cached.source else {
                return "the problem has no \(cached.source.rawValue) optimum"
            }
            guard known.value.bitPattern == cached.value.bitPattern else {
                return "the closed form gives f* = \(known.value), the cache says \(cached.value)"
            }
            guard known.point == cached.point else { return "x* differs from the closed form's" }
        case .gslBFGS2, .gslBFGS2Newton:
            guard let point = cached.point else { return "x* is missing" }
            let f = problem.value(at: Vector(point))
            guard f.bitPattern == cached.value.bitPattern else { return "f(x*) = \(f), the cache says f* = \(cached.value)" }
        }
        if let point = cached.point {
            let norm = gradientNorm(of: problem, at: point)
            guard norm.isFinite, norm <= acceptableGradientNorm else {
                return "‖∇f(x*)‖ = \(norm) is not within \(acceptableGradientNorm)"
            }
            guard norm.bitPattern == cached.gradientNorm?.bitPattern else {
                return "‖∇f(x*)‖ = \(norm), the cache says \(cached.gradientNorm.map { "\($0)" } ?? "nothing")"
            }
        }
        return nil
    }
}

/// Why a reference optimum could not be certified.
public enum ReferenceError: Error, CustomStringConvertible, Sendable {
    /// GSL reported an error.
    case solverFailed(problem: String, GSLError)
    /// No certificate: `detail` says what failed (a non-finite f*, x* or ‖∇f‖, or ‖∇f(x*)‖₂ above
    /// ``Reference/acceptableGradientNorm``).
    case uncertified(problem: String, detail: String)
    /// The deadline passed before the solver finished.
    case timeLimit(problem: String)
    /// The solver made ``Reference/evaluationLimit`` evaluations without finishing.
    case evaluationLimit(problem: String, limit: Int)

    public var description: String {
        switch self {
        case .solverFailed(let problem, let error):
            return "cannot compute the reference optimum of \(problem): \(error)"
        case .uncertified(let problem, let detail):
            return "cannot certify the reference optimum of \(problem): \(detail)"
        case .timeLimit(let problem):
            return "could not certify the reference optimum of \(problem) within the time limit"
        case .evaluationLimit(let problem, let limit):
            return "could not certify the reference optimum of \(problem): GSL BFGS2 made \(limit) evaluations of f without "
                + "reaching ‖∇f‖ ≤ \(Reference.targetGradientNorm) (is f finite and bounded below near x₀?)"
        }
    }
}

/// Adapts a ``Problem`` to GSL's callback interface (for `Multimin` and the GSL minimizers):
/// two buffers, allocated once per solve; each call copies x in and ∇f out.
///
/// An optional ``deadline`` and ``evaluationLimit`` bound the work: once either passes, every
/// call returns NaN (∇f NaN too) without evaluating the problem and ``shouldStop`` is `true`, so
/// GSL's line searches end and `Multimin.bfgs2` stops; ``stopReason`` says which.
public final class ProblemObjective: GSLObjective {
    /// Why an objective refuses further evaluations.
    public enum StopReason: Sendable, Equatable {
        /// ``ProblemObjective/deadline`` passed.
        case timeLimit
        /// ``ProblemObjective/evaluationLimit`` calls were made.
        case evaluationLimit
    }

    /// The problem.
    public let problem: any Problem
    /// When to stop evaluating (checked at every call); `nil`: never.
    public var deadline: ContinuousClock.Instant?
    /// The most calls to evaluate; `nil`: no limit.
    public var evaluationLimit: Int?
    /// Calls that evaluated the problem so far.
    public private(set) var evaluations = 0
    /// Set when the deadline passed or the budget was spent.
    public private(set) var stopReason: StopReason?
    let x: Vector
    let g: Vector

    /// An objective evaluating `problem`.
    public init(_ problem: any Problem, deadline: ContinuousClock.Instant? = nil, evaluationLimit: Int? = nil) {
        self.problem = problem
        self.deadline = deadline
        self.evaluationLimit = evaluationLimit
        x = Vector(count: problem.dimension)
        g = Vector(count: problem.dimension)
    }

    public var dimension: Int { problem.dimension }

    public var shouldStop: Bool { stopReason != nil }

    public func evaluate(_ point: Span<Double>, gradient: inout MutableSpan<Double>?) -> Double {
        if stopReason == nil, let limit = evaluationLimit, evaluations >= limit { stopReason = .evaluationLimit }
        if stopReason == nil, let deadline, ContinuousClock.now >= deadline { stopReason = .timeLimit }
        if stopReason != nil {
            if gradient != nil { for i in 0..<g.count { gradient![i] = .nan } }
            return .nan
        }
        evaluations += 1
        for i in 0..<point.count { x[i] = point[i] }
        guard gradient != nil else { return problem.value(at: x) }
        let f = problem.valueAndGradient(at: x, gradient: g)
        for i in 0..<g.count { gradient![i] = g[i] }
        return f
    }
}
