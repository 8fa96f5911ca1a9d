import DescentCore

/// Adam (Kingma & Ba 2015) in PyTorch's form and operation order.
///
/// With d = ∇f(x) + weight_decay · x and step t = 1, 2, …:
/// m ← lerp(m, d, 1 − β₁) = m + (1 − β₁)(d − m);  v ← β₂v + (1 − β₂)d²;
/// x ← x − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)   (ε outside the square root).
/// The operations are PyTorch's (`lerp_`, `mul_().addcmul_()`, `1 − β**t` by `pow`,
/// `addcdiv_`), so traces agree with torch.optim.Adam(foreach=False) to the last bits.
/// Defaults (torch.optim.Adam): lr = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, weight_decay = 0.
/// Reference: D. P. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
public struct Adam: Optimizer {
    public static let name = "adam"
    public static let summary = "Adam with bias correction, ε outside √ (torch.optim.Adam)"
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("lr", \.lr, "learning rate", .positive),
            .init("beta1", \.beta1, "decay of the first moment β₁", .unitInterval),
            .init("beta2", \.beta2, "decay of the second moment β₂", .unitInterval),
            .init("eps", \.eps, "ε added to the denominator", .positive),
            .init("weight_decay", \.weightDecay, "coupled L2 penalty added to the gradient", .nonNegative),
        ]
    }

    /// Learning rate.
    public var lr = 1e-3
    /// β₁.
    public var beta1 = 0.9
    /// β₂.
    public var beta2 = 0.999
    /// ε.
    public var eps = 1e-8
    /// Coupled L2 weight decay.
    public var weightDecay = 0.0

    /// Default hyperparameters.
    public init() {}

    /// Adam with the given hyperparameters.
    public init(lr: Double, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0) {
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
    }

    /// The moment estimates.
    public struct State {
        /// First moment m.
        public let m: Vector
        /// Second moment v.
        public let v: Vector
    }

    public func makeState(dimension: Int) -> State { State(m: Vector(count: dimension), v: Vector(count: dimension)) }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        let t = Double(iteration)
        let stepSize = lr / (1 - _pow(beta1, t))
        let correction2 = (1 - _pow(beta2, t)).squareRoot()
        let m = state.m, v = state.v
        let w1 = 1 - beta1, w2 = 1 - beta2
        for i in 0..<x.count {
            let d = weightDecay == 0 ? g[i] : g[i] + weightDecay * x[i]
            m[i] = lerp(m[i], d, w1)
            v[i] = v[i] * beta2 + w2 * (d * d)
            x[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2 + eps)
        }
    }
}

/// PyTorch's CPU `lerp`: a + w(b − a) for w < 0.5, else b − (b − a)(1 − w).
@inline(__always)
func lerp(_ a: Double, _ b: Double, _ w: Double) -> Double {
    w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
