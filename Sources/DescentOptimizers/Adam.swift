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
public struct Adam: Optimizer, RangeUpdateRule {
    public static let name = "adam"
    public static let summary = "Adam m ← β₁m+(1−β₁)d, v ← β₂v+(1−β₂)d², x ← x − lr·m̂/(√v̂ + ε); amsgrad, decoupled decay (torch.optim.Adam)"
    public static var hyperparameters: [Hyperparameter<Self>] {
        [
            .init("lr", \.lr, "learning rate", .positive),
            .init("beta1", \.beta1, "decay of the first moment β₁", .unitInterval),
            .init("beta2", \.beta2, "decay of the second moment β₂", .unitInterval),
            .init("eps", \.eps, "ε added to the denominator", .positive),
            .init("weight_decay", \.weightDecay, "weight decay λ (coupled L2, or decoupled)", .nonNegative),
            .init("amsgrad", \.amsgrad, "use the running maximum of the second moment (AMSGrad)"),
            .init("decoupled_weight_decay", \.decoupledWeightDecay, "decay x directly instead of adding λx to d (AdamW)"),
            .init("eps_root", \.epsRoot, "ε inside the square root (optax convention only)", .nonNegative),
            .init("convention", \.convention, "pytorch or optax formula"),
        ]
    }
    public static var learningRate: WritableKeyPath<Self, Double>? { \.lr }

    /// Learning rate.
    public var lr = 1e-3
    /// β₁.
    public var beta1 = 0.9
    /// β₂.
    public var beta2 = 0.999
    /// ε.
    public var eps = 1e-8
    /// Weight decay λ.
    public var weightDecay = 0.0
    /// AMSGrad.
    public var amsgrad = false
    /// Decoupled (AdamW) rather than coupled weight decay.
    public var decoupledWeightDecay = false
    /// ε inside √ (optax's `eps_root`).
    public var epsRoot = 0.0
    /// Formula convention.
    public var convention = Convention.pytorch

    /// PyTorch's defaults.
    public init() {}

    /// Adam with the given hyperparameters.
    public init(lr: Double, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0,
                amsgrad: Bool = false, decoupledWeightDecay: Bool = false, convention: Convention = .pytorch) {
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.decoupledWeightDecay = decoupledWeightDecay
        self.convention = convention
    }

    public func validate() throws(SpecError) {
        if convention == .pytorch && epsRoot != 0 {
            throw .invalid(owner: Self.name, "eps_root belongs to the optax convention; add convention=optax")
        }
    }

    /// The moment estimates (the maximum is empty unless AMSGrad).
    public struct State {
        /// First moment m.
        public let m: Vector
        /// Second moment v.
        public let v: Vector
        /// Running maximum (of v in the PyTorch convention, of v̂ in optax's).
        public let vMax: Vector
    }

    public func makeState(dimension n: Int) -> State {
        State(m: Vector(count: n), v: Vector(count: n), vMax: Vector(count: amsgrad ? n : 0))
    }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        step(x, gradient: g.pointer, state: &state, iteration: iteration, range: 0..<x.count)
    }

    /// The common case (PyTorch's order, no weight decay, no AMSGrad, β₁ > ½) as a step a problem can
    /// fuse with its gradient.
    public func elementwiseStep(state: State, iteration: Int) -> ElementwiseStep? {
        guard convention == .pytorch, !amsgrad, weightDecay == 0, 1 - beta1 < 0.5 else { return nil }
        return .adam(coefficients(iteration: iteration), m: state.m.pointer, v: state.v.pointer)
    }

    /// This iteration's scalars of the PyTorch-order step.
    func coefficients(iteration: Int) -> ElementwiseStep.AdamCoefficients {
        let t = Double(iteration)
        return .init(w1: 1 - beta1, beta2: beta2, w2: 1 - beta2, stepSize: lr / (1 - _pow(beta1, t)),
                     root2: (1 - _pow(beta2, t)).squareRoot(), eps: eps)
    }

    /// The step of the coordinates in `range`; `chunk[i − range.lowerBound]` is ∂f/∂xᵢ.
    public func step(_ x: Vector, gradient chunk: UnsafePointer<Double>, state: inout State, iteration: Int, range: Range<Int>) {
        let lo = range.lowerBound
        let t = Double(iteration)
        let correction1 = 1 - _pow(beta1, t)
        let correction2 = 1 - _pow(beta2, t)
        let m = state.m, v = state.v, vMax = state.vMax
        let w1 = 1 - beta1, w2 = 1 - beta2
        let coupled = decoupledWeightDecay ? 0 : weightDecay
        switch convention {
        case .pytorch:
            let c = coefficients(iteration: iteration)
            let stepSize = c.stepSize, root2 = c.root2
            let keep = 1 - lr * weightDecay
            if !amsgrad && weightDecay == 0 {
                // The common case as one branch-free loop over raw storage (vectorizes); same arithmetic.
                let x = x.pointer, m = m.pointer, v = v.pointer, beta2 = beta2, eps = eps
                var i = range.lowerBound
                if w1 < 0.5 {
                    // Eight lanes at a time: lerp's w < 0.5 form, lane by lane the scalar operations.
                    while i + 8 <= range.upperBound {
                        Kernels.store(ElementwiseStep.adam(Kernels.load(x + i), Kernels.load(chunk + (i - lo)), c, m: m, v: v, at: i), x + i)
                        i += 8
                    }
                }
                for i in i..<range.upperBound {
                    let d = chunk[i - lo], mi = lerp(m[i], d, w1), vi = v[i] * beta2 + w2 * d * d
                    m[i] = mi
                    v[i] = vi
                    x[i] -= stepSize * mi / (vi.squareRoot() / root2 + eps)
                }
                return
            }
            for i in range {
                if decoupledWeightDecay && weightDecay != 0 { x[i] *= keep }
                let d = coupled == 0 ? chunk[i - lo] : chunk[i - lo] + coupled * x[i]
                m[i] = lerp(m[i], d, w1)
                v[i] = v[i] * beta2 + w2 * d * d
                var second = v[i]
                if amsgrad {
                    vMax[i] = Swift.max(vMax[i], v[i])
                    second = vMax[i]
                }
                x[i] -= stepSize * m[i] / (second.squareRoot() / root2 + eps)
            }
        case .optax:
            for i in range {
                let d = coupled == 0 ? chunk[i - lo] : chunk[i - lo] + coupled * x[i]
                m[i] = w1 * d + beta1 * m[i]
                v[i] = w2 * (d * d) + beta2 * v[i]
                var vHat = v[i] / correction2
                if amsgrad {
                    vMax[i] = Swift.max(vMax[i], vHat)
                    vHat = vMax[i]
                }
                var u = (m[i] / correction1) / ((vHat + epsRoot).squareRoot() + eps)
                if decoupledWeightDecay { u += weightDecay * x[i] }
                x[i] += -lr * u
            }
        }
    }
}
