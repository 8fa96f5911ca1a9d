import DescentCore

/// The optimizers that ship with Descent, in display order.
public enum BuiltinOptimizers {
    /// Every built-in optimizer. `swift run suite --all` runs each with its defaults.
    public static var all: [OptimizerEntry] {
        [OptimizerEntry(GradientDescent.self), OptimizerEntry(Momentum.self), OptimizerEntry(Adam.self)]
    }
}
