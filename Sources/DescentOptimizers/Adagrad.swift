import DescentCore

/// AdaGrad (Duchi, Hazan & Singer, JMLR 12, 2011) in PyTorch's form (torch.optim.Adagrad).
///
/// With d = ∇f + weight_decay · x and step t:
/// lr_t = lr / (1 + (t − 1) · lr_decay);  s ← s + d²;  x ← x − lr_t · d / (√s + ε).
/// Defaults: lr = 1e-2, lr_decay = 0, weight_decay = 0, initial_accumulator_value = 0, ε = 1e-10.
public struct Adagrad: Optimizer {
    public static let name = "adagrad"
    public static let summary = "AdaGrad s ← s + d², x ← x − lr_t·d/(√s + ε), lr_t = lr/(1+(t−1)·lr_decay) (torch.optim.Adagrad)"
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("lr", \.lr, "learning rate", .positive),
            .init("lr_decay", \.lrDecay, "learning-rate decay", .nonNegative),
            .init("weight_decay", \.weightDecay, "coupled L2 penalty added to the gradient", .nonNegative),
            .init("initial_accumulator_value", \.initialAccumulator, "starting value of s", .nonNegative),
            .init("eps", \.eps, "ε added to √s", .positive),
        ]
    }
    public static var learningRate: WritableKeyPath<Self, Double>? { \.lr }

    /// Learning rate.
    public var lr = 1e-2
    /// Learning-rate decay.
    public var lrDecay = 0.0
    /// Coupled L2 weight decay.
    public var weightDecay = 0.0
    /// Initial value of the accumulator s.
    public var initialAccumulator = 0.0
    /// ε.
    public var eps = 1e-10

    /// PyTorch's defaults.
    public init() {}

    /// The accumulated squared gradients s.
    public struct State {
        /// s.
        public let sum: Vector
    }

    public func makeState(dimension: Int) -> State { State(sum: Vector(count: dimension, repeating: initialAccumulator)) }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        let clr = lr / (1 + Double(iteration - 1) * lrDecay)
        let s = state.sum
        for i in 0..<x.count {
            let d = weightDecay == 0 ? g[i] : g[i] + weightDecay * x[i]
            s[i] = s[i] + d * d
            x[i] -= clr * d / (s[i].squareRoot() + eps)
        }
    }
}
