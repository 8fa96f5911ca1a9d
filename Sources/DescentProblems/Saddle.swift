import DescentCore

/// A saddle next to the start: f(x, y) = ½x² − ½y² + ¼y⁴, from (1, δ).
///
/// (0, 0) is a strict saddle (Hessian diag(1, −1)); the minima are (0, ±1) with f* = −¼. From
/// y₀ = δ small, gradient descent leaves the saddle only as fast as (1 + lr)ᵏδ grows, so momentum's
/// faster escape shows in the traces. Its own family (`saddle`), with δ its parameter.
public struct Saddle: TwiceDifferentiable, ProblemFamily {
    public static let name = "saddle"
    public static let summary = "½x² − ½y² + ¼y⁴ from (1, δ): strict saddle at 0 next to the start; f* = −¼ at (0, ±1)"

    /// δ, the start's distance from the saddle's unstable direction.
    @Parameter("offset", "δ, the start's y coordinate") public var offset = 1e-3

    /// The saddle problem started at (1, 0.001).
    public init() {}

    /// The saddle problem started at (1, `offset`).
    public init(offset: Double) { self.offset = offset }

    public var dimension: Int { 2 }
    public func initialPoint() -> [Double] { [1, offset] }
    public func value(at x: Vector) -> Double {
        let y2 = x[1] * x[1]
        return 0.5 * x[0] * x[0] - 0.5 * y2 + 0.25 * y2 * y2
    }
    public func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        g[0] = x[0]
        g[1] = x[1] * x[1] * x[1] - x[1]
        return value(at: x)
    }
    public func hessian(at x: Vector, into h: Vector) {
        h[0] = 1; h[1] = 0; h[2] = 0
        h[3] = 3 * x[1] * x[1] - 1
    }
    public var analyticOptimum: Optimum? {
        Optimum(value: -0.25, point: [0, offset < 0 ? -1 : 1], source: .analytic)
    }
}
