import DescentCore
import GSL

/// The problem families that ship with Descent, in display order.
public enum BuiltinProblems {
    /// Every built-in family. `swift run suite --all` runs the default instance of each.
    public static var all: [ProblemEntry] { [parabola, quadratic, rosenbrock, extendedRosenbrock, logistic] }

    /// θ² from θ₀ = 4.
    public static let parabola = ProblemEntry(
        name: "parabola",
        summary: "f(θ) = θ² from θ₀ = 4 (1-D tutorial example); f* = 0",
        parameters: [ParameterSpec("start", default: .real(4), "starting point θ₀")]
    ) { p, _ throws(SpecError) in Parabola(start: p.real("start")) }

    /// ½xᵀAx − bᵀx with prescribed κ.
    public static let quadratic = ProblemEntry(
        name: "quadratic",
        summary: "½xᵀAx − bᵀx, A = Q diag(log-spaced 1…κ) Qᵀ, seeded Q and b; x* by GSL Cholesky",
        parameters: [
            ParameterSpec("n", default: .integer(20), "dimension (dense; at most 2000)", .atLeast(1)),
            ParameterSpec("kappa", default: .real(100), "condition number κ = L/μ (μ = 1)", .atLeast(1)),
        ],
        seeded: true
    ) { p, seed throws(SpecError) in
        let n = p.integer("n")
        guard n <= 2000 else { throw .invalid(owner: "quadratic", "n = \(n) is above the dense limit 2000") }
        do {
            return try Quadratic(dimension: n, conditionNumber: p.real("kappa"), seed: seed)
        } catch {
            throw .invalid(owner: "quadratic", "could not build the instance: \(error)")
        }
    }

    /// Classic 2-D Rosenbrock.
    public static let rosenbrock = ProblemEntry(
        name: "rosenbrock",
        summary: "Rosenbrock 100(y − x²)² + (1 − x)² from (−1.2, 1); f* = 0 at (1, 1)"
    ) { _, _ throws(SpecError) in ExtendedRosenbrock(dimension: 2) }

    /// Extended n-D Rosenbrock, MGH #21.
    public static let extendedRosenbrock = ProblemEntry(
        name: "extended-rosenbrock",
        summary: "extended Rosenbrock (Moré–Garbow–Hillstrom #21), n/2 uncoupled pairs; f* = 0",
        parameters: [ParameterSpec("n", default: .integer(100), "dimension (even)", .atLeast(2))]
    ) { p, _ throws(SpecError) in
        let n = p.integer("n")
        guard n % 2 == 0 else { throw .invalid(owner: "extended-rosenbrock", "n must be even, got \(n)") }
        return ExtendedRosenbrock(dimension: n)
    }

    /// L2-regularized logistic regression on synthetic data.
    public static let logistic = ProblemEntry(
        name: "logistic",
        summary: "L2-regularized logistic regression, seeded Gaussian data with flipped labels; f* by GSL BFGS2",
        parameters: [
            ParameterSpec("samples", default: .integer(500), "number of samples m", .atLeast(1)),
            ParameterSpec("features", default: .integer(10), "number of features d (= dimension)", .atLeast(1)),
            ParameterSpec("lambda", default: .real(1e-2), "L2 regularization λ", .positive),
            ParameterSpec("noise", default: .real(0.1), "probability of flipping each label", .closedUnitInterval),
        ],
        seeded: true
    ) { p, seed throws(SpecError) in
        LogisticRegression(samples: p.integer("samples"), features: p.integer("features"),
                           regularization: p.real("lambda"), noise: p.real("noise"), seed: seed)
    }
}
