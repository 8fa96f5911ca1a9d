import DescentCore
import _DescentMath

/// Prodigy (Mishchenko & Defazio, "Prodigy: An Expeditiously Adaptive Parameter-Free Learner",
/// ICML 2024), in the order of the authors' `prodigyopt.Prodigy` (1.1) for one parameter tensor.
///
/// Adam whose step is scaled by an estimate d of the distance to the solution, grown from d₀:
/// with g (+ λx unless decoupled), dlr = d·lr·(bias correction, off by default),
/// r ← β₃r + (d/d₀)·dlr·gᵀ(x₀ − x),  m ← β₁m + d(1 − β₁)g,  v ← β₂v + d²(1 − β₂)g²,
/// s ← β₃s + (d/d₀)·dlr·g (safeguard_warmup: (d/d₀)·d·g),  d̂ = d_coef·r/‖s‖₁,
/// d ← max(d, d̂) while d = d₀, then d_max ← max(d_max, d̂), d ← min(d_max, d·growth_rate);
/// x ← x − dlr·λx (decoupled), x ← x − dlr·m/(√v + d·ε). No step while ‖s‖₁ = 0.
/// β₃ = √β₂ unless set (`beta3` = −1 stands for the package's None). Defaults: the package's
/// (lr = 1, β = (0.9, 0.999), ε = 1e-8, d₀ = 1e-6, growth_rate = ∞). A whole-vector rule: d uses
/// two sums over all coordinates each step.
public struct Prodigy: Optimizer {
    public static let name = "prodigy"
    public static let summary = "Prodigy: Adam scaled by a distance estimate d = Σβ₃(d/d₀)dlr·gᵀ(x₀ − x)/‖s‖₁, parameter-free (Mishchenko & Defazio, ICML 2024)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "multiplier of the estimated step d", .positive) public var lr = 1.0
    @Parameter("beta1", "first-moment decay β₁", .unitInterval) public var beta1 = 0.9
    @Parameter("beta2", "second-moment decay β₂", .unitInterval) public var beta2 = 0.999
    @Parameter("beta3", "decay β₃ of r and s; −1 = √β₂ (the package's None)", .atLeast(-1)) public var beta3 = -1.0
    @Parameter("eps", "ε, scaled by d, added to √v", .positive) public var eps = 1e-8
    @Parameter("weight_decay", "weight decay λ", .nonNegative) public var weightDecay = 0.0
    @Parameter("decouple", "decoupled (AdamW-style) weight decay") public var decouple = true
    @Parameter("use_bias_correction", "scale dlr by √(1 − β₂ᵏ⁺¹)/(1 − β₁ᵏ⁺¹)") public var useBiasCorrection = false
    @Parameter("safeguard_warmup", "leave lr out of s") public var safeguardWarmup = false
    @Parameter("d0", "initial distance estimate d₀", .positive) public var d0 = 1e-6
    @Parameter("d_coef", "multiplier of the estimate d̂", .positive) public var dCoef = 1.0
    @Parameter("growth_rate", "most growth of d per step (inf: none)", .atLeast(1)) public var growthRate = Double.infinity

    /// The package's defaults.
    public init() {}

    public func validate() throws(SpecError) {
        guard beta3 == -1 || (0 <= beta3 && beta3 < 1) else {
            throw .invalid(owner: Self.name, "beta3 must be -1 (√beta2) or in [0, 1), got \(beta3)")
        }
    }

    /// The buffers and the scalars of the distance estimate.
    public struct State {
        /// x₀, m, v, s.
        let start: Vector, m: Vector, v: Vector, s: Vector
        /// Whether x₀ has been taken (at the first step).
        var started = false
        /// d, d_max and the running numerator r.
        public var d: Double, dMax: Double, numerator = 0.0
        /// Steps taken (the package's k).
        var k = 0
    }

    public func makeState(dimension n: Int) -> State {
        State(start: Vector(count: n), m: Vector(count: n), v: Vector(count: n), s: Vector(count: n), d: d0, dMax: d0)
    }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        let n = x.count
        if !state.started {
            state.start.assign(x)
            state.started = true
        }
        let b3 = beta3 == -1 ? _pow(beta2, 0.5) : beta3
        let correction = useBiasCorrection ? distanceBiasCorrection(beta1, beta2, step: state.k) : 1
        var d = state.d
        let dlr = d * lr * correction
        let numerator = state.numerator * b3
        if weightDecay != 0 && !decouple { WeightDecay.couple(g, at: x, weightDecay) }
        let x0 = state.start, m = state.m, v = state.v, s = state.s
        let ratio = d / d0
        let momentumWeight = d * (1 - beta1), varianceWeight = d * d * (1 - beta2)
        let sWeight = safeguardWarmup ? ratio * d : ratio * dlr
        // One pass: the moments, s, and the sums gᵀ(x₀ − x) and ‖s‖₁.
        var sums = VectorMath.Sums()
        sums.add(0..<n) { i in
            let gi = g[i]
            if beta1 > 0 { m[i] = m[i] * beta1 + momentumWeight * gi }
            v[i] = v[i] * beta2 + varianceWeight * gi * gi
            let si = s[i] * b3 + sWeight * gi
            s[i] = si
            return (gi * (x0[i] - x[i]), Swift.abs(si))
        }
        let (dot, denominator) = sums.totals
        guard denominator != 0 else { return }   // no gradient yet: no step (nor k + 1)
        let total = numerator + ratio * dlr * dot
        let estimate = dCoef * total / denominator
        if d == d0 { d = pyMax(d, estimate) }
        state.dMax = pyMax(state.dMax, estimate)
        d = pyMin(state.dMax, d * growthRate)
        state.numerator = total
        state.d = d
        let floor = d * eps
        if weightDecay != 0 && decouple { WeightDecay.shrink(x, rate: weightDecay * dlr) }
        if beta1 > 0 {
            for i in 0..<n { x[i] += -dlr * m[i] / (v[i].squareRoot() + floor) }
        } else {
            let scale = -dlr * d
            for i in 0..<n { x[i] += scale * g[i] / (v[i].squareRoot() + floor) }
        }
        state.k += 1
    }
}
