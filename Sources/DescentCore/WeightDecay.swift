import _DescentMath

/// Weight decay, the one piece every rule with a `weight_decay` composes: coupled (L2: λx added to
/// the gradient, torch's `grad.add(p, alpha=λ)`, the `l2` modifier) or
/// decoupled (x shrunk before the step, AdamW's `p.mul_(1 − lr·λ)`, the `decoupled_weight_decay`
/// modifier). Rules and modifiers use the same operations, so a rule's own `weight_decay` and the
/// modifier give the same bits.
public enum WeightDecay {
    /// Coupled L2 at one coordinate or eight: d = g + λx; `g` itself when λ = 0 (nothing added).
    @inlinable @inline(__always)
    public static func coupled<V: Coordinates>(_ g: V, at x: V, _ lambda: Double) -> V {
        lambda == 0 ? g : g + lambda * x
    }

    /// Decoupled: the factor 1 − lr·λ that x is multiplied by before the step.
    @inlinable @inline(__always)
    public static func keep(lr: Double, _ lambda: Double) -> Double { 1 - lr * lambda }

    /// Coupled L2 over a whole gradient: g ← g + λx.
    @inlinable
    public static func couple(_ g: Vector, at x: Vector, _ lambda: Double) {
        for i in 0..<g.count { g[i] += lambda * x[i] }
    }

    /// Decoupled over a whole point: x ← x·keep, with keep = ``keep(lr:_:)``.
    @inlinable
    public static func decay(_ x: Vector, keep: Double) {
        for i in 0..<x.count { x[i] *= keep }
    }

    /// Decoupled in the D-Adaptation packages' form: x ← x + x·(−rate) (`p.add_(p, alpha=−λ·dlr)`),
    /// which rounds differently from x·(1 − rate).
    @inlinable
    public static func shrink(_ x: Vector, rate: Double) {
        let factor = -rate
        for i in 0..<x.count { x[i] += x[i] * factor }
    }
}

/// The bias correction of an exponential average started at 0, 1 − βᵗ at step t (from 1), and the
/// scalars an Adam-like rule derives from a pair of them once per iteration (its `Scalars`).
public struct BiasCorrection: Sendable {
    /// 1 − β₁ᵗ and 1 − β₂ᵗ.
    public var first, second: Double
    /// PyTorch's step size lr / (1 − β₁ᵗ) and √(1 − β₂ᵗ).
    public var stepSize, root2: Double
    /// Decoupled weight decay's factor 1 − lr·λ (``WeightDecay/keep(lr:_:)``; 1 when λ = 0).
    public var keep: Double

    /// The corrections of step `t` for decays β₁ and β₂, PyTorch's step size for `lr`, and the
    /// factor of decoupled weight decay λ.
    @inlinable
    public init(lr: Double, beta1: Double, beta2: Double, weightDecay: Double = 0, step t: Int) {
        first = Self.of(beta1, step: t)
        second = Self.of(beta2, step: t)
        stepSize = lr / first
        root2 = second.squareRoot()
        keep = WeightDecay.keep(lr: lr, weightDecay)
    }

    /// 1 − βᵗ.
    @inlinable
    public static func of(_ beta: Double, step t: Int) -> Double { 1 - _pow(beta, Double(t)) }
}
