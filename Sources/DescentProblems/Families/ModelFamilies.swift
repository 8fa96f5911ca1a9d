import DescentCore

extension BuiltinProblems {
    /// Model-fitting families: softmax regression, the MLP and the autoencoder (products through
    /// OpenBLAS), DeepOBS's quadratic_deep and low-rank matrix factorization.
    public static var models: [ProblemEntry] { [softmaxRegression, mlp, autoencoder, quadraticDeep, matrixFactorization] }

    /// Multinomial logistic regression on a CSV data set, or on seeded synthetic classes.
    public static let softmaxRegression = ProblemEntry(SoftmaxRegressionFamily.self)
    /// A multilayer perceptron classifier on a CSV data set, or on seeded synthetic classes.
    public static let mlp = ProblemEntry(MLPFamily.self)
    /// An autoencoder: an MLP trained to reproduce its input.
    public static let autoencoder = ProblemEntry(AutoencoderFamily.self)
    /// DeepOBS's stochastic quadratic with a network-like spectrum.
    public static let quadraticDeep = ProblemEntry(QuadraticDeepFamily.self)
    /// Low-rank matrix completion on a seeded matrix.
    public static let matrixFactorization = ProblemEntry(MatrixFactorizationFamily.self)
}

extension Activation: ParameterRepresentable {}
extension OutputLoss: ParameterRepresentable {}

/// A family fitted to classes: the CSV file `data` with its `target` column, or (`data=-`) seeded
/// synthetic classes of `samples` × `features` in `classes` blobs; split and standardized as
/// `validation` and `standardize` say.
protocol ClassificationFamily: ProblemFamily {
    var data: FilePath { get }
    var target: String { get }
    var validation: Double { get }
    var standardize: Bool { get }
    var samples: Int { get }
    var features: Int { get }
    var classes: Int { get }
}

extension ClassificationFamily {
    /// The family's data, with a constant feature appended when `intercept`. Loads OpenBLAS first
    /// (the models' products need it).
    func classificationData(seed: UInt64, intercept: Bool) throws(SpecError) -> PreparedData {
        try BuiltinProblems.loadBLAS(owner: Self.name)
        let x: [Double], y: [Double], d: Int
        if !data.isGiven {
            (x, y) = BuiltinProblems.syntheticClasses(samples: samples, features: features, classes: classes, seed: seed)
            d = features
        } else {
            do {
                let names: [String]
                (x, y, names) = try DataTable(path: data.path).split(target: target, path: data.path)
                d = names.count
            } catch {
                throw .invalid(owner: Self.name, "\(error)")
            }
        }
        return PreparedData(features: x, targets: y, dimension: d, validationFraction: validation, standardize: standardize,
                            intercept: intercept, seed: seed)
    }

    /// The hidden widths `hidden` (comma-separated, each 1 to 100000).
    func widths(_ hidden: String) throws(SpecError) -> [Int] {
        var widths: [Int] = []
        for field in hidden.split(separator: ",", omittingEmptySubsequences: false) {
            guard let width = Int(String(field).trimmingSpaces()), (1...100_000).contains(width) else {
                throw .invalid(owner: Self.name, "hidden must be comma-separated widths from 1 to 100000 (hidden=64,32), got '\(hidden)'")
            }
            widths.append(width)
        }
        return widths
    }
}

/// `softmax-regression` (``SoftmaxRegression``).
struct SoftmaxRegressionFamily: ClassificationFamily {
    static let name = "softmax-regression"
    static let summary = "multinomial logistic (softmax) regression, K classes, L2-regularized; f* by GSL BFGS2 + Newton"
    static let citation: String? = "e.g. Bishop, Pattern Recognition and Machine Learning, 2006, §4.3.4"
    static var isSeeded: Bool { true }

    @Parameter("data", "CSV file: a header row, then numeric rows") var data = FilePath.none
    @Parameter("target", "the column to predict; every other column is a feature") var target = "label"
    @Parameter("lambda", "L2 regularization λ", .nonNegative) var lambda = 1e-2
    @Parameter("validation", "fraction of rows held out (seeded split)", .unitInterval) var validation = 0.2
    @Parameter("standardize", "scale features to mean 0, variance 1 (training statistics)") var standardize = true
    @Parameter("intercept", "append a constant feature 1 (a bias term, last coordinate)") var intercept = true
    @Parameter("samples", "synthetic data (no data file): samples m", .atLeast(2)) var samples = 300
    @Parameter("features", "synthetic data: features d (before the intercept)", .atLeast(1)) var features = 5
    @Parameter("classes", "synthetic data: classes K", .atLeast(2)) var classes = 3

    func validate() throws(SpecError) {
        guard lambda > 0 else { throw .invalid(owner: Self.name, "lambda must be > 0 for a certified f*") }
    }

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        let data = try classificationData(seed: seed, intercept: intercept)
        let (train, valid, count) = try BuiltinProblems.classIndices(data, owner: Self.name)
        return SoftmaxRegression(design: data.features, labels: train, features: data.dimension, classes: count, regularization: lambda,
                                 validationDesign: data.validationFeatures, validationLabels: valid)
    }
}

/// `mlp`: a multilayer perceptron classifier (``MLP``).
struct MLPFamily: ClassificationFamily {
    static let name = "mlp"
    static let summary = "multilayer perceptron classifier (hidden layers, tanh/relu/gelu, cross-entropy or squared loss); non-convex"
    static let citation: String? =
        "Rumelhart, Hinton & Williams, Nature 323:533–536, 1986; init: Glorot & Bengio, AISTATS 2010 (tanh), He et al., ICCV 2015 (relu, gelu)"
    static var isSeeded: Bool { true }
    // Run when named: in --all the MLPs are instance files on real data (Problems/wine-mlp.toml), each run
    // twice (NonConvexProblem), so a synthetic default instance would add time and little else.
    static var isTemplate: Bool { true }

    @Parameter("data", "CSV file: a header row, then numeric rows (-: synthetic classes)") var data = FilePath.none
    @Parameter("target", "the column holding the class; every other column is a feature") var target = "label"
    @Parameter("hidden", "hidden layer widths, comma-separated (hidden=64,32)") var hidden = "32"
    @Parameter("activation", "hidden activation") var activation = Activation.tanh
    @Parameter("loss", "output loss") var loss = OutputLoss.crossEntropy
    @Parameter("weight_decay", "L2 penalty (λ/2)‖W‖² on the weights (not the biases)", .nonNegative) var weightDecay = 1e-4
    @Parameter("validation", "fraction of rows held out (seeded split)", .unitInterval) var validation = 0.2
    @Parameter("standardize", "scale features to mean 0, variance 1 (training statistics)") var standardize = true
    @Parameter("samples", "synthetic data (no data file): samples m", .atLeast(2)) var samples = 300
    @Parameter("features", "synthetic data: features d", .atLeast(1)) var features = 5
    @Parameter("classes", "synthetic data: classes K", .atLeast(2)) var classes = 3

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        let hidden = try widths(self.hidden)
        let data = try classificationData(seed: seed, intercept: false)
        let (train, valid, classes) = try BuiltinProblems.classIndices(data, owner: Self.name)
        return MLP(design: data.features, labels: train, widths: [data.dimension] + hidden + [classes], activation: activation,
                   loss: loss, weightDecay: weightDecay, seed: seed, validationDesign: data.validationFeatures, validationLabels: valid)
    }
}

/// `autoencoder`: an MLP trained to reproduce its input (``MLP`` with ``OutputLoss/reconstruction``).
struct AutoencoderFamily: ClassificationFamily {
    static let name = "autoencoder"
    static let summary = "autoencoder d-…-d (tanh, linear, relu or gelu), ½‖net(x) − x‖², on a CSV data set or synthetic data; non-convex"
    static let citation: String? = "Baldi & Hornik, Neural Networks 2(1):53–58, 1989 (linear: every local minimum is global, "
        + "saddles elsewhere); Hinton & Salakhutdinov, Science 313:504–507, 2006"
    static var isSeeded: Bool { true }
    static var isTemplate: Bool { true }

    @Parameter("data", "CSV file: a header row, then numeric rows (-: synthetic data)") var data = FilePath.none
    @Parameter("target", "a label column to leave out of the inputs (ignored if absent in synthetic data)") var target = "label"
    @Parameter("hidden", "hidden layer widths, comma-separated (hidden=32,8,32)") var hidden = "4,2,4"
    @Parameter("activation", "hidden activation (linear: a deep linear autoencoder)") var activation = Activation.linear
    @Parameter("weight_decay", "L2 penalty (λ/2)‖W‖² on the weights (not the biases)", .nonNegative) var weightDecay = 0.0
    @Parameter("validation", "fraction of rows held out (seeded split)", .unitInterval) var validation = 0.2
    @Parameter("standardize", "scale features to mean 0, variance 1 (training statistics)") var standardize = true
    @Parameter("samples", "synthetic data (no data file): samples m", .atLeast(2)) var samples = 300
    @Parameter("features", "synthetic data: features d", .atLeast(1)) var features = 5
    @Parameter("classes", "synthetic data: clusters", .atLeast(2)) var classes = 3

    func makeProblem(seed: UInt64) throws(SpecError) -> any Problem {
        let hidden = try widths(self.hidden)
        let data = try classificationData(seed: seed, intercept: false)
        let d = data.dimension
        return MLP(design: data.features, labels: [Int](repeating: 0, count: data.targets.count), widths: [d] + hidden + [d],
                   activation: activation, loss: .reconstruction, weightDecay: weightDecay, seed: seed,
                   validationDesign: data.validationFeatures, validationLabels: [Int](repeating: 0, count: data.validationTargets.count))
    }
}

extension BuiltinProblems {
    /// Loads OpenBLAS, or fails naming the family and what to install.
    static func loadBLAS(owner: String) throws(SpecError) {
        do { try BLAS.load() } catch { throw .invalid(owner: owner, "\(error)") }
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
