import DescentCore

/// AdaGrad (Duchi, Hazan & Singer, JMLR 12, 2011) in PyTorch's form (torch.optim.Adagrad).
///
/// With d = ∇f + weight_decay · x and step t:
/// lr_t = lr / (1 + (t − 1) · lr_decay);  s ← s + d²;  x ← x − lr_t · d / (√s + ε).
/// Defaults: lr = 1e-2, lr_decay = 0, weight_decay = 0, initial_accumulator_value = 0, ε = 1e-10.
public struct Adagrad: Optimizer, ElementwiseRule {
    public static let name = "adagrad"
    public static let summary = "AdaGrad s ← s + d², x ← x − lr_t·d/(√s + ε), lr_t = lr/(1+(t−1)·lr_decay) (torch.optim.Adagrad)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }

    @Parameter("lr", "learning rate", .positive) public var lr = 1e-2
    @Parameter("lr_decay", "learning-rate decay", .nonNegative) public var lrDecay = 0.0
    @Parameter("weight_decay", "coupled L2 penalty added to the gradient", .nonNegative) public var weightDecay = 0.0
    @Parameter("initial_accumulator_value", "starting value of s", .nonNegative) public var initialAccumulator = 0.0
    @Parameter("eps", "ε added to √s", .positive) public var eps = 1e-10

    /// PyTorch's defaults.
    public init() {}

    /// One lane, the accumulated squared gradients s, starting at `initial_accumulator_value`.
    public var stateSlots: [Double] { [initialAccumulator] }

    /// The decayed learning rate lr / (1 + (t − 1)·lr_decay).
    public func scalars(iteration: Int, previous: Double?) -> Double { lr / (1 + Double(iteration - 1) * lrDecay) }

    /// torch.optim.Adagrad's `_single_tensor_adagrad` for one coordinate or eight.
    @inline(__always)
    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars clr: Double) -> V {
        let d = WeightDecay.coupled(g, at: x, weightDecay)
        let sum = s[0] + d * d
        s[0] = sum
        return x - clr * d / (sum.squareRoot() + eps)
    }
}
