import DescentCore
import GSL

/// Certified reference optima: f* and x* with the gradient norm ‖∇f(x*)‖₂ measured at x*.
public enum Reference {
    /// The gradient norm BFGS2 is run to.
    public static let targetGradientNorm = 1e-10
    /// A reference whose ‖∇f(x*)‖₂ is above this is refused: its f* could mislead every table.
    public static let acceptableGradientNorm = 1e-6

    /// The reference optimum of `problem`: the analytic one if the problem has it, else GSL BFGS2
    /// from the problem's start point. Either way ‖∇f(x*)‖₂ is evaluated and recorded.
    public static func optimum(of problem: any Problem, label: String) throws(ReferenceError) -> Optimum {
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
        let norm = gradientNorm(of: problem, at: result.point)
        guard norm <= acceptableGradientNorm, result.value.isFinite else {
            throw .uncertified(problem: label, gradientNorm: norm)
        }
        return Optimum(value: problem.value(at: Vector(result.point)), point: result.point, source: .gslBFGS2,
                       gradientNorm: norm)
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

/// Adapts a ``Problem`` to GSL's callback interface: two buffers, allocated once per solve.
private final class ProblemObjective: GSLObjective {
    let problem: any Problem
    let x: Vector
    let g: Vector

    init(_ problem: any Problem) {
        self.problem = problem
        x = Vector(count: problem.dimension)
        g = Vector(count: problem.dimension)
    }

    var dimension: Int { problem.dimension }

    func evaluate(_ point: Span<Double>, gradient: inout MutableSpan<Double>?) -> Double {
        for i in 0..<point.count { x[i] = point[i] }
        guard gradient != nil else { return problem.value(at: x) }
        let f = problem.valueAndGradient(at: x, gradient: g)
        for i in 0..<g.count { gradient![i] = g[i] }
        return f
    }
}
