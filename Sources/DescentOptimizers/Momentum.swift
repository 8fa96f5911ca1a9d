import DescentCore

/// Heavy-ball momentum (Polyak 1964) in PyTorch's form.
///
/// With d = ∇f(x) + weight_decay · x:
/// b₁ = d;  b_t = momentum · b_{t−1} + (1 − dampening) · d  (t > 1);  x ← x − lr · b_t.
/// `torch.optim.SGD(momentum=…, dampening=…)`; here momentum defaults to 0.9 (PyTorch's 0
/// would be plain gradient descent), lr = 1e-3, dampening = 0, weight_decay = 0.
/// Reference: B. T. Polyak, "Some methods of speeding up the convergence of iteration
/// methods", USSR Comput. Math. Math. Phys. 4(5):1–17, 1964.
public struct Momentum: Optimizer {
    public static let name = "momentum"
    public static let summary = "heavy-ball momentum b ← μb + (1−τ)∇f, x ← x − lr·b (torch.optim.SGD)"
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("lr", \.lr, "learning rate", .positive),
            .init("momentum", \.momentum, "momentum coefficient μ", .unitInterval),
            .init("dampening", \.dampening, "dampening τ of the gradient term", .closedUnitInterval),
            .init("weight_decay", \.weightDecay, "coupled L2 penalty added to the gradient", .nonNegative),
        ]
    }

    /// Learning rate.
    public var lr = 1e-3
    /// Momentum coefficient μ.
    public var momentum = 0.9
    /// Dampening τ.
    public var dampening = 0.0
    /// Coupled L2 weight decay.
    public var weightDecay = 0.0

    /// Default hyperparameters.
    public init() {}

    /// Momentum with the given hyperparameters.
    public init(lr: Double, momentum: Double = 0.9, dampening: Double = 0, weightDecay: Double = 0) {
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
    }

    /// The momentum buffer b.
    public struct State {
        /// b, the velocity.
        public let buffer: Vector
    }

    public func makeState(dimension: Int) -> State { State(buffer: Vector(count: dimension)) }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        let b = state.buffer
        for i in 0..<x.count {
            let d = weightDecay == 0 ? g[i] : g[i] + weightDecay * x[i]
            b[i] = iteration == 1 ? d : momentum * b[i] + (1 - dampening) * d
            x[i] -= lr * b[i]
        }
    }
}
