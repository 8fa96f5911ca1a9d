import DescentCore

// Families whose data are drawn from the run's seed.

/// `least-squares`: linear regression on seeded Gaussian data (``LeastSquares``).
struct LeastSquaresFamily: ProblemFamily {
    static let name = "least-squares"
    static let summary = "linear regression (1/2m)‖Xw − y‖² + (λ/2)‖w‖², seeded Gaussian data; w* by GSL QR"
    static var isSeeded: Bool { true }

    @Parameter("samples", "number of samples m", .atLeast(1)) var samples = 200
    @Parameter("features", "number of features d (= dimension)", .atLeast(1)) var features = 10
    @Parameter("noise", "standard deviation σ of the target noise", .nonNegative) var noise = 0.1
    @Parameter("lambda", "L2 regularization λ", .nonNegative) var lambda = 0.0

    func validate() throws(SpecError) {
        guard samples >= features || lambda > 0 else { throw .invalid(owner: Self.name, "needs samples >= features, or lambda > 0") }
    }

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        do {
            return try LeastSquares(samples: samples, features: features, noise: noise, regularization: lambda, seed: seed)
        } catch {
            throw .invalid(owner: Self.name, "could not solve for w*: \(error)")
        }
    }
}

/// `logistic`: L2-regularized logistic regression on seeded Gaussian data (``LogisticRegression``).
struct LogisticFamily: ProblemFamily {
    static let name = "logistic"
    static let summary = "L2-regularized logistic regression, seeded Gaussian data with flipped labels; f* by GSL BFGS2 + Newton"
    static var isSeeded: Bool { true }

    @Parameter("samples", "number of samples m", .atLeast(1)) var samples = 500
    @Parameter("features", "number of features d (= dimension)", .atLeast(1)) var features = 10
    @Parameter("lambda", "L2 regularization λ", .positive) var lambda = 1e-2
    @Parameter("noise", "probability of flipping each label", .closedUnitInterval) var noise = 0.1

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        LogisticRegression(samples: samples, features: features, regularization: lambda, noise: noise, seed: seed)
    }
}

/// `quadratic-deep`: DeepOBS's stochastic quadratic (``QuadraticDeep``).
struct QuadraticDeepFamily: ProblemFamily {
    static let name = "quadratic-deep"
    static let summary = "DeepOBS quadratic_deep: (1/m)Σ½(θ − xᵢ)ᵀQ(θ − xᵢ), 90% of Q's eigenvalues in [0, 1], 10% in [30, 60]; θ* = x̄"
    static let citation: String? = "Schneider, Balles & Hennig, DeepOBS, ICLR 2019 (quadratic_deep)"
    static var isSeeded: Bool { true }

    @Parameter("n", "dimension (at most 2000)", .atLeast(1)) var n = 100
    @Parameter("samples", "number of samples m", .atLeast(1)) var samples = 1000

    func validate() throws(SpecError) {
        guard n <= Quadratic.denseLimit else { throw .invalid(owner: Self.name, "n must be at most \(Quadratic.denseLimit)") }
    }

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        try BuiltinProblems.loadBLAS(owner: Self.name)
        do {
            return try QuadraticDeep(dimension: n, samples: samples, seed: seed)
        } catch {
            throw .invalid(owner: Self.name, "could not build the instance: \(error)")
        }
    }
}

/// `matrix-factorization`: low-rank completion of a seeded matrix (``MatrixFactorization``).
struct MatrixFactorizationFamily: ProblemFamily {
    static let name = "matrix-factorization"
    static let summary = "low-rank completion (1/|Ω|)Σ½(uᵢᵀvⱼ − Mᵢⱼ)² + (λ/2)‖(U, V)‖², seeded rank-k M; f* = 0 without noise and λ"
    static let citation: String? = "Koren, Bell & Volinsky, IEEE Computer 42(8):30–37, 2009; landscape: Ge, Lee & Ma, NeurIPS 2016"
    static var isSeeded: Bool { true }

    @Parameter("rows", "rows r of M", .atLeast(1)) var rows = 50
    @Parameter("columns", "columns c of M", .atLeast(1)) var columns = 40
    @Parameter("rank", "rank k of the truth and of the factors", .atLeast(1)) var rank = 3
    @Parameter("observed", "probability that an entry is observed", .unitInterval) var observed = 0.3
    @Parameter("noise", "standard deviation σ of the noise on observed entries", .nonNegative) var noise = 0.0
    @Parameter("lambda", "L2 regularization λ on U and V", .nonNegative) var lambda = 0.0

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        let problem = MatrixFactorization(rows: rows, columns: columns, rank: rank, observed: observed, noise: noise,
                                          regularization: lambda, seed: seed)
        guard problem.sampleCount > 0 else {
            throw .invalid(owner: Self.name, "no entry is observed; raise observed (now \(observed))")
        }
        return problem
    }
}
