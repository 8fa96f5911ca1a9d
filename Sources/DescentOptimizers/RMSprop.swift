import DescentCore

/// RMSprop (Hinton, Coursera lecture 6e, 2012; centered: Graves, arXiv:1308.0850) — torch.optim.RMSprop.
///
/// PyTorch convention, with d = ∇f + weight_decay · x:
/// s ← α s + (1 − α) d²;  centered: a ← lerp(a, d, 1 − α), r = √(s − a²), else r = √s;
/// momentum μ > 0: b ← μ b + d / (r + ε), x ← x − lr · b;  else x ← x − lr · d / (r + ε).
/// optax convention (optax.rmsprop): ε inside the square root, r = √(s (− a²) + ε), the moments
/// updated as (1 − α) d² + α s; momentum as b ← d/r + μ b.
/// Defaults (PyTorch): lr = 1e-2, α = 0.99, ε = 1e-8, weight_decay = 0, momentum = 0, centered = false.
public struct RMSprop: Optimizer {
    public static let name = "rmsprop"
    public static let summary = "RMSprop s ← αs + (1−α)d², x ← x − lr·d/(√s + ε), centered and momentum options (torch.optim.RMSprop)"
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("lr", \.lr, "learning rate", .positive),
            .init("alpha", \.alpha, "decay α of the squared-gradient average", .unitInterval),
            .init("eps", \.eps, "ε added to the denominator", .positive),
            .init("weight_decay", \.weightDecay, "coupled L2 penalty added to the gradient", .nonNegative),
            .init("momentum", \.momentum, "momentum coefficient μ", .unitInterval),
            .init("centered", \.centered, "divide by the estimated standard deviation instead of the RMS"),
            .init("convention", \.convention, "pytorch (ε outside √) or optax (ε inside √)"),
        ]
    }
    public static var learningRate: WritableKeyPath<Self, Double>? { \.lr }

    /// Learning rate.
    public var lr = 1e-2
    /// α.
    public var alpha = 0.99
    /// ε.
    public var eps = 1e-8
    /// Coupled L2 weight decay.
    public var weightDecay = 0.0
    /// Momentum μ.
    public var momentum = 0.0
    /// Centered variant.
    public var centered = false
    /// Formula convention.
    public var convention = Convention.pytorch

    /// PyTorch's defaults.
    public init() {}

    /// The running averages (a and b are empty when unused).
    public struct State {
        /// s, the average of d².
        public let squareAverage: Vector
        /// a, the average of d (centered only).
        public let gradientAverage: Vector
        /// b, the momentum buffer (momentum > 0 only).
        public let buffer: Vector
    }

    public func makeState(dimension n: Int) -> State {
        State(squareAverage: Vector(count: n), gradientAverage: Vector(count: centered ? n : 0),
              buffer: Vector(count: momentum > 0 ? n : 0))
    }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        let s = state.squareAverage, a = state.gradientAverage, b = state.buffer
        let w = 1 - alpha
        for i in 0..<x.count {
            let d = weightDecay == 0 ? g[i] : g[i] + weightDecay * x[i]
            let denominator: Double
            switch convention {
            case .pytorch:
                s[i] = s[i] * alpha + w * d * d
                var v = s[i]
                if centered {
                    a[i] = lerp(a[i], d, w)
                    v = s[i] + -a[i] * a[i]
                }
                denominator = v.squareRoot() + eps
            case .optax:
                s[i] = w * (d * d) + alpha * s[i]
                var v = s[i]
                if centered {
                    a[i] = w * d + alpha * a[i]
                    v = s[i] - a[i] * a[i]
                }
                denominator = (v + eps).squareRoot()
            }
            if momentum > 0 {
                b[i] = convention == .pytorch ? b[i] * momentum + d / denominator : d / denominator + momentum * b[i]
                x[i] -= lr * b[i]
            } else {
                x[i] -= lr * d / denominator
            }
        }
    }
}
