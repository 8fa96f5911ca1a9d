import DescentCore

/// f(θ) = θ², from θ₀ = 4: the one-dimensional worked example of every GD tutorial.
///
/// Gradient descent with step α gives θ_{k+1} = (1 − 2α) θ_k; with α = 0.1: 3.2, 2.56, 2.048.
/// f* = 0 at θ* = 0.
public struct Parabola: QuadraticProblem {
    /// The start point θ₀.
    public var start: Double

    /// The parabola started from `start` (4 by default).
    public init(start: Double = 4) { self.start = start }

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
