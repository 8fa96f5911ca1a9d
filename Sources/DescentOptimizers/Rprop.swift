import DescentCore

/// Rprop (Riedmiller & Braun, IEEE ICNN 1993), the variant without backtracking of torch.optim.Rprop.
///
/// Per coordinate, with p = g·g_prev: the step size δ ← clamp(δ·η, δ_min, δ_max), η = η₊ if p > 0,
/// η₋ if p < 0, else 1; where η = η₋ the gradient is taken as 0 (and remembered as 0); x ← x − sign(g)·δ.
/// δ starts at lr. Defaults: lr = 1e-2, η₋ = 0.5, η₊ = 1.2, δ_min = 1e-6, δ_max = 50.
public struct Rprop: Optimizer, ElementwiseRule {
    public static let name = "rprop"
    public static let summary = "Rprop: per-coordinate step δ ← clamp(δ·η±) by the sign of g·g_prev, x ← x − sign(g)·δ (torch.optim.Rprop)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "initial step size δ", .positive) public var lr = 1e-2
    @Parameter("etaminus", "factor η₋ after a sign change (in (0, 1))", .positive) public var etaMinus = 0.5
    @Parameter("etaplus", "factor η₊ while the sign holds (> 1)", .positive) public var etaPlus = 1.2
    @Parameter("step_size_min", "smallest step size", .nonNegative) public var stepSizeMin = 1e-6
    @Parameter("step_size_max", "largest step size", .positive) public var stepSizeMax = 50.0

    /// PyTorch's defaults.
    public init() {}

    public func validate() throws(SpecError) {
        guard etaMinus < 1 && 1 < etaPlus else {
            throw .invalid(owner: Self.name, "needs 0 < etaminus < 1 < etaplus, got etaminus = \(etaMinus), etaplus = \(etaPlus)")
        }
        guard stepSizeMin <= stepSizeMax else {
            throw .invalid(owner: Self.name, "needs step_size_min <= step_size_max, got \(stepSizeMin) > \(stepSizeMax)")
        }
    }

    /// Lanes g_prev (0) and δ (lr).
    public var stateSlots: [Double] { [0, lr] }

    /// None.
    public func scalars(iteration: Int, previous: Void?) {}

    /// torch.optim.Rprop's `_single_tensor_rprop` for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars: Void) -> V {
        let zero = V(lanes: 0), p = g * s[0]
        let factor = V(lanes: 1).replacing(with: V(lanes: etaPlus), where: zero.isLess(than: p))
            .replacing(with: V(lanes: etaMinus), where: p.isLess(than: zero))
        let size = V.min(V.max(s[1] * factor, V(lanes: stepSizeMin)), V(lanes: stepSizeMax))
        let kept = g.replacing(with: zero, where: factor.isEqual(to: V(lanes: etaMinus)))
        s[1] = size
        s[0] = kept
        return x + (-1) * kept.signum() * size
    }
}
