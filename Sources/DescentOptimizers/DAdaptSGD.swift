import DescentCore

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
            state.firstNorm = VectorMath.sum(n) { g[$0] * g[$0] }.squareRoot()
            state.start.assign(x)
        }
        guard state.firstNorm > 0 else { return }   // the package divides by ‖g₀‖ = 0: no step yet
        var d = state.d
        let dlr = d * lr / state.firstNorm
        if weightDecay != 0 { WeightDecay.couple(g, at: x, weightDecay) }
        let s = state.s
        var sums = VectorMath.Sums()
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
