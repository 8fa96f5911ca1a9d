import DescentCore

// The families of the analytic test functions: their parameters declared once, with `@Parameter`.

/// `quadratic`: ½xᵀAx − bᵀx with a prescribed spectrum (``Quadratic``).
struct QuadraticFamily: ProblemFamily {
    static let name = "quadratic"
    static let summary = "½xᵀAx − bᵀx, eigenvalues 1…κ (log, uniform or two clusters), rotated by a seeded Q or diagonal"
    static let citation: String? = "e.g. Nesterov, Introductory Lectures on Convex Optimization, 2004, §2.1"
    static var isSeeded: Bool { true }

    @Parameter("n", "dimension (rotated: at most 2000; diagonal: any)", .atLeast(1)) var n = 20
    @Parameter("kappa", "condition number κ = L/μ (μ = 1)", .atLeast(1)) var kappa = 100.0
    @Parameter("spectrum", "spread of the eigenvalues") var spectrum = Spectrum.log
    @Parameter("rotated", "rotate by a seeded orthogonal Q (dense) or keep A diagonal") var rotated = true
    @Parameter("linear", "the linear term b: seeded N(0, 1), or all ones (W1)") var linear = LinearTerm.gaussian

    func validate() throws(SpecError) {
        guard !rotated || n <= Quadratic.denseLimit else {
            throw .invalid(owner: Self.name, "n = \(n) is above the dense limit \(Quadratic.denseLimit); add rotated=false")
        }
    }

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        do {
            return try Quadratic(dimension: n, conditionNumber: kappa, spectrum: spectrum, rotated: rotated, linearTerm: linear, seed: seed)
        } catch {
            throw .invalid(owner: Self.name, "could not build the instance: \(error)")
        }
    }
}

extension Spectrum: ParameterRepresentable {}
extension LinearTerm: ParameterRepresentable {}

/// `extended-rosenbrock`: MGH #21 (``ExtendedRosenbrock``).
struct ExtendedRosenbrockFamily: ProblemFamily {
    static let name = "extended-rosenbrock"
    static let summary = "extended Rosenbrock (MGH #21), n/2 uncoupled pairs; f* = 0"
    static let citation: String? = mgh + ", problem 21"

    @Parameter("n", "dimension (even)", .atLeast(2)) var n = 100

    func validate() throws(SpecError) {
        guard n % 2 == 0 else { throw .invalid(owner: Self.name, "n must be even, got \(n)") }
    }

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem { ExtendedRosenbrock(dimension: n) }
}

/// `chained-rosenbrock` (``ChainedRosenbrock``).
struct ChainedRosenbrockFamily: ProblemFamily {
    static let name = "chained-rosenbrock"
    static let summary = "chained Rosenbrock Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² (scipy.optimize.rosen); f* = 0 at 1"
    static let citation: String? = "Shang & Qiu, Evolutionary Computation 14(1):119–126, 2006"

    @Parameter("n", "dimension (dense Hessian: at most 2000)", .atLeast(2)) var n = 10

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem { ChainedRosenbrock(dimension: n) }
}

/// `powell-singular`: MGH #13 and its extension #22 (``PowellSingular``).
struct PowellSingularFamily: ProblemFamily {
    static let name = "powell-singular"
    static let summary = "MGH #13 / #22, (extended) Powell singular; f* = 0 at 0 with a singular Hessian"
    static let citation: String? = mgh + ", problems 13 and 22"

    @Parameter("n", "dimension (a multiple of 4)", .atLeast(4)) var n = 4

    func validate() throws(SpecError) {
        guard n % 4 == 0 else { throw .invalid(owner: Self.name, "n must be a multiple of 4, got \(n)") }
    }

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem { SumOfSquares(PowellSingular(dimension: n)) }
}

/// `penalty-i`: MGH #23 (``PenaltyI``).
struct PenaltyIFamily: ProblemFamily {
    static let name = "penalty-i"
    static let summary = "MGH #23, penalty function I; f* = 2.24997e-5 (n = 4), 7.08765e-5 (n = 10)"
    static let citation: String? = mgh + ", problem 23"
    static var literatureMinimum: (value: Double, relativeTolerance: Double)? { (2.24997e-5, 1e-5) }

    @Parameter("n", "dimension", .atLeast(1)) var n = 4

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem { SumOfSquares(PenaltyI(dimension: n)) }
}

/// `variably-dimensioned`: MGH #25 (``VariablyDimensioned``).
struct VariablyDimensionedFamily: ProblemFamily {
    static let name = "variably-dimensioned"
    static let summary = "MGH #25, variably dimensioned; f* = 0 at (1, …, 1)"
    static let citation: String? = mgh + ", problem 25"

    @Parameter("n", "dimension", .atLeast(1)) var n = 10

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem { SumOfSquares(VariablyDimensioned(dimension: n)) }
}

/// `trigonometric`: MGH #26 (``Trigonometric``).
struct TrigonometricFamily: ProblemFamily {
    static let name = "trigonometric"
    static let summary = "MGH #26, trigonometric; global f* = 0 at 0, local minima near x₀"
    static let citation: String? = mgh + ", problem 26"

    @Parameter("n", "dimension", .atLeast(1)) var n = 10

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem { SumOfSquares(Trigonometric(dimension: n)) }
}
