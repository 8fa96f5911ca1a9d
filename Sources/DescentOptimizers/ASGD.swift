import DescentCore
import _DescentMath

/// Averaged SGD (Polyak & Juditsky, SIAM J. Control Optim. 30(4), 1992; the decay of Bottou,
/// "Stochastic gradient descent tricks", 2012) — torch.optim.ASGD.
///
/// Step t, d = ∇f + weight_decay · x, with η₁ = lr, μ₁ = 1 and, for t > 1, η_t = lr/(1 + λ·lr·(t − 1))^α,
/// μ_t = 1/max(1, t − 1 − t₀):  x ← x(1 − λη_t);  x ← x − η_t·d;  a ← a + (x − a)μ_t (a ← x while μ_t = 1).
/// The average a is kept as torch keeps it; f is reported at x, torch's parameter.
/// Defaults: lr = 1e-2, λ = 1e-4, α = 0.75, t₀ = 1e6, weight_decay = 0.
public struct ASGD: Optimizer, ElementwiseRule {
    public static let name = "asgd"
    public static let summary = "averaged SGD: x ← x(1−λη_t) − η_t·d, η_t = lr/(1+λ·lr·t)^α, average a (Polyak–Juditsky; torch.optim.ASGD)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 1e-2
    @Parameter("lambd", "decay term λ", .nonNegative) public var lambd = 1e-4
    @Parameter("alpha", "power α of the η update", .nonNegative) public var alpha = 0.75
    @Parameter("t0", "step t₀ at which averaging starts", .nonNegative) public var t0 = 1e6
    @Parameter("weight_decay", "coupled L2 penalty added to the gradient", .nonNegative) public var weightDecay = 0.0

    /// PyTorch's defaults.
    public init() {}

    /// One lane: the average a.
    public var stateSlots: [Double] { [0] }

    /// η_t, 1 − λη_t and μ_t (torch computes η and μ at the end of step t − 1).
    public struct Scalars {
        /// η_t, 1 − λη_t, μ_t.
        public var eta, keep, mu: Double
    }

    public func scalars(iteration: Int, previous: Scalars?) -> Scalars {
        let step = Double(iteration - 1)
        let eta = iteration == 1 ? lr : lr / _pow(1 + lambd * lr * step, alpha)
        let mu = iteration == 1 ? 1 : 1 / Swift.max(1, step - t0)
        return Scalars(eta: eta, keep: 1 - lambd * eta, mu: mu)
    }

    /// torch.optim.ASGD's `_single_tensor_asgd` for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars c: Scalars) -> V {
        let d = WeightDecay.coupled(g, at: x, weightDecay)
        let y = x * c.keep - c.eta * d
        s[0] = c.mu == 1 ? y : s[0] + (y - s[0]) * c.mu
        return y
    }
}
