import DescentCore
import _DescentMath

/// D-Adaptation (Defazio & Mishchenko, "Learning-Rate-Free Learning by D-Adaptation", ICML 2023)
/// for Adam, in the order of the authors' `dadaptation.DAdaptAdam` (3.2) for one parameter tensor.
///
/// With g (+ λx unless decoupled), dlr = d·lr·(bias correction, off by default), u = √v + ε (before
/// this step's v): r ← √β₂·r + (1 − √β₂)·dlr·gᵀ(s/u),  m ← β₁m + dlr(1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
/// s ← √β₂·s + dlr(1 − √β₂)g,  d ← max(d, min(r/((1 − √β₂)‖s‖₁), d·growth_rate));
/// x ← x − dlr·λx (decoupled), x ← x − m/(√v + ε) (dlr is inside m). No step while ‖s‖₁ = 0.
/// Defaults: the package's (lr = 1, β = (0.9, 0.999), ε = 1e-8, d₀ = 1e-6, growth_rate = ∞,
/// coupled decay). A whole-vector rule.
public struct DAdaptAdam: Optimizer {
    public static let name = "dadapt-adam"
    public static let summary = "D-Adaptation for Adam: step scaled by a lower bound d on the distance to x*, learning-rate free (Defazio & Mishchenko, ICML 2023)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "multiplier of the estimated step d", .positive) public var lr = 1.0
    @Parameter("beta1", "first-moment decay β₁", .unitInterval) public var beta1 = 0.9
    @Parameter("beta2", "second-moment decay β₂", .unitInterval) public var beta2 = 0.999
    @Parameter("eps", "ε added to √v", .positive) public var eps = 1e-8
    @Parameter("weight_decay", "weight decay λ", .nonNegative) public var weightDecay = 0.0
    @Parameter("decouple", "decoupled (AdamW-style) weight decay") public var decouple = false
    @Parameter("use_bias_correction", "scale dlr by √(1 − β₂ᵏ⁺¹)/(1 − β₁ᵏ⁺¹)") public var useBiasCorrection = false
    @Parameter("d0", "initial distance estimate d₀", .positive) public var d0 = 1e-6
    @Parameter("growth_rate", "most growth of d per step (inf: none)", .atLeast(1)) public var growthRate = Double.infinity

    /// The package's defaults.
    public init() {}

    /// m, v, s and the scalars of the estimate.
    public struct State {
        let m: Vector, v: Vector, s: Vector
        /// d and the weighted numerator r.
        public var d: Double, numerator = 0.0
        var k = 0
    }

    public func makeState(dimension n: Int) -> State {
        State(m: Vector(count: n), v: Vector(count: n), s: Vector(count: n), d: d0)
    }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        let n = x.count
        let correction = useBiasCorrection ? distanceBiasCorrection(beta1, beta2, step: state.k) : 1
        var d = state.d
        let dlr = d * lr * correction
        let rootBeta2 = _pow(beta2, 0.5)
        if weightDecay != 0 && !decouple { WeightDecay.couple(g, at: x, weightDecay) }
        let m = state.m, v = state.v, s = state.s
        let momentumWeight = dlr * (1 - beta1), sWeight = dlr * (1 - rootBeta2)
        var sums = VectorMath.Sums()
        sums.add(0..<n) { i in
            let gi = g[i]
            let term = gi * (s[i] / (v[i].squareRoot() + eps))
            m[i] = m[i] * beta1 + momentumWeight * gi
            v[i] = v[i] * beta2 + (1 - beta2) * gi * gi
            let si = s[i] * rootBeta2 + sWeight * gi
            s[i] = si
            return (term, Swift.abs(si))
        }
        let (dot, l1) = sums.totals
        let numerator = rootBeta2 * state.numerator + (1 - rootBeta2) * (dlr * dot)
        guard l1 != 0 else { return }
        let estimate = numerator / ((1 - rootBeta2) * l1)
        d = pyMax(d, pyMin(estimate, d * growthRate))
        state.numerator = numerator
        state.d = d
        if weightDecay != 0 && decouple { WeightDecay.shrink(x, rate: weightDecay * dlr) }
        for i in 0..<n { x[i] += -1 * m[i] / (v[i].squareRoot() + eps) }
        state.k += 1
    }
}

/// The packages' `use_bias_correction` factor of dlr at step k (from 0): √(1 − β₂ᵏ⁺¹)/(1 − β₁ᵏ⁺¹).
func distanceBiasCorrection(_ beta1: Double, _ beta2: Double, step k: Int) -> Double {
    _pow(BiasCorrection.of(beta2, step: k + 1), 0.5) / BiasCorrection.of(beta1, step: k + 1)
}
