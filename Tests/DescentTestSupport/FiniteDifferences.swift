import DescentCore

/// Central finite differences, for checking exact derivatives in tests.
public enum FiniteDifferences {
    /// Step for coordinate value `x`: ε^(1/3)·max(1, |x|), the central-difference optimum.
    public static func step(_ x: Double) -> Double { 6.055454452393343e-06 * Swift.max(1, Swift.abs(x)) }

    /// ∇f(x) by central differences of f.
    public static func gradient(of problem: some Problem, at point: [Double]) -> [Double] {
        let x = Vector(point)
        return (0..<point.count).map { i in
            let h = step(point[i])
            x[i] = point[i] + h
            let up = problem.value(at: x)
            x[i] = point[i] - h
            let down = problem.value(at: x)
            x[i] = point[i]
            return (up - down) / (2 * h)
        }
    }

    /// ∇²f(x) (row-major) by central differences of the exact gradient.
    public static func hessian(of problem: some Problem, at point: [Double]) -> [Double] {
        let n = point.count
        let x = Vector(point), up = Vector(count: n), down = Vector(count: n)
        var h = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            let s = step(point[j])
            x[j] = point[j] + s
            _ = problem.valueAndGradient(at: x, gradient: up)
            x[j] = point[j] - s
            _ = problem.valueAndGradient(at: x, gradient: down)
            x[j] = point[j]
            for i in 0..<n { h[i * n + j] = (up[i] - down[i]) / (2 * s) }
        }
        return h
    }

    /// ‖a − b‖₂ / max(‖b‖₂, 1): relative error with an absolute floor for tiny references.
    public static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "length mismatch \(a.count) vs \(b.count)")
        var diff = 0.0, norm = 0.0
        for i in a.indices {
            diff += (a[i] - b[i]) * (a[i] - b[i])
            norm += b[i] * b[i]
        }
        return diff.squareRoot() / Swift.max(norm.squareRoot(), 1)
    }

    /// `count` seeded points: the start point plus N(0, scale²) noise in every coordinate.
    public static func points(around center: [Double], count: Int, seed: UInt64, scale: Double = 0.5) -> [[Double]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in center.map { $0 + scale * rng.nextNormal() } }
    }
}
