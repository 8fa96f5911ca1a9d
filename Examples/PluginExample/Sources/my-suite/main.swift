import Descent

/// Sign gradient descent: x ← x − lr · sign(∇f(x)). One struct is the whole plugin: the update is
/// written once, per coordinate (generic over `Lane`: one coordinate or eight), and the harness
/// derives the full step, the tiled and fused steps and blocks of iterations from it.
struct SignDescent: Optimizer, ElementwiseRule {
    static let name = "signgd"
    static let summary = "sign gradient descent x ← x − lr·sign(∇f)"
    static var hyperparameters: [Hyperparameter<Self>] { [.init("lr", \.lr, "learning rate", .positive)] }
    /// Naming the learning rate lets schedules and decoupled weight decay scale it.
    static var learningRate: WritableKeyPath<Self, Double>? { \.lr }

    var lr = 1e-2

    /// Nothing to compute once per iteration but the learning rate; no state lanes.
    func scalars(iteration: Int, previous: Double?) -> Double { lr }

    func update<V: Lane>(_ x: V, gradient g: V, lanes s: LaneCursor<V>, scalars lr: Double) -> V {
        x - lr * g.signum()
    }
}

/// Booth's function (x + 2y − 7)² + (2x + y − 5)², minimum 0 at (1, 3).
struct Booth: Problem {
    var dimension: Int { 2 }
    func initialPoint() -> [Double] { [0, 0] }
    func value(at x: Vector) -> Double {
        let a = x[0] + 2 * x[1] - 7, b = 2 * x[0] + x[1] - 5
        return a * a + b * b
    }
    func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        let a = x[0] + 2 * x[1] - 7, b = 2 * x[0] + x[1] - 5
        g[0] = 2 * a + 4 * b
        g[1] = 4 * a + 2 * b
        return a * a + b * b
    }
    var analyticOptimum: Optimum? { Optimum(value: 0, point: [1, 3], source: .analytic) }
}

SuiteMain.main(registry: .standard(
    adding: [ProblemEntry(name: "booth", summary: "Booth's function; f* = 0 at (1, 3)") { _, _ throws(SpecError) in Booth() }],
    optimizers: [OptimizerEntry(SignDescent.self)]
))
