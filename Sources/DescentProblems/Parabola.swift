import DescentCore

/// f(θ) = θ², from θ₀ = 4: the one-dimensional worked example of every GD tutorial.
///
/// Gradient descent with step α gives θ_{k+1} = (1 − 2α) θ_k; with α = 0.1: 3.2, 2.56, 2.048.
/// f* = 0 at θ* = 0. A problem whose state is its one parameter, so it is its own family (`parabola`).
public struct Parabola: QuadraticProblem, ProblemFamily {
    public static let name = "parabola"
    public static let summary = "f(θ) = θ² from θ₀ = 4 (1-D tutorial example); f* = 0"

    /// The start point θ₀.
    @Parameter("start", "starting point θ₀") public var start = 4.0

    /// The parabola started from θ₀ = 4.
    public init() {}

    /// The parabola started from `start`.
    public init(start: Double) { self.start = start }

    public var dimension: Int { 1 }
    public func initialPoint() -> [Double] { [start] }
    public func value(at x: Vector) -> Double { x[0] * x[0] }

    public func valueAndGradient(at x: Vector, gradient: Vector) -> Double {
        gradient[0] = 2 * x[0]
        return x[0] * x[0]
    }

    public func hessian(at x: Vector, into hessian: Vector) { hessian[0] = 2 }

    public var analyticOptimum: Optimum? { Optimum(value: 0, point: [0], source: .analytic) }
}
