import DescentCore
import _DescentMath

/// Adafactor (Shazeer & Stern, ICML 2018) as torch.optim.Adafactor applies it to a vector (whose
/// second moment is not factored): a whole-vector rule, since its step size uses ‖x‖ and ‖u‖.
///
/// Step t: β̂ = t^beta2_decay, ρ_t = min(lr, 1/√t), α = max(ε₂, ‖x‖/√n)·ρ_t; x ← x(1 − lr·λ);
/// v ← lerp(v, g², β̂);  u = g / √max(v, ε₁²);  x ← x − (α / max(1, ‖u‖/(√n·d)))·u.
/// Defaults (torch.optim.Adafactor): lr = 1e-2, beta2_decay = −0.8, ε₁ = machine ε, ε₂ = 1e-3, d = 1,
/// weight_decay = 0. Norms are Descent's (eight partial sums), so the last bits can differ from torch's.
public struct Adafactor: Optimizer {
    public static let name = "adafactor"
    public static let summary = "Adafactor: v ← lerp(v, g², t^decay), x ← x − α·clip(g/√v), α = max(ε₂, RMS(x))·min(lr, 1/√t) (Shazeer & Stern, ICML 2018; torch.optim.Adafactor)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate (caps the relative step ρ_t)", .positive) public var lr = 1e-2
    @Parameter("beta2_decay", "exponent of β̂ = t^beta2_decay (<= 0)", .any) public var beta2Decay = -0.8
    @Parameter("eps1", "floor ε₁ of √v", .positive) public var eps1 = Double.ulpOfOne
    @Parameter("eps2", "floor ε₂ of RMS(x)", .positive) public var eps2 = 1e-3
    @Parameter("d", "clipping threshold of RMS(u)", .atLeast(1)) public var d = 1.0
    @Parameter("weight_decay", "decoupled weight decay λ", .nonNegative) public var weightDecay = 0.0

    /// PyTorch's defaults.
    public init() {}

    public func validate() throws(SpecError) {
        guard beta2Decay <= 0 else { throw .invalid(owner: Self.name, "beta2_decay must be <= 0, got \(beta2Decay)") }
    }

    /// The second moment v and the update u.
    public struct State {
        /// v.
        public let variance: Vector
        /// u (a buffer: its norm is needed before the step).
        public let update: Vector
    }

    public func makeState(dimension n: Int) -> State { State(variance: Vector(count: n), update: Vector(count: n)) }

    /// torch.optim.Adafactor's `_single_tensor_adafactor` for a vector.
    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        let t = Double(iteration), n = x.count, rootN = _pow(Double(n), 0.5)
        let weight = _pow(t, beta2Decay)
        let rho = Swift.min(lr, 1 / _pow(t, 0.5))
        let alpha = Swift.max(eps2, x.norm() / rootN) * rho
        if weightDecay != 0 { WeightDecay.decay(x, keep: WeightDecay.keep(lr: lr, weightDecay)) }
        let v = state.variance, u = state.update, floor = eps1 * eps1
        for i in 0..<n {
            v[i] = Double.lerp(v[i], g[i] * g[i], weight)
            u[i] = 1 / Swift.max(v[i], floor).squareRoot() * g[i]
        }
        let scale = -alpha / Swift.max(1, u.norm() / (rootN * d))
        for i in 0..<n { x[i] += scale * u[i] }
    }
}
