import Descent

/// QHAdam (Ma & Yarats, "Quasi-hyperbolic momentum and Adam for deep learning", ICLR 2019), as the
/// authors' `qhoptim.pyt.QHAdam` computes it, without weight decay:
///
///     w₁ ← 1 + β₁w₁ (w₁ = 0 before the first step), a₁ = 1 − 1/w₁; the same for w₂, a₂ with β₂
///     m ← a₁m + (1 − a₁)g,  v ← a₂v + (1 − a₂)g²          (bias-corrected averages)
///     x ← x − lr · (ν₁m + (1 − ν₁)g) / (√(ν₂v + (1 − ν₂)g²) + ε)
///
/// The rule shows what a plugin author needs beyond `signgd`:
/// - state slots: `stateSlots` gives one initial value per slot (m and v, both 0); `update` reads and
///   writes them as `s[0]` and `s[1]` at the coordinates it is given;
/// - a per-iteration scalar: `scalars(iteration:previous:)` computes, once per iteration, what every
///   coordinate shares (here the weights w and the factors a, 1 − a), given the previous
///   iteration's; it must not read the state (the harness may compute several iterations ahead);
/// - the first iteration: `previous` is `nil` there (w₁ = w₂ = 1, so a = 0: m and v start at g and g²).
///
/// Powers need no `pow`: carried from one iteration to the next they are one product each. Where a
/// rule does need the C library's functions, `import Foundation` (`pow`, `exp`, `log`, on `Double`,
/// in `scalars`); `BiasCorrection.of(β, step: t)` gives 1 − βᵗ with the bits of Descent's Adam.
struct QHAdam: Optimizer, ElementwiseRule {
    static let name = "qhadam"
    static let summary = "QHAdam x ← x − lr·(ν₁m̂ + (1−ν₁)g)/(√(ν₂v̂ + (1−ν₂)g²) + ε) (Ma & Yarats, ICLR 2019)"
    static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    // Defaults: what the paper recommends in place of Adam's (ν = (0.7, 1), β = (0.995, 0.999)).
    @Parameter("lr", "learning rate", .positive) var lr = 1e-3
    @Parameter("beta1", "decay β₁ of the first moment", .unitInterval) var beta1 = 0.995
    @Parameter("beta2", "decay β₂ of the second moment", .unitInterval) var beta2 = 0.999
    @Parameter("nu1", "weight ν₁ of the first moment against the gradient", .closedUnitInterval) var nu1 = 0.7
    @Parameter("nu2", "weight ν₂ of the second moment against g²", .closedUnitInterval) var nu2 = 1.0
    @Parameter("eps", "ε added to the denominator", .nonNegative) var eps = 1e-8

    /// Two state slots per coordinate, m and v, starting at 0.
    var stateSlots: [Double] { [0, 0] }

    /// What one iteration shares across coordinates.
    struct Scalars {
        /// The running weights w₁ = 1 + β₁ + … + β₁ᵗ⁻¹ and w₂.
        var w1, w2: Double
        /// a = 1 − 1/w and 1 − a, for m and for v.
        var keep1, fresh1, keep2, fresh2: Double
        /// The learning rate of this iteration (a schedule may change it).
        var lr: Double
    }

    func scalars(iteration: Int, previous: Scalars?) -> Scalars {
        // The first iteration has no previous weights: w = 1 + β·0.
        let w1 = 1 + beta1 * (previous?.w1 ?? 0), w2 = 1 + beta2 * (previous?.w2 ?? 0)
        let keep1 = 1 - 1 / w1, keep2 = 1 - 1 / w2
        return Scalars(w1: w1, w2: w2, keep1: keep1, fresh1: 1 - keep1, keep2: keep2, fresh2: 1 - keep2, lr: lr)
    }

    func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars c: Scalars) -> V {
        let g2 = g * g
        let m = c.keep1 * s[0] + c.fresh1 * g, v = c.keep2 * s[1] + c.fresh2 * g2
        s[0] = m
        s[1] = v
        let direction = nu1 * m + (1 - nu1) * g
        let scale = (nu2 * v + (1 - nu2) * g2).squareRoot() + eps
        return x - c.lr * direction / scale
    }
}
