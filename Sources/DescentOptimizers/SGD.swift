import DescentCore

/// Stochastic gradient descent with optional heavy-ball or Nesterov momentum (torch.optim.SGD).
///
/// With d = ∇f(x) + weight_decay · x (coupled L2):
/// - momentum μ = 0: x ← x − lr · d
/// - μ > 0: b₁ = d, b_t = μ b_{t−1} + (1 − τ) d; then d ← d + μ b (Nesterov) or d ← b; x ← x − lr · d
///
/// Defaults (PyTorch): lr = 1e-3, μ = 0, τ = 0, weight_decay = 0, nesterov = false. The registry
/// also offers `gd` (μ = 0), `momentum` (μ = 0.9) and `nesterov` (μ = 0.9, Nesterov) as aliases.
/// References: H. Robbins, S. Monro, Ann. Math. Stat. 22(3), 1951 (SGD); B. T. Polyak, USSR Comput.
/// Math. Math. Phys. 4(5), 1964 (heavy ball); Y. Nesterov, Soviet Math. Dokl. 27, 1983; I. Sutskever
/// et al., ICML 2013 (the form PyTorch uses).
public struct SGD: Optimizer, ElementwiseRule {
    public static let name = "sgd"
    public static let summary = "SGD with momentum/Nesterov: b ← μb + (1−τ)d, x ← x − lr·(b or d + μb) (torch.optim.SGD)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 1e-3
    @Parameter("momentum", "momentum coefficient μ", .unitInterval) public var momentum = 0.0
    @Parameter("dampening", "dampening τ of the gradient term", .closedUnitInterval) public var dampening = 0.0
    @Parameter("weight_decay", "coupled L2 penalty added to the gradient", .nonNegative) public var weightDecay = 0.0
    @Parameter("nesterov", "Nesterov momentum (needs momentum > 0, dampening = 0)") public var nesterov = false

    /// PyTorch's defaults.
    public init() {}

    /// SGD with learning rate `lr` and the other hyperparameters given, the rest at their defaults.
    public init(lr: Double, momentum: Double? = nil, dampening: Double? = nil, weightDecay: Double? = nil, nesterov: Bool? = nil) {
        self.lr = lr
        if let momentum { self.momentum = momentum }
        if let dampening { self.dampening = dampening }
        if let weightDecay { self.weightDecay = weightDecay }
        if let nesterov { self.nesterov = nesterov }
    }

    public func validate() throws(SpecError) {
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw .invalid(owner: Self.name, "Nesterov momentum requires momentum > 0 and dampening = 0")
        }
    }

    /// One lane, the momentum buffer b, when μ > 0; none otherwise.
    public var stateSlots: [Double] { momentum == 0 ? [] : [0] }

    /// Whether this is the first step (b₁ = d).
    public func scalars(iteration: Int, previous: Bool?) -> Bool { iteration == 1 }

    /// torch.optim.SGD's `_single_tensor_sgd` for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars first: Bool) -> V {
        // Plain descent first, under one test, so the compiler keeps W1's loop branch-free.
        if momentum == 0 && weightDecay == 0 { return x - lr * g }
        var d = WeightDecay.coupled(g, at: x, weightDecay)
        if momentum == 0 { return x - lr * d }
        let b = first ? d : s[0] * momentum + (1 - dampening) * d
        s[0] = b
        d = nesterov ? d + momentum * b : b
        return x - lr * d
    }
}
