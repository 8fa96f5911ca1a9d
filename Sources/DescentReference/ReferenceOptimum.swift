import DescentCore
import GSL

/// Certified reference optima: f* and x* with the gradient norm ‖∇f(x*)‖₂ measured at x*.
public enum Reference {
    /// Bumped whenever the certification procedure changes; part of every cache key.
    public static let version = 2
    /// The gradient norm BFGS2 is run to.
    public static let targetGradientNorm = 1e-10
    /// A reference whose ‖∇f(x*)‖₂ is above this is refused: its f* could mislead every table.
    public static let acceptableGradientNorm = 1e-6

    /// The reference optimum of `problem`: the analytic one if the problem has it, else GSL BFGS2
    /// from the problem's start point. Either way ‖∇f(x*)‖₂ is evaluated and recorded.
    public static func optimum(of problem: any Problem, label: String) throws(ReferenceError) -> Optimum {
        var optimum = try locate(problem, label: label)
        if let point = optimum.point {
            optimum.hessianEigenvalues = hessianEigenvalues(of: problem, at: point)
        }
        return optimum
    }

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

    private static func locate(_ problem: any Problem, label: String) throws(ReferenceError) -> Optimum {
        if var known = problem.analyticOptimum {
            if let point = known.point { known.gradientNorm = gradientNorm(of: problem, at: point) }
            return known
        }
        let objective = ProblemObjective(problem)
        let result: MinimizationResult
        do {
            result = try Multimin.bfgs2(objective, start: problem.initialPoint(), gradientTolerance: targetGradientNorm)
        } catch {
            throw .solverFailed(problem: label, error)
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
        guard norm <= acceptableGradientNorm, result.value.isFinite else {
            throw .uncertified(problem: label, gradientNorm: norm)
        }
        return Optimum(value: problem.value(at: Vector(point)), point: point, source: source, gradientNorm: norm)
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

/// Why a reference optimum could not be certified.
public enum ReferenceError: Error, CustomStringConvertible, Sendable {
    /// GSL reported an error.
    case solverFailed(problem: String, GSLError)
    /// The solver stopped with ‖∇f‖₂ above ``Reference/acceptableGradientNorm``.
    case uncertified(problem: String, gradientNorm: Double)

    public var description: String {
        switch self {
        case .solverFailed(let problem, let error):
            return "cannot compute the reference optimum of \(problem): \(error)"
        case .uncertified(let problem, let norm):
            return "cannot certify the reference optimum of \(problem): GSL BFGS2 stopped at ‖∇f‖ = \(norm), above \(Reference.acceptableGradientNorm)"
        }
    }
}

/// Adapts a ``Problem`` to GSL's callback interface (for `Multimin` and the GSL minimizers):
/// two buffers, allocated once per solve; each call copies x in and ∇f out.
public final class ProblemObjective: GSLObjective {
    /// The problem.
    public let problem: any Problem
    let x: Vector
    let g: Vector

    /// An objective evaluating `problem`.
    public init(_ problem: any Problem) {
        self.problem = problem
        x = Vector(count: problem.dimension)
        g = Vector(count: problem.dimension)
    }

    public var dimension: Int { problem.dimension }

    public func evaluate(_ point: Span<Double>, gradient: inout MutableSpan<Double>?) -> Double {
        for i in 0..<point.count { x[i] = point[i] }
        guard gradient != nil else { return problem.value(at: x) }
        let f = problem.valueAndGradient(at: x, gradient: g)
        for i in 0..<g.count { gradient![i] = g[i] }
        return f
    }
}
