/// The class of a test problem, for the per-class runtime ECDFs (COCO's function groups: "separable",
/// "ill-conditioned", …; here by what the problem is).
///
/// The registry has no tags, and a results folder records only labels, so the class is read from the
/// label: the family name before `(` (`quadratic(n=50)` → `quadratic`), or, for the instance files
/// shipped in `Problems/` (whose label is their own name), the family their file names. A family
/// this table does not know (a plugin's, a new instance file's) is ``other``.
public enum ProblemClass: String, Sendable, CaseIterable, Comparable {
    /// Convex quadratics: `parabola`, `quadratic`, `diagonal-quadratic`.
    case quadratics
    /// Analytic test functions: Rosenbrock (2-D, extended, chained), the saddle and the
    /// Moré–Garbow–Hillstrom classics.
    case classics
    /// Regression models on generated or real data: least squares, logistic and softmax regression.
    case models
    /// Nonconvex models: MLP, autoencoder, deep linear network, matrix factorization.
    case networks
    /// A family this table does not know.
    case other

    /// Words for titles and captions.
    public var words: String {
        switch self {
        case .quadratics: return "convex quadratics"
        case .classics: return "Rosenbrock, saddle and Moré–Garbow–Hillstrom test functions"
        case .models: return "regression models (least squares, logistic, softmax)"
        case .networks: return "nonconvex models (MLP, autoencoder, deep linear, matrix factorization)"
        case .other: return "other problems"
        }
    }

    /// Declaration order.
    public static func < (a: ProblemClass, b: ProblemClass) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The built-in families (`suite list`) by class.
    public static let families: [String: ProblemClass] = {
        var out: [String: ProblemClass] = [:]
        for f in ["parabola", "quadratic", "diagonal-quadratic"] { out[f] = .quadratics }
        for f in ["saddle", "rosenbrock", "extended-rosenbrock", "chained-rosenbrock", "freudenstein-roth", "powell-badly-scaled",
                  "brown-badly-scaled", "beale", "jennrich-sampson", "helical-valley", "bard", "box-3d", "powell-singular", "wood",
                  "penalty-i", "variably-dimensioned", "trigonometric"] { out[f] = .classics }
        for f in ["least-squares", "logistic", "least-squares-data", "logistic-data", "logistic-arrays", "softmax-regression"] {
            out[f] = .models
        }
        for f in ["mlp", "autoencoder", "quadratic-deep", "matrix-factorization"] { out[f] = .networks }
        return out
    }()

    /// The instance files shipped in `Problems/` (name → the `family` the file names); a test checks it
    /// against the files.
    public static let instanceFiles: [String: String] = [
        "breast-cancer": "logistic-data", "diabetes": "least-squares-data", "digits-softmax": "softmax-regression",
        "ill-conditioned-quadratic": "quadratic", "wine-autoencoder": "autoencoder", "wine-mlp": "mlp",
        "wine-softmax": "softmax-regression", "digits-mlp": "mlp",
        "w1-quadratic": "quadratic", "w2-rosenbrock": "extended-rosenbrock", "w3-logistic": "logistic-arrays",
        "w4-rosenbrock-100": "chained-rosenbrock",
    ]

    /// The class of the problem labelled `label`.
    public static func of(_ label: String) -> ProblemClass {
        let name = String(label.prefix { $0 != "(" })
        return families[instanceFiles[name] ?? name] ?? .other
    }
}
