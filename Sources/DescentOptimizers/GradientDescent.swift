import DescentCore

/// Gradient descent: x ← x − lr · (∇f(x) + weight_decay · x).
///
/// PyTorch `torch.optim.SGD` with momentum = 0; defaults lr = 1e-3, weight_decay = 0.
/// Reference: A. Cauchy, "Méthode générale pour la résolution des systèmes d'équations simultanées", 1847.
public struct GradientDescent: Optimizer {
    public static let name = "gd"
    public static let summary = "gradient descent x ← x − lr·(∇f + wd·x) (torch.optim.SGD, momentum 0)"
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("lr", \.lr, "learning rate (step size)", .positive),
            .init("weight_decay", \.weightDecay, "coupled L2 penalty added to the gradient", .nonNegative),
        ]
    }

    /// Learning rate.
    public var lr = 1e-3
    /// Coupled L2 weight decay.
    public var weightDecay = 0.0

    /// Default hyperparameters.
    public init() {}

    /// Gradient descent with step `lr`.
    public init(lr: Double, weightDecay: Double = 0) {
        self.lr = lr
        self.weightDecay = weightDecay
    }

    public func makeState(dimension: Int) {}

    public func step(_ x: Vector, gradient g: Vector, state: inout Void, iteration: Int) {
        if weightDecay == 0 {
            for i in 0..<x.count { x[i] -= lr * g[i] }
        } else {
            for i in 0..<x.count { x[i] -= lr * (g[i] + weightDecay * x[i]) }
        }
    }
}
