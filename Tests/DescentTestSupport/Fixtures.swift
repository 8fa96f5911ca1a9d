import DescentCore

/// Collects what a command prints, for assertions.
public final class CapturedOutput: @unchecked Sendable {
    /// Everything written to standard output.
    public var out = ""
    /// Everything written to standard error.
    public var err = ""

    /// An empty capture.
    public init() {}
}

/// f(x) = Σ ½ aᵢ xᵢ² with given curvatures, from a given start: a transparent fixture.
public struct DiagonalQuadratic: TwiceDifferentiable {
    /// The curvatures aᵢ.
    public var curvatures: [Double]
    /// The start point.
    public var start: [Double]

    /// A diagonal quadratic with curvatures `a` from `start`.
    public init(curvatures: [Double], start: [Double]) {
        self.curvatures = curvatures
        self.start = start
    }

    public var dimension: Int { curvatures.count }
    public func initialPoint() -> [Double] { start }
    public func value(at x: Vector) -> Double {
        var f = 0.0
        for i in curvatures.indices { f += 0.5 * curvatures[i] * x[i] * x[i] }
        return f
    }
    public func valueAndGradient(at x: Vector, gradient: Vector) -> Double {
        for i in curvatures.indices { gradient[i] = curvatures[i] * x[i] }
        return value(at: x)
    }
    public func hessian(at x: Vector, into h: Vector) {
        h.fill(0)
        for i in curvatures.indices { h[i * dimension + i] = curvatures[i] }
    }
    public var analyticOptimum: Optimum? { Optimum(value: 0, point: curvatures.map { _ in 0 }, source: .analytic) }
}

/// A problem whose value becomes NaN once x₀ drops below `threshold`: for divergence tests.
public struct PoisonedParabola: Problem {
    /// Below this value of x₀, f and ∇f are NaN.
    public var threshold: Double

    /// A parabola from 4 that returns NaN below `threshold`.
    public init(threshold: Double) { self.threshold = threshold }

    public var dimension: Int { 1 }
    public func initialPoint() -> [Double] { [4] }
    public func value(at x: Vector) -> Double { x[0] < threshold ? .nan : x[0] * x[0] }
    public func valueAndGradient(at x: Vector, gradient: Vector) -> Double {
        gradient[0] = x[0] < threshold ? .nan : 2 * x[0]
        return value(at: x)
    }
}
