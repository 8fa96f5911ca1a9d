import DescentCore

/// Adam (Kingma & Ba, ICLR 2015), AMSGrad (Reddi, Kale & Kumar, ICLR 2018) and AdamW
/// (Loshchilov & Hutter, ICLR 2019) — torch.optim.Adam / AdamW, or optax's adam/amsgrad/adamw.
///
/// PyTorch convention, step t, d = ∇f + weight_decay · x (coupled), or x ← x (1 − lr · weight_decay)
/// first (decoupled, AdamW):
/// m ← lerp(m, d, 1 − β₁);  v ← β₂ v + (1 − β₂) d²;  AMSGrad: v̄ ← max(v̄, v), else v̄ = v;
/// x ← x − (lr / (1 − β₁ᵗ)) · m / (√v̄ / √(1 − β₂ᵗ) + ε)   (ε outside √, PyTorch's operation order).
/// optax convention: m ← (1 − β₁) d + β₁ m, v ← (1 − β₂) d² + β₂ v, m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ),
/// AMSGrad: v̂ ← max(v̂_prev, v̂) (on the bias-corrected v̂); u = m̂ / (√(v̂ + eps_root) + ε);
/// decoupled decay adds weight_decay · x to u; x ← x − lr · u.
/// Defaults (torch.optim.Adam): lr = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, weight_decay = 0;
/// `adamw` is the alias with decoupled decay and weight_decay = 1e-2 (torch.optim.AdamW).
public struct Adam: Optimizer, ElementwiseRule {
    public static let name = "adam"
    public static let summary = "Adam m ← β₁m+(1−β₁)d, v ← β₂v+(1−β₂)d², x ← x − lr·m̂/(√v̂ + ε); amsgrad, decoupled decay (torch.optim.Adam)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 1e-3
    @Parameter("beta1", "decay of the first moment β₁", .unitInterval) public var beta1 = 0.9
    @Parameter("beta2", "decay of the second moment β₂", .unitInterval) public var beta2 = 0.999
    @Parameter("eps", "ε added to the denominator", .positive) public var eps = 1e-8
    @Parameter("weight_decay", "weight decay λ (coupled L2, or decoupled)", .nonNegative) public var weightDecay = 0.0
    @Parameter("amsgrad", "use the running maximum of the second moment (AMSGrad)") public var amsgrad = false
    @Parameter("decoupled_weight_decay", "decay x directly instead of adding λx to d (AdamW)") public var decoupledWeightDecay = false
    @Parameter("eps_root", "ε inside the square root (optax convention only)", .nonNegative) public var epsRoot = 0.0
    @Parameter("convention", "pytorch or optax formula") public var convention = Convention.pytorch

    /// PyTorch's defaults.
    public init() {}

    /// Adam with learning rate `lr` and the other hyperparameters given, the rest at their defaults.
    public init(lr: Double, beta1: Double? = nil, beta2: Double? = nil, eps: Double? = nil, weightDecay: Double? = nil,
                amsgrad: Bool? = nil, decoupledWeightDecay: Bool? = nil, convention: Convention? = nil) {
        self.lr = lr
        if let beta1 { self.beta1 = beta1 }
        if let beta2 { self.beta2 = beta2 }
        if let eps { self.eps = eps }
        if let weightDecay { self.weightDecay = weightDecay }
        if let amsgrad { self.amsgrad = amsgrad }
        if let decoupledWeightDecay { self.decoupledWeightDecay = decoupledWeightDecay }
        if let convention { self.convention = convention }
    }

    public func validate() throws(SpecError) {
        if convention == .pytorch && epsRoot != 0 {
            throw .invalid(owner: Self.name, "eps_root belongs to the optax convention; add convention=optax")
        }
    }

    /// Lanes m and v, and the running maximum with AMSGrad (of v in the PyTorch convention, of v̂ in optax's).
    public var stateSlots: [Double] { amsgrad ? [0, 0, 0] : [0, 0] }

    /// One iteration's scalars: the bias corrections of step t and decoupled decay's factor 1 − lr·λ.
    public func scalars(iteration: Int, previous: BiasCorrection?) -> BiasCorrection {
        BiasCorrection(lr: lr, beta1: beta1, beta2: beta2, weightDecay: weightDecay, step: iteration)
    }

    /// torch.optim.Adam's `_single_tensor_adam` (or optax's adam) for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars c: BiasCorrection) -> V {
        if convention == .pytorch && !amsgrad && beta1 > 0.5 && (weightDecay == 0 || decoupledWeightDecay) {
            // The common cases, Adam and AdamW, under one test, so the compiler keeps them branch-free
            // (same operations as below; without decay c.keep = 1 − lr·0 = 1 and x·1 is x exactly).
            let m = s[0] + (1 - beta1) * (g - s[0]), v = s[1] * beta2 + (1 - beta2) * g * g
            s[0] = m
            s[1] = v
            return x * c.keep - c.stepSize * m / (v.squareRoot() / c.root2 + eps)
        }
        return general(x, gradient: g, state: s, scalars: c)
    }

    /// Every other case (weight decay, AMSGrad, β₁ ≤ ½, optax's formula), kept out of line so the
    /// common case above inlines into the harness's loops.
    @inline(never)
    func general<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars c: BiasCorrection) -> V {
        var x = x
        let d = WeightDecay.coupled(g, at: x, decoupledWeightDecay ? 0 : weightDecay)
        switch convention {
        case .pytorch:
            if decoupledWeightDecay && weightDecay != 0 { x = x * c.keep }
            let m = V.lerp(s[0], d, 1 - beta1), v = s[1] * beta2 + (1 - beta2) * d * d
            s[0] = m
            s[1] = v
            var second = v
            if amsgrad {
                second = V.max(s[2], v)
                s[2] = second
            }
            return x - c.stepSize * m / (second.squareRoot() / c.root2 + eps)
        case .optax:
            let m = (1 - beta1) * d + beta1 * s[0], v = (1 - beta2) * (d * d) + beta2 * s[1]
            s[0] = m
            s[1] = v
            var vHat = v / c.second
            if amsgrad {
                vHat = V.max(s[2], vHat)
                s[2] = vHat
            }
            var u = (m / c.first) / ((vHat + epsRoot).squareRoot() + eps)
            if decoupledWeightDecay { u = u + weightDecay * x }   // add_decayed_weights, on u (optax adds it even at λ = 0)
            return x + (-lr) * u
        }
    }
}
