import Descent

/// Sign gradient descent: x ← x − lr · sign(∇f(x)). The smallest rule: one hyperparameter, no
/// state, nothing computed per iteration but the learning rate.
///
/// `@Parameter` declares the command-line parameter on the property itself (`signgd(lr=0.1)`):
/// its name, its documentation (`my-suite list`), its constraint and its default. `update` is
/// written once, per coordinate, generic over `Coordinates` (one coordinate or eight), and the
/// harness derives the whole step, the tiled and fused loops and blocks of iterations from it.
struct SignDescent: Optimizer, ElementwiseRule {
    static let name = "signgd"
    static let summary = "sign gradient descent x ← x − lr·sign(∇f)"
    /// Naming the learning rate lets schedules (`signgd + exponential(gamma=0.99)`) and `--tune`
    /// scale it. Through the stored value `_lr`: a key path through `\.lr` would allocate per step.
    static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) var lr = 1e-2

    /// The per-iteration scalar: the learning rate (a schedule changes it between iterations).
    func scalars(iteration: Int, previous: Double?) -> Double { lr }

    func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars lr: Double) -> V {
        x - lr * g.signum()
    }
}
