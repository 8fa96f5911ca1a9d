import DescentCore

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
        if weightDecay != 0 && !decouple {
            for i in 0..<n { g[i] += weightDecay * x[i] }
        }
        let x0 = state.start, m = state.m, v = state.v, s = state.s
        let ratio = d / d0
        let momentumWeight = d * (1 - beta1), varianceWeight = d * d * (1 - beta2)
        let sWeight = safeguardWarmup ? ratio * d : ratio * dlr
        // One pass: the moments, s, and the sums gᵀ(x₀ − x) and ‖s‖₁.
        var sums = Kernels.Sums()
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
        if weightDecay != 0 && decouple {
            let factor = -weightDecay * dlr
            for i in 0..<n { x[i] += x[i] * factor }
        }
        if beta1 > 0 {
            for i in 0..<n { x[i] += -dlr * m[i] / (v[i].squareRoot() + floor) }
        } else {
            let scale = -dlr * d
            for i in 0..<n { x[i] += scale * g[i] / (v[i].squareRoot() + floor) }
        }
        state.k += 1
    }
}

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
        if weightDecay != 0 && !decouple {
            for i in 0..<n { g[i] += weightDecay * x[i] }
        }
        let m = state.m, v = state.v, s = state.s
        let momentumWeight = dlr * (1 - beta1), sWeight = dlr * (1 - rootBeta2)
        var sums = Kernels.Sums()
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
        if weightDecay != 0 && decouple {
            let factor = -weightDecay * dlr
            for i in 0..<n { x[i] += x[i] * factor }
        }
        for i in 0..<n { x[i] += -1 * m[i] / (v[i].squareRoot() + eps) }
        state.k += 1
    }
}

/// D-Adaptation for SGD (Defazio & Mishchenko, ICML 2023), in the order of `dadaptation.DAdaptSGD`
/// (3.2): dlr = d·lr/‖g₀‖ (g₀ the first gradient, without decay), g ← g + λx, r ← r + dlr·gᵀs,
/// s ← s + dlr·g, d ← max(d, min(2r/‖s‖, d·growth_rate)), z = x₀ − s, x ← (1 − c)x + c·z with
/// c = 1 − momentum (dual averaging with momentum as primal averaging). Defaults: the package's
/// (lr = 1, momentum = 0, d₀ = 1e-6, growth_rate = ∞). A whole-vector rule.
public struct DAdaptSGD: Optimizer {
    public static let name = "dadapt-sgd"
    public static let summary = "D-Adaptation for SGD (dual averaging): step d/‖g₀‖ with d ← max(d, 2Σdlr·gᵀs/‖s‖), learning-rate free (Defazio & Mishchenko, ICML 2023)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "multiplier of the estimated step d", .positive) public var lr = 1.0
    @Parameter("momentum", "momentum (primal averaging weight 1 − c)", .unitInterval) public var momentum = 0.0
    @Parameter("weight_decay", "coupled weight decay λ", .nonNegative) public var weightDecay = 0.0
    @Parameter("d0", "initial distance estimate d₀", .positive) public var d0 = 1e-6
    @Parameter("growth_rate", "most growth of d per step (inf: none)", .atLeast(1)) public var growthRate = Double.infinity

    /// The package's defaults.
    public init() {}

    /// x₀, s, and the scalars of the estimate.
    public struct State {
        let start: Vector, s: Vector
        /// d, the numerator r and ‖g₀‖.
        public var d: Double, numerator = 0.0, firstNorm = 0.0
        var k = 0
    }

    public func makeState(dimension n: Int) -> State { State(start: Vector(count: n), s: Vector(count: n), d: d0) }

    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        let n = x.count
        if state.k == 0 {
            state.firstNorm = Kernels.sum(n) { g[$0] * g[$0] }.squareRoot()
            state.start.assign(x)
        }
        guard state.firstNorm > 0 else { return }   // the package divides by ‖g₀‖ = 0: no step yet
        var d = state.d
        let dlr = d * lr / state.firstNorm
        if weightDecay != 0 {
            for i in 0..<n { g[i] += weightDecay * x[i] }
        }
        let s = state.s
        var sums = Kernels.Sums()
        sums.add(0..<n) { i in
            let term = g[i] * s[i]
            let si = s[i] + dlr * g[i]
            s[i] = si
            return (term, si * si)
        }
        let (dot, squared) = sums.totals
        let numerator = state.numerator + dlr * dot
        // The package divides by ‖s‖ = 0 here (a ZeroDivisionError): no gradient yet, no step.
        guard squared != 0 else { return }
        d = pyMax(d, pyMin(2 * numerator / squared.squareRoot(), d * growthRate))
        state.numerator = numerator
        state.d = d
        let c = 1 - momentum, x0 = state.start
        for i in 0..<n { x[i] = x[i] * (1 - c) + c * (x0[i] - s[i]) }
        state.k += 1
    }
}

/// The packages' `use_bias_correction` factor of dlr at step k (from 0): √(1 − β₂ᵏ⁺¹)/(1 − β₁ᵏ⁺¹).
private func distanceBiasCorrection(_ beta1: Double, _ beta2: Double, step k: Int) -> Double {
    let t = Double(k + 1)
    return _pow(1 - _pow(beta2, t), 0.5) / (1 - _pow(beta1, t))
}
