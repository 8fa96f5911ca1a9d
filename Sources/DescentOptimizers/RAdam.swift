import DescentCore
import _DescentMath

/// RAdam (Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond", ICLR 2020) —
/// torch.optim.RAdam, coupled or decoupled weight decay.
///
/// Step t, d = ∇f + weight_decay · x (or x ← x(1 − lr·weight_decay) first when decoupled):
/// m ← lerp(m, d, 1 − β₁);  v ← β₂v + (1 − β₂)d²;  ρ∞ = 2/(1 − β₂) − 1,  ρ_t = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ);
/// ρ_t > 5: x ← x − (m/(1 − β₁ᵗ))·lr·(√(1 − β₂ᵗ)/(√v + ε))·r_t with r_t = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t));
/// else x ← x − (m/(1 − β₁ᵗ))·lr (PyTorch's order of operations).
/// Defaults: lr = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, weight_decay = 0.
public struct RAdam: Optimizer, ElementwiseRule {
    public static let name = "radam"
    public static let summary = "RAdam: Adam with the variance rectification r_t once ρ_t > 5 (Liu et al., ICLR 2020; torch.optim.RAdam)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 1e-3
    @Parameter("beta1", "decay of the first moment β₁", .unitInterval) public var beta1 = 0.9
    @Parameter("beta2", "decay of the second moment β₂", .unitInterval) public var beta2 = 0.999
    @Parameter("eps", "ε added to √v", .positive) public var eps = 1e-8
    @Parameter("weight_decay", "weight decay λ (coupled L2, or decoupled)", .nonNegative) public var weightDecay = 0.0
    @Parameter("decoupled_weight_decay", "decay x directly instead of adding λx to d") public var decoupledWeightDecay = false

    /// PyTorch's defaults.
    public init() {}

    /// Lanes m and v.
    public var stateSlots: [Double] { [0, 0] }

    /// One iteration's scalars: 1 − β₁ᵗ, √(1 − β₂ᵗ) (as PyTorch's `** 0.5`), the rectification
    /// r_t when ρ_t > 5 (`nil`: the unadapted step), and decoupled decay's factor.
    public struct Scalars {
        /// 1 − β₁ᵗ.
        public var correction1: Double
        /// (1 − β₂ᵗ)^0.5.
        public var root2: Double
        /// r_t, when ρ_t > 5.
        public var rectification: Double?
        /// 1 − lr·λ.
        public var keep: Double
    }

    public func scalars(iteration: Int, previous: Scalars?) -> Scalars {
        let t = Double(iteration)
        let correction2 = BiasCorrection.of(beta2, step: iteration)
        let rhoInf = 2 / (1 - beta2) - 1
        let rho = rhoInf - 2 * t * _pow(beta2, t) / correction2
        let rect = rho > 5 ? _pow((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho), 0.5) : nil
        return Scalars(correction1: BiasCorrection.of(beta1, step: iteration), root2: _pow(correction2, 0.5), rectification: rect,
                       keep: WeightDecay.keep(lr: lr, weightDecay))
    }

    /// torch.optim.RAdam's `_single_tensor_radam` for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars c: Scalars) -> V {
        var x = x
        if decoupledWeightDecay && weightDecay != 0 { x = x * c.keep }
        let d = WeightDecay.coupled(g, at: x, decoupledWeightDecay ? 0 : weightDecay)
        let m = V.lerp(s[0], d, 1 - beta1), v = s[1] * beta2 + (1 - beta2) * d * d
        s[0] = m
        s[1] = v
        let corrected = m / c.correction1
        guard let rect = c.rectification else { return x - corrected * lr }
        return x - corrected * lr * (c.root2 / (v.squareRoot() + eps)) * rect
    }
}
