import DescentCore
import GSL

private let mgh = "Moré, Garbow & Hillstrom, ACM TOMS 7(1):17–41, 1981"

/// The problem families that ship with Descent, in display order.
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
            ProblemEntry(
                name: "powell-singular",
                summary: "MGH #13 / #22, (extended) Powell singular; f* = 0 at 0 with a singular Hessian",
                parameters: [ParameterSpec("n", default: .integer(4), "dimension (a multiple of 4)", .atLeast(4))],
                citation: mgh + ", problems 13 and 22"
            ) { p, _ throws(SpecError) in
                let n = p.integer("n")
                guard n % 4 == 0 else { throw .invalid(owner: "powell-singular", "n must be a multiple of 4, got \(n)") }
                return SumOfSquares(PowellSingular(dimension: n))
            },
            classic("wood", "MGH #14, Wood; f* = 0 at (1, 1, 1, 1)", Wood()),
            ProblemEntry(
                name: "penalty-i",
                summary: "MGH #23, penalty function I; f* = 2.24997e-5 (n = 4), 7.08765e-5 (n = 10)",
                parameters: [ParameterSpec("n", default: .integer(4), "dimension", .atLeast(1))],
                citation: mgh + ", problem 23",
                literatureMinimum: (2.24997e-5, 1e-5)
            ) { p, _ throws(SpecError) in SumOfSquares(PenaltyI(dimension: p.integer("n"))) },
            ProblemEntry(
                name: "variably-dimensioned",
                summary: "MGH #25, variably dimensioned; f* = 0 at (1, …, 1)",
                parameters: [ParameterSpec("n", default: .integer(10), "dimension", .atLeast(1))],
                citation: mgh + ", problem 25"
            ) { p, _ throws(SpecError) in SumOfSquares(VariablyDimensioned(dimension: p.integer("n"))) },
            ProblemEntry(
                name: "trigonometric",
                summary: "MGH #26, trigonometric; global f* = 0 at 0, local minima near x₀",
                parameters: [ParameterSpec("n", default: .integer(10), "dimension", .atLeast(1))],
                citation: mgh + ", problem 26"
            ) { p, _ throws(SpecError) in SumOfSquares(Trigonometric(dimension: p.integer("n"))) },
        ]
    }

    private static func classic<R: Residuals>(_ name: String, _ summary: String, _ residuals: R,
                                              literature: Double? = nil) -> ProblemEntry {
        let number = summary.split(separator: ",").first.map { String($0.dropFirst(5)) } ?? ""
        return ProblemEntry(name: name, summary: summary, citation: "\(mgh), problem \(number)",
                            literatureMinimum: literature.map { ($0, 1e-5) }) { _, _ throws(SpecError) in
            SumOfSquares(residuals)
        }
    }

    /// θ² from θ₀ = 4.
    public static let parabola = ProblemEntry(
        name: "parabola",
        summary: "f(θ) = θ² from θ₀ = 4 (1-D tutorial example); f* = 0",
        parameters: [ParameterSpec("start", default: .real(4), "starting point θ₀")]
    ) { p, _ throws(SpecError) in Parabola(start: p.real("start")) }

    /// ½xᵀAx − bᵀx with prescribed spectrum.
    public static let quadratic = ProblemEntry(
        name: "quadratic",
        summary: "½xᵀAx − bᵀx, eigenvalues 1…κ (log, uniform or two clusters), rotated by a seeded Q or diagonal",
        parameters: [
            ParameterSpec("n", default: .integer(20), "dimension (rotated: at most 2000; diagonal: any)", .atLeast(1)),
            ParameterSpec("kappa", default: .real(100), "condition number κ = L/μ (μ = 1)", .atLeast(1)),
            ParameterSpec("spectrum", default: .choice("log"), "spread of the eigenvalues",
                          choices: Spectrum.allCases.map(\.rawValue)),
            ParameterSpec("rotated", default: .flag(true), "rotate by a seeded orthogonal Q (dense) or keep A diagonal"),
            ParameterSpec("linear", default: .choice("gaussian"), "the linear term b: seeded N(0, 1), or all ones (W1)",
                          choices: LinearTerm.allCases.map(\.rawValue)),
        ],
        seeded: true,
        citation: "e.g. Nesterov, Introductory Lectures on Convex Optimization, 2004, §2.1"
    ) { p, seed throws(SpecError) in
        let n = p.integer("n")
        let rotated = p.flag("rotated")
        guard !rotated || n <= Quadratic.denseLimit else {
            throw .invalid(owner: "quadratic", "n = \(n) is above the dense limit \(Quadratic.denseLimit); add rotated=false")
        }
        guard case .choice(let raw) = p["spectrum"], let spectrum = Spectrum(rawValue: raw) else {
            throw .invalid(owner: "quadratic", "unknown spectrum")
        }
        guard case .choice(let rawLinear) = p["linear"], let linear = LinearTerm(rawValue: rawLinear) else {
            throw .invalid(owner: "quadratic", "unknown linear term")
        }
        do {
            return try Quadratic(dimension: n, conditionNumber: p.real("kappa"), spectrum: spectrum, rotated: rotated,
                                 linearTerm: linear, seed: seed)
        } catch {
            throw .invalid(owner: "quadratic", "could not build the instance: \(error)")
        }
    }

    /// A diagonal quadratic read from arrays.
    public static let diagonalQuadratic = ProblemEntry(
        name: "diagonal-quadratic",
        summary: "template: ½Σaᵢxᵢ² − Σbᵢxᵢ with a, b (and x₀) from .npy or raw float64 files; x* = b/a",
        parameters: [
            ParameterSpec("a", default: .text("-"), "the diagonal a (every aᵢ > 0): .npy or raw float64, n values", isPath: true),
            ParameterSpec("b", default: .text("-"), "the linear term b: n values", isPath: true),
            ParameterSpec("x0", default: .text("-"), "the starting point x₀: n values (-: zeros)", isPath: true),
        ],
        template: true
    ) { p, _ throws(SpecError) in
        let owner = "diagonal-quadratic"
        guard p.text("a") != "-", p.text("b") != "-" else {
            throw .invalid(owner: owner, "give the arrays: diagonal-quadratic(a=A.npy,b=B.npy[,x0=X0.npy])")
        }
        let a = try vector(p, "a", owner: owner), b = try vector(p, "b", owner: owner)
        guard a.count == b.count else {
            throw .invalid(owner: owner, "b: \(p.text("b")) has \(b.count) values; a has \(a.count)")
        }
        if let i = a.firstIndex(where: { !($0 > 0) }) {
            throw .invalid(owner: owner, "a: \(p.text("a")) value \(i) is \(a[i]); every aᵢ must be > 0 (a strongly convex quadratic)")
        }
        guard p.text("x0") != "-" else { return Quadratic(diagonal: a, linear: b) }
        let x0 = try vector(p, "x0", owner: owner)
        guard x0.count == a.count else {
            throw .invalid(owner: owner, "x0: \(p.text("x0")) has \(x0.count) values; a has \(a.count)")
        }
        return Quadratic(diagonal: a, linear: b, start: x0)
    }

    /// The values of the array file named by parameter `key` (one column).
    static func vector(_ p: ParameterSet, _ key: String, owner: String) throws(SpecError) -> [Double] {
        do {
            return try ArrayFile(path: p.text(key), columns: 1).values
        } catch {
            throw .invalid(owner: owner, "\(key): \(error)")
        }
    }

    /// A strict saddle next to the start.
    public static let saddle = ProblemEntry(
        name: "saddle",
        summary: "½x² − ½y² + ¼y⁴ from (1, δ): strict saddle at 0 next to the start; f* = −¼ at (0, ±1)",
        parameters: [ParameterSpec("offset", default: .real(1e-3), "δ, the start's y coordinate")]
    ) { p, _ throws(SpecError) in Saddle(offset: p.real("offset")) }

    /// Classic 2-D Rosenbrock.
    public static let rosenbrock = ProblemEntry(
        name: "rosenbrock",
        summary: "Rosenbrock 100(y − x²)² + (1 − x)² from (−1.2, 1) (MGH #1); f* = 0 at (1, 1)",
        citation: "Rosenbrock, Comput. J. 3(3):175–184, 1960; " + mgh + ", problem 1"
    ) { _, _ throws(SpecError) in ExtendedRosenbrock(dimension: 2) }

    /// Extended n-D Rosenbrock, MGH #21.
    public static let extendedRosenbrock = ProblemEntry(
        name: "extended-rosenbrock",
        summary: "extended Rosenbrock (MGH #21), n/2 uncoupled pairs; f* = 0",
        parameters: [ParameterSpec("n", default: .integer(100), "dimension (even)", .atLeast(2))],
        citation: mgh + ", problem 21"
    ) { p, _ throws(SpecError) in
        let n = p.integer("n")
        guard n % 2 == 0 else { throw .invalid(owner: "extended-rosenbrock", "n must be even, got \(n)") }
        return ExtendedRosenbrock(dimension: n)
    }

    /// Chained (generalized) Rosenbrock.
    public static let chainedRosenbrock = ProblemEntry(
        name: "chained-rosenbrock",
        summary: "chained Rosenbrock Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² (scipy.optimize.rosen); f* = 0 at 1",
        parameters: [ParameterSpec("n", default: .integer(10), "dimension (dense Hessian: at most 2000)", .atLeast(2))],
        citation: "Shang & Qiu, Evolutionary Computation 14(1):119–126, 2006"
    ) { p, _ throws(SpecError) in ChainedRosenbrock(dimension: p.integer("n")) }

    /// Linear least squares on synthetic data.
    public static let leastSquares = ProblemEntry(
        name: "least-squares",
        summary: "linear regression (1/2m)‖Xw − y‖² + (λ/2)‖w‖², seeded Gaussian data; w* by GSL QR",
        parameters: [
            ParameterSpec("samples", default: .integer(200), "number of samples m", .atLeast(1)),
            ParameterSpec("features", default: .integer(10), "number of features d (= dimension)", .atLeast(1)),
            ParameterSpec("noise", default: .real(0.1), "standard deviation σ of the target noise", .nonNegative),
            ParameterSpec("lambda", default: .real(0), "L2 regularization λ", .nonNegative),
        ],
        seeded: true
    ) { p, seed throws(SpecError) in
        guard p.integer("samples") >= p.integer("features") || p.real("lambda") > 0 else {
            throw .invalid(owner: "least-squares", "needs samples >= features, or lambda > 0")
        }
        do {
            return try LeastSquares(samples: p.integer("samples"), features: p.integer("features"), noise: p.real("noise"),
                                    regularization: p.real("lambda"), seed: seed)
        } catch {
            throw .invalid(owner: "least-squares", "could not solve for w*: \(error)")
        }
    }

    /// Parameters shared by the data-backed families.
    static func dataParameters(target: String, lambda: Double) -> [ParameterSpec] {
        [
            ParameterSpec("data", default: .text("-"), "CSV file: a header row, then numeric rows", isPath: true),
            ParameterSpec("target", default: .text(target), "the column to predict; every other column is a feature"),
            ParameterSpec("lambda", default: .real(lambda), "L2 regularization λ", .nonNegative),
            ParameterSpec("validation", default: .real(0.2), "fraction of rows held out (seeded split)", .unitInterval),
            ParameterSpec("standardize", default: .flag(true), "scale features to mean 0, variance 1 (training statistics)"),
            ParameterSpec("intercept", default: .flag(true), "append a constant feature 1 (a bias term, last coordinate)"),
        ]
    }

    static func load(_ p: ParameterSet, seed: UInt64, owner: String) throws(SpecError) -> (PreparedData, [String]) {
        let path = p.text("data")
        guard path != "-" else { throw .invalid(owner: owner, "give the data file: \(owner)(data=FILE.csv,target=COLUMN)") }
        do {
            let table = try DataTable(path: path)
            let (x, y, names) = try table.split(target: p.text("target"), path: path)
            return (PreparedData(features: x, targets: y, dimension: names.count, validationFraction: p.real("validation"),
                                 standardize: p.flag("standardize"), intercept: p.flag("intercept"), seed: seed), names)
        } catch {
            throw .invalid(owner: owner, "\(error)")
        }
    }

    /// Least squares on a CSV data set.
    public static let leastSquaresData = ProblemEntry(
        name: "least-squares-data",
        summary: "linear regression on a CSV data set (seeded validation split, standardized features); w* by GSL QR",
        parameters: dataParameters(target: "y", lambda: 0),
        seeded: true,
        template: true
    ) { p, seed throws(SpecError) in
        let (data, _) = try load(p, seed: seed, owner: "least-squares-data")
        // λ = 0 needs XᵀX invertible, so at least as many training rows as columns: with fewer, w* is
        // not unique (a whole affine space of interpolating solutions) and there is no QR certificate.
        // λ > 0 makes the problem strongly convex whatever the shape: the Cholesky solve certifies it.
        let m = data.targets.count, d = data.dimension
        guard m > 0 else {
            throw .invalid(owner: "least-squares-data", "no training rows: validation=\(p.real("validation")) holds out all \(data.validationTargets.count) rows")
        }
        guard m >= d || p.real("lambda") > 0 else {
            throw .invalid(owner: "least-squares-data", "\(m) training rows for \(d) columns\(p.flag("intercept") ? " (features + intercept)" : ""): "
                + "with lambda = 0 it needs at least as many training rows as columns; give lambda > 0, more rows or a smaller validation fraction")
        }
        do {
            return try LeastSquares(features: data.features, targets: data.targets, dimension: data.dimension,
                                    regularization: p.real("lambda"), validationFeatures: data.validationFeatures,
                                    validationTargets: data.validationTargets)
        } catch {
            throw .invalid(owner: "least-squares-data", "could not solve for w*: \(error)")
        }
    }

    /// Logistic regression on a CSV data set with a two-valued target column.
    public static let logisticData = ProblemEntry(
        name: "logistic-data",
        summary: "L2-regularized logistic regression on a CSV data set; the target's larger value is the +1 class",
        parameters: dataParameters(target: "label", lambda: 1e-3),
        seeded: true,
        template: true
    ) { p, seed throws(SpecError) in
        guard p.real("lambda") > 0 else { throw .invalid(owner: "logistic-data", "lambda must be > 0 for a certified f*") }
        let (data, _) = try load(p, seed: seed, owner: "logistic-data")
        let classes = Set(data.targets + data.validationTargets).sorted()
        guard classes.count == 2 else {
            throw .invalid(owner: "logistic-data", "the target column must take exactly two values, found \(classes.count)")
        }
        try checkTrainingClasses(data.targets, classes: classes, owner: "logistic-data")
        let sign = { (v: Double) in v == classes[1] ? 1.0 : -1.0 }
        return LogisticRegression(features: data.features, labels: data.targets.map(sign), dimension: data.dimension,
                                  regularization: p.real("lambda"), validationFeatures: data.validationFeatures,
                                  validationLabels: data.validationTargets.map(sign))
    }

    /// Refuses a training split without both classes (or without rows): the fit would learn one class
    /// only, and an empty split has no loss at all.
    static func checkTrainingClasses(_ targets: [Double], classes: [Double], owner: String) throws(SpecError) {
        for c in classes where !targets.contains(c) {
            throw .invalid(owner: owner, "the \(targets.count) training rows have no label \(c) (the validation split took every one); "
                + "give a smaller validation fraction or another --seed")
        }
    }

    /// Logistic regression on a design matrix and labels stored as NumPy `.npy` or raw float64 files.
    public static let logisticArrays = ProblemEntry(
        name: "logistic-arrays",
        summary: "L2-regularized logistic regression on X and y from .npy or raw float64 files (the peer kit's W3)",
        parameters: [
            ParameterSpec("x", default: .text("-"), "the design matrix: .npy (m × d) or raw little-endian float64, row-major",
                          isPath: true),
            ParameterSpec("y", default: .text("-"), "the labels: .npy or raw float64, m values taking two values", isPath: true),
            ParameterSpec("features", default: .integer(0), "d, required for a raw X file (0: from the .npy header)", .atLeast(0)),
            ParameterSpec("lambda", default: .real(1e-4), "L2 regularization λ", .positive),
            ParameterSpec("validation", default: .real(0), "fraction of rows held out (seeded split)", .unitInterval),
            ParameterSpec("standardize", default: .flag(false), "scale features to mean 0, variance 1 (training statistics)"),
        ],
        seeded: true,
        citation: "the peer kit's W3: m = 10⁵, d = 100, λ = 10⁻⁴ (../shared/peers/README.md)",
        template: true
    ) { p, seed throws(SpecError) in
        let owner = "logistic-arrays"
        guard p.text("x") != "-", p.text("y") != "-" else {
            throw .invalid(owner: owner, "give both files: logistic-arrays(x=X.npy,y=y.npy) or (x=X.f64,y=y.f64,features=D)")
        }
        let x: ArrayFile, y: ArrayFile
        do {
            let d = p.integer("features")
            // y's length is checked against X's rows before either is read.
            let rows = try ArrayFile.shape(path: p.text("x"), columns: d == 0 ? nil : d).rows
            let labelRows = try ArrayFile.shape(path: p.text("y"), columns: 1).rows
            guard rows == labelRows else { throw SpecError.invalid(owner: owner, "X has \(rows) rows but y has \(labelRows) values") }
            x = try ArrayFile(path: p.text("x"), columns: d == 0 ? nil : d, rows: rows)
            y = try ArrayFile(path: p.text("y"), columns: 1, rows: rows)
        } catch let error as SpecError {
            throw error
        } catch {
            throw .invalid(owner: owner, "\(error)")
        }
        let classes = Set(y.values).sorted()
        guard classes.count == 2 else {
            throw .invalid(owner: owner, "the labels must take exactly two values (the larger is the +1 class), found \(classes.count): "
                + classes.prefix(5).map { "\($0)" }.joined(separator: ", ") + (classes.count > 5 ? ", …" : ""))
        }
        let sign = { (v: Double) in v == classes[1] ? 1.0 : -1.0 }
        let labels = y.values.map(sign)
        if p.real("validation") == 0 && !p.flag("standardize") {
            // As stored: the peer kit's W3, row order kept (no copy through a split).
            return LogisticRegression(features: x.values, labels: labels, dimension: x.columns, regularization: p.real("lambda"))
        }
        let data = PreparedData(features: x.values, targets: labels, dimension: x.columns, validationFraction: p.real("validation"),
                                standardize: p.flag("standardize"), seed: seed)
        try checkTrainingClasses(data.targets, classes: [-1, 1], owner: owner)
        return LogisticRegression(features: data.features, labels: data.targets, dimension: data.dimension,
                                  regularization: p.real("lambda"), validationFeatures: data.validationFeatures,
                                  validationLabels: data.validationTargets)
    }

    /// L2-regularized logistic regression on synthetic data.
    public static let logistic = ProblemEntry(
        name: "logistic",
        summary: "L2-regularized logistic regression, seeded Gaussian data with flipped labels; f* by GSL BFGS2 + Newton",
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
