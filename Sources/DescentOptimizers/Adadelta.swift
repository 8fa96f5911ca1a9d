import DescentCore

/// Adadelta (Zeiler, arXiv:1212.5701, 2012) in PyTorch's form (torch.optim.Adadelta).
///
/// With d = ∇f + weight_decay · x:
/// s ← ρ s + (1 − ρ) d²;  δ = √(u + ε) / √(s + ε) · d;  u ← ρ u + (1 − ρ) δ²;  x ← x − lr · δ.
/// Defaults: lr = 1, ρ = 0.9, ε = 1e-6, weight_decay = 0.
public struct Adadelta: Optimizer {
    public static let name = "adadelta"
    public static let summary = "Adadelta δ = √(u+ε)/√(s+ε)·d, x ← x − lr·δ (torch.optim.Adadelta)"
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("lr", \.lr, "scale of the update", .positive),
            .init("rho", \.rho, "decay ρ of both running averages", .unitInterval),
            .init("eps", \.eps, "ε inside both square roots", .positive),
            .init("weight_decay", \.weightDecay, "coupled L2 penalty added to the gradient", .nonNegative),
        ]
    }
    public static var learningRate: WritableKeyPath<Self, Double>? { \.lr }

    /// Scale of the update.
    public var lr = 1.0
    /// ρ.
    public var rho = 0.9
    /// ε.
    public var eps = 1e-6
    /// Coupled L2 weight decay.
    public var weightDecay = 0.0

    /// PyTorch's defaults.
    public init() {}

    /// The running averages of d² and δ².
    public struct State {
        /// s, the average of d².
        public let squareAverage: Vector
        /// u, the average of δ².
        public let deltaAverage: Vector
    }

    public func makeState(dimension n: Int) -> State { State(squareAverage: Vector(count: n), deltaAverage: Vector(count: n)) }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        let s = state.squareAverage, u = state.deltaAverage
        let w = 1 - rho
        for i in 0..<x.count {
            let d = weightDecay == 0 ? g[i] : g[i] + weightDecay * x[i]
            s[i] = s[i] * rho + w * d * d
            let delta = (u[i] + eps).squareRoot() / (s[i] + eps).squareRoot() * d
            u[i] = u[i] * rho + w * delta * delta
            x[i] -= lr * delta
        }
    }
}
