import DescentCore

/// MGH's citation, shared by the classics.
let mgh = "Moré, Garbow & Hillstrom, ACM TOMS 7(1):17–41, 1981"

/// The problem families that ship with Descent, in display order. Each family with parameters is a
/// ``ProblemFamily`` (its parameters declared once, with `@Parameter`) registered with
/// `ProblemEntry(Family.self)`; every entry then gets the starting-point parameters
/// (``DescentCore/ProblemEntry/withStartingPoints()``).
public enum BuiltinProblems {
    /// Every built-in family. `swift run suite --all` runs the default instance of each.
    public static var all: [ProblemEntry] {
        ([parabola, quadratic, saddle, rosenbrock, extendedRosenbrock, chainedRosenbrock, leastSquares, logistic]
            + classics + [leastSquaresData, logisticData, logisticArrays] + models + [diagonalQuadratic]).map { $0.withStartingPoints() }
    }

    /// The Moré–Garbow–Hillstrom classics besides Rosenbrock (#1) and extended Rosenbrock (#21).
    public static var classics: [ProblemEntry] {
        [
            classic("freudenstein-roth", "MGH #2, Freudenstein–Roth; f* = 0 at (5, 4), local minimum 48.98 near x₀",
                    FreudensteinRoth()),
            classic("powell-badly-scaled", "MGH #3, Powell badly scaled; f* = 0 at (1.098e-5, 9.106)", PowellBadlyScaled(),
                    literature: 0),
            classic("brown-badly-scaled", "MGH #4, Brown badly scaled; f* = 0 at (1e6, 2e-6)", BrownBadlyScaled()),
            classic("beale", "MGH #5, Beale; f* = 0 at (3, 0.5)", Beale()),
            classic("jennrich-sampson", "MGH #6, Jennrich–Sampson (m = 10); f* = 124.362 at x₁ = x₂ = 0.2578",
                    JennrichSampson(), literature: 124.362),
            classic("helical-valley", "MGH #7, helical valley; f* = 0 at (1, 0, 0)", HelicalValley()),
            classic("bard", "MGH #8, Bard; f* = 8.21487e-3", Bard(), literature: 8.21487e-3),
            classic("box-3d", "MGH #12, Box three-dimensional (m = 10); f* = 0 at (1, 10, 1)", BoxThreeDimensional()),
            ProblemEntry(PowellSingularFamily.self),
            classic("wood", "MGH #14, Wood; f* = 0 at (1, 1, 1, 1)", Wood()),
            ProblemEntry(PenaltyIFamily.self),
            ProblemEntry(VariablyDimensionedFamily.self),
            ProblemEntry(TrigonometricFamily.self),
        ]
    }

    /// A classic without parameters: f = Σ rᵢ² of `residuals`, cited by the problem number in `summary`.
    private static func classic<R: Residuals>(_ name: String, _ summary: String, _ residuals: R,
                                              literature: Double? = nil) -> ProblemEntry {
        let number = summary.split(separator: ",").first.map { String($0.dropFirst(5)) } ?? ""
        return ProblemEntry(name: name, summary: summary, citation: "\(mgh), problem \(number)",
                            literatureMinimum: literature.map { ($0, 1e-5) }) { _, _ throws(SpecError) in
            SumOfSquares(residuals)
        }
    }

    /// θ² from θ₀ = 4.
    public static let parabola = ProblemEntry(Parabola.self)
    /// ½xᵀAx − bᵀx with prescribed spectrum.
    public static let quadratic = ProblemEntry(QuadraticFamily.self)
    /// A diagonal quadratic read from arrays.
    public static let diagonalQuadratic = ProblemEntry(DiagonalQuadraticFamily.self)
    /// A strict saddle next to the start.
    public static let saddle = ProblemEntry(Saddle.self)

    /// Classic 2-D Rosenbrock.
    public static let rosenbrock = ProblemEntry(
        name: "rosenbrock",
        summary: "Rosenbrock 100(y − x²)² + (1 − x)² from (−1.2, 1) (MGH #1); f* = 0 at (1, 1)",
        citation: "Rosenbrock, Comput. J. 3(3):175–184, 1960; " + mgh + ", problem 1"
    ) { _, _ throws(SpecError) in ExtendedRosenbrock(dimension: 2) }

    /// Extended n-D Rosenbrock, MGH #21.
    public static let extendedRosenbrock = ProblemEntry(ExtendedRosenbrockFamily.self)
    /// Chained (generalized) Rosenbrock.
    public static let chainedRosenbrock = ProblemEntry(ChainedRosenbrockFamily.self)
    /// Linear least squares on synthetic data.
    public static let leastSquares = ProblemEntry(LeastSquaresFamily.self)
    /// L2-regularized logistic regression on synthetic data.
    public static let logistic = ProblemEntry(LogisticFamily.self)
    /// Least squares on a CSV data set.
    public static let leastSquaresData = ProblemEntry(LeastSquaresDataFamily.self)
    /// Logistic regression on a CSV data set with a two-valued target column.
    public static let logisticData = ProblemEntry(LogisticDataFamily.self)
    /// Logistic regression on a design matrix and labels stored as NumPy `.npy` or raw float64 files.
    public static let logisticArrays = ProblemEntry(LogisticArraysFamily.self)
}
