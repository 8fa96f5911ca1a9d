import DescentCore

/// Yogi (Zaheer et al., "Adaptive Methods for Nonconvex Optimization", NeurIPS 2018, Algorithm 2):
/// Adam whose second moment moves additively, v ← v − (1 − β₂)·sign(v − d²)·d²; in the order of
/// torch-optimizer's Yogi (after TensorFlow Addons: m and v both start at `initial_accumulator`).
///
/// d = g + λx;  m ← β₁m + (1 − β₁)d;  v ← v − (1 − β₂)·sign(v − d²)·d²;
/// x ← x − (lr/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε).
/// Defaults (the paper's): lr = 1e-2, β₁ = 0.9, β₂ = 0.999, ε = 1e-3, initial_accumulator = 1e-6, λ = 0.
public struct Yogi: Optimizer, ElementwiseRule {
    public static let name = "yogi"
    public static let summary = "Yogi: Adam with v ← v − (1−β₂)·sign(v − d²)·d² (Zaheer et al., NeurIPS 2018)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 1e-2
    @Parameter("beta1", "decay of the first moment β₁", .unitInterval) public var beta1 = 0.9
    @Parameter("beta2", "rate β₂ of the second moment", .unitInterval) public var beta2 = 0.999
    @Parameter("eps", "ε added to the denominator", .positive) public var eps = 1e-3
    @Parameter("initial_accumulator", "starting value of m and v", .nonNegative) public var initialAccumulator = 1e-6
    @Parameter("weight_decay", "coupled L2 penalty added to the gradient", .nonNegative) public var weightDecay = 0.0

    /// The paper's defaults.
    public init() {}

    /// Lanes m and v, both starting at `initial_accumulator`.
    public var stateSlots: [Double] { [initialAccumulator, initialAccumulator] }

    /// The bias corrections lr/(1 − β₁ᵗ) and √(1 − β₂ᵗ).
    public typealias Scalars = BiasCorrection

    public func scalars(iteration: Int, previous: Scalars?) -> Scalars {
        BiasCorrection(lr: lr, beta1: beta1, beta2: beta2, step: iteration)
    }

    /// torch-optimizer's Yogi step for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars c: Scalars) -> V {
        // Without weight decay, under one test, so the loop keeps no branch (the same operations as below).
        if weightDecay == 0 { return step(x, d: g, state: s, scalars: c) }
        return decayed(x, gradient: g, state: s, scalars: c)
    }

    /// With coupled weight decay d = g + λx, out of line so the common case inlines into the loops.
    @inline(never)
    func decayed<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars c: Scalars) -> V {
        step(x, d: WeightDecay.coupled(g, at: x, weightDecay), state: s, scalars: c)
    }

    /// The step from d.
    @inline(__always)
    func step<V: Coordinates>(_ x: V, d: V, state s: StateCursor<V>, scalars c: Scalars) -> V {
        let m = s[0] * beta1 + (1 - beta1) * d
        // v + (−(1 − β₂))·sign(v − d²)·d², with the sign applied by selection: ±(1 − β₂)·1 is exact, so
        // the product is ±((1 − β₂)·d²), the same bits (and 0 where v = d²).
        let square = d * d, v0 = s[1], step = (1 - beta2) * square, zero = V(lanes: 0)
        let v = v0 + zero.replacing(with: -step, where: square.isLess(than: v0)).replacing(with: step, where: v0.isLess(than: square))
        s[0] = m
        s[1] = v
        return x - c.stepSize * m / (v.squareRoot() / c.root2 + eps)
    }
}
