import DescentCore

// Families fitted to data read from files: templates, run by name with their files or from an
// instance file (Problems/*.toml).

/// `least-squares-data`: linear regression on a CSV data set (``LeastSquares``).
struct LeastSquaresDataFamily: ProblemFamily {
    static let name = "least-squares-data"
    static let summary = "linear regression on a CSV data set (seeded validation split, standardized features); w* by GSL QR"
    static var isSeeded: Bool { true }
    static var isTemplate: Bool { true }

    @Parameter("data", "CSV file: a header row, then numeric rows") var data = FilePath.none
    @Parameter("target", "the column to predict; every other column is a feature") var target = "y"
    @Parameter("lambda", "L2 regularization λ", .nonNegative) var lambda = 0.0
    @Parameter("validation", "fraction of rows held out (seeded split)", .unitInterval) var validation = 0.2
    @Parameter("standardize", "scale features to mean 0, variance 1 (training statistics)") var standardize = true
    @Parameter("intercept", "append a constant feature 1 (a bias term, last coordinate)") var intercept = true

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        let data = try BuiltinProblems.load(data, target: target, validation: validation, standardize: standardize,
                                            intercept: intercept, seed: seed, owner: Self.name)
        // λ = 0 needs XᵀX invertible, so at least as many training rows as columns: with fewer, w* is
        // not unique (a whole affine space of interpolating solutions) and there is no QR certificate.
        // λ > 0 makes the problem strongly convex whatever the shape: the Cholesky solve certifies it.
        let m = data.targets.count, d = data.dimension
        guard m > 0 else {
            throw .invalid(owner: Self.name, "no training rows: validation=\(validation) holds out all \(data.validationTargets.count) rows")
        }
        guard m >= d || lambda > 0 else {
            throw .invalid(owner: Self.name, "\(m) training rows for \(d) columns\(intercept ? " (features + intercept)" : ""): "
                + "with lambda = 0 it needs at least as many training rows as columns; give lambda > 0, more rows or a smaller validation fraction")
        }
        do {
            return try LeastSquares(features: data.features, targets: data.targets, dimension: data.dimension, regularization: lambda,
                                    validationFeatures: data.validationFeatures, validationTargets: data.validationTargets)
        } catch {
            throw .invalid(owner: Self.name, "could not solve for w*: \(error)")
        }
    }
}

/// `logistic-data`: logistic regression on a CSV data set with a two-valued target (``LogisticRegression``).
struct LogisticDataFamily: ProblemFamily {
    static let name = "logistic-data"
    static let summary = "L2-regularized logistic regression on a CSV data set; the target's larger value is the +1 class"
    static var isSeeded: Bool { true }
    static var isTemplate: Bool { true }

    @Parameter("data", "CSV file: a header row, then numeric rows") var data = FilePath.none
    @Parameter("target", "the column to predict; every other column is a feature") var target = "label"
    @Parameter("lambda", "L2 regularization λ", .nonNegative) var lambda = 1e-3
    @Parameter("validation", "fraction of rows held out (seeded split)", .unitInterval) var validation = 0.2
    @Parameter("standardize", "scale features to mean 0, variance 1 (training statistics)") var standardize = true
    @Parameter("intercept", "append a constant feature 1 (a bias term, last coordinate)") var intercept = true

    func validate() throws(SpecError) {
        guard lambda > 0 else { throw .invalid(owner: Self.name, "lambda must be > 0 for a certified f*") }
    }

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        let data = try BuiltinProblems.load(data, target: target, validation: validation, standardize: standardize,
                                            intercept: intercept, seed: seed, owner: Self.name)
        let classes = Set(data.targets + data.validationTargets).sorted()
        guard classes.count == 2 else {
            throw .invalid(owner: Self.name, "the target column must take exactly two values, found \(classes.count)")
        }
        try BuiltinProblems.checkTrainingClasses(data.targets, classes: classes, owner: Self.name)
        let sign = { (v: Double) in v == classes[1] ? 1.0 : -1.0 }
        return LogisticRegression(features: data.features, labels: data.targets.map(sign), dimension: data.dimension,
                                  regularization: lambda, validationFeatures: data.validationFeatures,
                                  validationLabels: data.validationTargets.map(sign))
    }
}

/// `logistic-arrays`: logistic regression on X and y from `.npy` or raw float64 files (the peer kit's W3).
struct LogisticArraysFamily: ProblemFamily {
    static let name = "logistic-arrays"
    static let summary = "L2-regularized logistic regression on X and y from .npy or raw float64 files (the peer kit's W3)"
    static let citation: String? = "the peer kit's W3: m = 10⁵, d = 100, λ = 10⁻⁴ (../shared/peers/README.md)"
    static var isSeeded: Bool { true }
    static var isTemplate: Bool { true }

    @Parameter("x", "the design matrix: .npy (m × d) or raw little-endian float64, row-major") var x = FilePath.none
    @Parameter("y", "the labels: .npy or raw float64, m values taking two values") var y = FilePath.none
    @Parameter("features", "d, required for a raw X file (0: from the .npy header)", .atLeast(0)) var features = 0
    @Parameter("lambda", "L2 regularization λ", .positive) var lambda = 1e-4
    @Parameter("validation", "fraction of rows held out (seeded split)", .unitInterval) var validation = 0.0
    @Parameter("standardize", "scale features to mean 0, variance 1 (training statistics)") var standardize = false

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        let owner = Self.name
        guard x.isGiven, y.isGiven else {
            throw .invalid(owner: owner, "give both files: logistic-arrays(x=X.npy,y=y.npy) or (x=X.f64,y=y.f64,features=D)")
        }
        let xs: ArrayFile, ys: ArrayFile
        do {
            let d = features
            // y's length is checked against X's rows before either is read.
            let rows = try ArrayFile.shape(path: x.path, columns: d == 0 ? nil : d).rows
            let labelRows = try ArrayFile.shape(path: y.path, columns: 1).rows
            guard rows == labelRows else { throw SpecError.invalid(owner: owner, "X has \(rows) rows but y has \(labelRows) values") }
            xs = try ArrayFile(path: x.path, columns: d == 0 ? nil : d, rows: rows)
            ys = try ArrayFile(path: y.path, columns: 1, rows: rows)
        } catch let error as SpecError {
            throw error
        } catch {
            throw .invalid(owner: owner, "\(error)")
        }
        let classes = Set(ys.values).sorted()
        guard classes.count == 2 else {
            throw .invalid(owner: owner, "the labels must take exactly two values (the larger is the +1 class), found \(classes.count): "
                + classes.prefix(5).map { "\($0)" }.joined(separator: ", ") + (classes.count > 5 ? ", …" : ""))
        }
        let sign = { (v: Double) in v == classes[1] ? 1.0 : -1.0 }
        let labels = ys.values.map(sign)
        if validation == 0 && !standardize {
            // As stored: the peer kit's W3, row order kept (no copy through a split).
            return LogisticRegression(features: xs.values, labels: labels, dimension: xs.columns, regularization: lambda)
        }
        let data = PreparedData(features: xs.values, targets: labels, dimension: xs.columns, validationFraction: validation,
                                standardize: standardize, seed: seed)
        try BuiltinProblems.checkTrainingClasses(data.targets, classes: [-1, 1], owner: owner)
        return LogisticRegression(features: data.features, labels: data.targets, dimension: data.dimension, regularization: lambda,
                                  validationFeatures: data.validationFeatures, validationLabels: data.validationTargets)
    }
}

/// `diagonal-quadratic`: ½Σaᵢxᵢ² − Σbᵢxᵢ with a, b (and x₀) read from arrays (``Quadratic``).
struct DiagonalQuadraticFamily: ProblemFamily {
    static let name = "diagonal-quadratic"
    static let summary = "template: ½Σaᵢxᵢ² − Σbᵢxᵢ with a, b (and x₀) from .npy or raw float64 files; x* = b/a"
    static var isTemplate: Bool { true }

    @Parameter("a", "the diagonal a (every aᵢ > 0): .npy or raw float64, n values") var a = FilePath.none
    @Parameter("b", "the linear term b: n values") var b = FilePath.none
    @Parameter("x0", "the starting point x₀: n values (-: zeros)") var x0 = FilePath.none

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        let owner = Self.name
        guard a.isGiven, b.isGiven else {
            throw .invalid(owner: owner, "give the arrays: diagonal-quadratic(a=A.npy,b=B.npy[,x0=X0.npy])")
        }
        let diagonal = try vector(a, "a"), linear = try vector(b, "b")
        guard diagonal.count == linear.count else {
            throw .invalid(owner: owner, "b: \(b) has \(linear.count) values; a has \(diagonal.count)")
        }
        if let i = diagonal.firstIndex(where: { !($0 > 0) }) {
            throw .invalid(owner: owner, "a: \(a) value \(i) is \(diagonal[i]); every aᵢ must be > 0 (a strongly convex quadratic)")
        }
        guard x0.isGiven else { return Quadratic(diagonal: diagonal, linear: linear) }
        let start = try vector(x0, "x0")
        guard start.count == diagonal.count else {
            throw .invalid(owner: owner, "x0: \(x0) has \(start.count) values; a has \(diagonal.count)")
        }
        return Quadratic(diagonal: diagonal, linear: linear, start: start)
    }

    /// The values of the array file `file`, parameter `key` (one column).
    private func vector(_ file: FilePath, _ key: String) throws(SpecError) -> [Double] {
        do {
            return try ArrayFile(path: file.path, columns: 1).values
        } catch {
            throw .invalid(owner: Self.name, "\(key): \(error)")
        }
    }
}

extension BuiltinProblems {
    /// The CSV file `data` with its `target` column, split (seeded) and standardized as the
    /// parameters say, with a constant feature appended when `intercept`.
    static func load(_ data: FilePath, target: String, validation: Double, standardize: Bool, intercept: Bool, seed: UInt64,
                     owner: String) throws(SpecError) -> PreparedData {
        guard data.isGiven else { throw .invalid(owner: owner, "give the data file: \(owner)(data=FILE.csv,target=COLUMN)") }
        do {
            let table = try DataTable(path: data.path)
            let (x, y, names) = try table.split(target: target, path: data.path)
            return PreparedData(features: x, targets: y, dimension: names.count, validationFraction: validation,
                                standardize: standardize, intercept: intercept, seed: seed)
        } catch {
            throw .invalid(owner: owner, "\(error)")
        }
    }

    /// Refuses a training split without both classes (or without rows): the fit would learn one class
    /// only, and an empty split has no loss at all.
    static func checkTrainingClasses(_ targets: [Double], classes: [Double], owner: String) throws(SpecError) {
        for c in classes where !targets.contains(c) {
            throw .invalid(owner: owner, "the \(targets.count) training rows have no label \(c) (the validation split took every one); "
                + "give a smaller validation fraction or another --seed")
        }
    }
}
