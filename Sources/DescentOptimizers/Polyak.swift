import DescentCore

/// Gradient descent with Polyak's step size (B. T. Polyak, "Introduction to Optimization", 1987,
/// §5.3): γ_t = c·(f(x_t) − f*)/‖∇f(x_t)‖², x ← x − γ_t·∇f(x_t), with the certified f* of the problem.
/// c = `scale` (1 is Polyak's; Loizou et al., AISTATS 2021, use ½ in SPS). No step where ∇f = 0.
/// Full batch only (f and f* of the whole objective); skipped where the problem has no f*.
public struct Polyak: Optimizer {
    public static let name = "polyak"
    public static let summary = "Polyak's step size γ = c·(f − f*)/‖∇f‖², x ← x − γ∇f, with the certified f* (Polyak 1987)"
    public static var requirements: Requirements { [.fullBatch, .optimalValue] }

    @Parameter("scale", "factor c of the step (f − f*)/‖∇f‖²", .positive) public var scale = 1.0

    /// Polyak's step (c = 1).
    public init() {}

    public func makeState(dimension: Int) {}

    /// Unreachable: the harness always passes f and f* (``step(_:gradient:context:state:iteration:)``),
    /// and Polyak takes no modifiers and runs full batch only.
    public func step(_ x: Vector, gradient g: Vector, state: inout Void, iteration: Int) {
        preconditionFailure("polyak needs f and f*: the harness calls step(_:gradient:context:state:iteration:)")
    }

    public func step(_ x: Vector, gradient g: Vector, context: StepContext, state: inout Void, iteration: Int) {
        guard let fStar = context.optimalValue else { preconditionFailure("polyak needs f* (Requirements.optimalValue)") }
        let f = context.value
        let n = x.count
        let squaredNorm = VectorMath.sum(n) { g[$0] * g[$0] }
        guard squaredNorm > 0 else { return }
        let gamma = scale * (f - fStar) / squaredNorm
        for i in 0..<n { x[i] -= gamma * g[i] }
    }
}
