import DescentCore

extension BuiltinProblems {
    /// Model-fitting families: softmax regression, the MLP and the autoencoder (products through
    /// OpenBLAS), DeepOBS's quadratic_deep and low-rank matrix factorization.
    public static var models: [ProblemEntry] { [softmaxRegression, mlp, autoencoder, quadraticDeep, matrixFactorization] }

    /// Multinomial logistic regression on a CSV data set, or on seeded synthetic classes.
    public static let softmaxRegression = ProblemEntry(
        name: "softmax-regression",
        summary: "multinomial logistic (softmax) regression, K classes, L2-regularized; f* by GSL BFGS2 + Newton",
        parameters: dataParameters(target: "label", lambda: 1e-2)
            + syntheticParameters(features: "features d (before the intercept)", classes: "classes K"),
        seeded: true,
        citation: "e.g. Bishop, Pattern Recognition and Machine Learning, 2006, §4.3.4"
    ) { p, seed throws(SpecError) in
        let owner = "softmax-regression"
        guard p.real("lambda") > 0 else { throw .invalid(owner: owner, "lambda must be > 0 for a certified f*") }
        let data = try classificationData(p, seed: seed, owner: owner, intercept: p.flag("intercept"))
        let (train, valid, count) = try classIndices(data, owner: owner)
        return SoftmaxRegression(design: data.features, labels: train, features: data.dimension, classes: count,
                                 regularization: p.real("lambda"), validationDesign: data.validationFeatures,
                                 validationLabels: valid)
    }

    /// A multilayer perceptron classifier on a CSV data set, or on seeded synthetic classes.
    public static let mlp = ProblemEntry(
        name: "mlp",
        summary: "multilayer perceptron classifier (hidden layers, tanh/relu/gelu, cross-entropy or squared loss); non-convex",
        parameters: [
            ParameterSpec("data", default: .text("-"), "CSV file: a header row, then numeric rows (-: synthetic classes)", isPath: true),
            ParameterSpec("target", default: .text("label"), "the column holding the class; every other column is a feature"),
            ParameterSpec("hidden", default: .text("32"), "hidden layer widths, comma-separated (hidden=64,32)"),
            ParameterSpec("activation", default: .choice("tanh"), "hidden activation", choices: Activation.allCases.map(\.rawValue)),
            ParameterSpec("loss", default: .choice("cross-entropy"), "output loss", choices: OutputLoss.allCases.map(\.rawValue)),
            ParameterSpec("weight_decay", default: .real(1e-4), "L2 penalty (λ/2)‖W‖² on the weights (not the biases)", .nonNegative),
            ParameterSpec("validation", default: .real(0.2), "fraction of rows held out (seeded split)", .unitInterval),
            ParameterSpec("standardize", default: .flag(true), "scale features to mean 0, variance 1 (training statistics)"),
        ] + syntheticParameters(classes: "classes K"),
        seeded: true,
        citation: "Rumelhart, Hinton & Williams, Nature 323:533–536, 1986; init: Glorot & Bengio, AISTATS 2010 (tanh), He et al., ICCV 2015 (relu, gelu)",
        // Run when named: in --all the MLPs are instance files on real data (Problems/wine-mlp.toml), each run
        // twice (NonConvexProblem), so a synthetic default instance would add time and little else.
        template: true
    ) { p, seed throws(SpecError) in
        let owner = "mlp"
        let hidden = try widths(p, owner: owner)
        guard case .choice(let a) = p["activation"], let activation = Activation(rawValue: a),
              case .choice(let l) = p["loss"], let loss = OutputLoss(rawValue: l) else {
            throw .invalid(owner: owner, "unknown activation or loss")
        }
        let data = try classificationData(p, seed: seed, owner: owner, intercept: false)
        let (train, valid, classes) = try classIndices(data, owner: owner)
        return MLP(design: data.features, labels: train, widths: [data.dimension] + hidden + [classes], activation: activation,
                   loss: loss, weightDecay: p.real("weight_decay"), seed: seed, validationDesign: data.validationFeatures,
                   validationLabels: valid)
    }

    /// An autoencoder: an MLP trained to reproduce its input.
    public static let autoencoder = ProblemEntry(
        name: "autoencoder",
        summary: "autoencoder d-…-d (tanh, linear, relu or gelu), ½‖net(x) − x‖², on a CSV data set or synthetic data; non-convex",
        parameters: [
            ParameterSpec("data", default: .text("-"), "CSV file: a header row, then numeric rows (-: synthetic data)", isPath: true),
            ParameterSpec("target", default: .text("label"), "a label column to leave out of the inputs (ignored if absent in synthetic data)"),
            ParameterSpec("hidden", default: .text("4,2,4"), "hidden layer widths, comma-separated (hidden=32,8,32)"),
            ParameterSpec("activation", default: .choice("linear"), "hidden activation (linear: a deep linear autoencoder)",
                          choices: Activation.allCases.map(\.rawValue)),
            ParameterSpec("weight_decay", default: .real(0), "L2 penalty (λ/2)‖W‖² on the weights (not the biases)", .nonNegative),
            ParameterSpec("validation", default: .real(0.2), "fraction of rows held out (seeded split)", .unitInterval),
            ParameterSpec("standardize", default: .flag(true), "scale features to mean 0, variance 1 (training statistics)"),
        ] + syntheticParameters(classes: "clusters"),
        seeded: true,
        citation: "Baldi & Hornik, Neural Networks 2(1):53–58, 1989 (linear: every local minimum is global, saddles elsewhere); Hinton & Salakhutdinov, Science 313:504–507, 2006",
        template: true
    ) { p, seed throws(SpecError) in
        let owner = "autoencoder"
        let hidden = try widths(p, owner: owner)
        guard case .choice(let a) = p["activation"], let activation = Activation(rawValue: a) else {
            throw .invalid(owner: owner, "unknown activation")
        }
        let data = try classificationData(p, seed: seed, owner: owner, intercept: false)
        let d = data.dimension
        return MLP(design: data.features, labels: [Int](repeating: 0, count: data.targets.count), widths: [d] + hidden + [d],
                   activation: activation, loss: .reconstruction, weightDecay: p.real("weight_decay"), seed: seed,
                   validationDesign: data.validationFeatures, validationLabels: [Int](repeating: 0, count: data.validationTargets.count))
    }

    /// DeepOBS's stochastic quadratic with a network-like spectrum.
    public static let quadraticDeep = ProblemEntry(
        name: "quadratic-deep",
        summary: "DeepOBS quadratic_deep: (1/m)Σ½(θ − xᵢ)ᵀQ(θ − xᵢ), 90% of Q's eigenvalues in [0, 1], 10% in [30, 60]; θ* = x̄",
        parameters: [
            ParameterSpec("n", default: .integer(100), "dimension (at most 2000)", .atLeast(1)),
            ParameterSpec("samples", default: .integer(1000), "number of samples m", .atLeast(1)),
        ],
        seeded: true,
        citation: "Schneider, Balles & Hennig, DeepOBS, ICLR 2019 (quadratic_deep)"
    ) { p, seed throws(SpecError) in
        let owner = "quadratic-deep"
        guard p.integer("n") <= Quadratic.denseLimit else { throw .invalid(owner: owner, "n must be at most \(Quadratic.denseLimit)") }
        try loadBLAS(owner: owner)
        do {
            return try QuadraticDeep(dimension: p.integer("n"), samples: p.integer("samples"), seed: seed)
        } catch {
            throw .invalid(owner: owner, "could not build the instance: \(error)")
        }
    }

    /// Low-rank matrix completion on a seeded matrix.
    public static let matrixFactorization = ProblemEntry(
        name: "matrix-factorization",
        summary: "low-rank completion (1/|Ω|)Σ½(uᵢᵀvⱼ − Mᵢⱼ)² + (λ/2)‖(U, V)‖², seeded rank-k M; f* = 0 without noise and λ",
        parameters: [
            ParameterSpec("rows", default: .integer(50), "rows r of M", .atLeast(1)),
            ParameterSpec("columns", default: .integer(40), "columns c of M", .atLeast(1)),
            ParameterSpec("rank", default: .integer(3), "rank k of the truth and of the factors", .atLeast(1)),
            ParameterSpec("observed", default: .real(0.3), "probability that an entry is observed", .unitInterval),
            ParameterSpec("noise", default: .real(0), "standard deviation σ of the noise on observed entries", .nonNegative),
            ParameterSpec("lambda", default: .real(0), "L2 regularization λ on U and V", .nonNegative),
        ],
        seeded: true,
        citation: "Koren, Bell & Volinsky, IEEE Computer 42(8):30–37, 2009; landscape: Ge, Lee & Ma, NeurIPS 2016"
    ) { p, seed throws(SpecError) in
        let problem = MatrixFactorization(rows: p.integer("rows"), columns: p.integer("columns"), rank: p.integer("rank"),
                                          observed: p.real("observed"), noise: p.real("noise"), regularization: p.real("lambda"),
                                          seed: seed)
        guard problem.sampleCount > 0 else {
            throw .invalid(owner: "matrix-factorization", "no entry is observed; raise observed (now \(p.real("observed")))")
        }
        return problem
    }

    /// The parameters of the seeded synthetic data used when `data` is `-` (``syntheticClasses``).
    static func syntheticParameters(features: String = "features d", classes: String) -> [ParameterSpec] {
        [
            ParameterSpec("samples", default: .integer(300), "synthetic data (no data file): samples m", .atLeast(2)),
            ParameterSpec("features", default: .integer(5), "synthetic data: \(features)", .atLeast(1)),
            ParameterSpec("classes", default: .integer(3), "synthetic data: \(classes)", .atLeast(2)),
        ]
    }

    /// Loads OpenBLAS, or fails naming the family and what to install.
    static func loadBLAS(owner: String) throws(SpecError) {
        do { try BLAS.load() } catch { throw .invalid(owner: owner, "\(error)") }
    }

    /// Hidden widths from the `hidden` parameter.
    static func widths(_ p: ParameterSet, owner: String) throws(SpecError) -> [Int] {
        var hidden: [Int] = []
        for field in p.text("hidden").split(separator: ",", omittingEmptySubsequences: false) {
            guard let width = Int(String(field).trimmingSpaces()), (1...100_000).contains(width) else {
                throw .invalid(owner: owner, "hidden must be comma-separated widths from 1 to 100000 (hidden=64,32), got '\(p.text("hidden"))'")
            }
            hidden.append(width)
        }
        return hidden
    }

    /// The data of a classification family: the CSV file `data` with its `target` column, or (`data=-`)
    /// seeded synthetic classes; split and standardized as `validation` and `standardize` say, with a
    /// constant feature appended when `intercept`. Loads OpenBLAS first (the models' products need it).
    static func classificationData(_ p: ParameterSet, seed: UInt64, owner: String, intercept: Bool) throws(SpecError) -> PreparedData {
        try loadBLAS(owner: owner)
        let x: [Double], y: [Double], d: Int
        if p.text("data") == "-" {
            (x, y) = syntheticClasses(samples: p.integer("samples"), features: p.integer("features"), classes: p.integer("classes"),
                                      seed: seed)
            d = p.integer("features")
        } else {
            do {
                let path = p.text("data")
                let names: [String]
                (x, y, names) = try DataTable(path: path).split(target: p.text("target"), path: path)
                d = names.count
            } catch {
                throw .invalid(owner: owner, "\(error)")
            }
        }
        return PreparedData(features: x, targets: y, dimension: d, validationFraction: p.real("validation"),
                            standardize: p.flag("standardize"), intercept: intercept, seed: seed)
    }

    /// The target values as class indices 0..<K in increasing order of value (K ≥ 2).
    static func classIndices(_ data: PreparedData, owner: String) throws(SpecError) -> (train: [Int], validation: [Int], classes: Int) {
        let values = Set(data.targets + data.validationTargets).sorted()
        guard values.count >= 2 else {
            throw .invalid(owner: owner, "the target column must take at least two values, found \(values.count)")
        }
        guard values.count <= 1000 else {
            throw .invalid(owner: owner, "the target column takes \(values.count) values; a class label column takes at most 1000")
        }
        var index: [Double: Int] = [:]
        for (k, v) in values.enumerated() { index[v] = k }
        return (data.targets.map { index[$0]! }, data.validationTargets.map { index[$0]! }, values.count)
    }

    /// Seeded synthetic classes: K Gaussian blobs with centres ~ N(0, 4I) and unit spread; labels 0..<K uniform.
    static func syntheticClasses(samples m: Int, features d: Int, classes k: Int, seed: UInt64) -> ([Double], [Double]) {
        var rng = SeededGenerator(seed: seed)
        let centres = (0..<(k * d)).map { _ in 2 * rng.nextNormal() }
        var x: [Double] = [], y: [Double] = []
        x.reserveCapacity(m * d)
        for _ in 0..<m {
            let c = Int(rng.next() % UInt64(k))
            for j in 0..<d { x.append(centres[c * d + j] + rng.nextNormal()) }
            y.append(Double(c))
        }
        return (x, y)
    }
}
