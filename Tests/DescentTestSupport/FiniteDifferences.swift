import DescentCore

/// Five-point central finite differences, for checking exact derivatives in tests.
///
/// (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h has truncation error O(h⁴), so a step of
/// ε^(1/5)·max(1, |x|) ≈ 7e-4 keeps both truncation and cancellation small even where f is
/// large (Brown badly scaled has f ≈ 10¹² near its start, which defeats 3-point differences).
public enum FiniteDifferences {
    /// Step for coordinate value `x`: ε^(1/5)·max(1, |x|).
    public static func step(_ x: Double) -> Double { 7.400959084368e-04 * Swift.max(1, Swift.abs(x)) }

    /// The five-point derivative of `f` along coordinate `i` of `x` (restored afterwards).
    static func derivative(_ x: Vector, _ i: Int, _ f: (Vector) -> Double) -> Double {
        let x0 = x[i], h = step(x0)
        x[i] = x0 + 2 * h; let f2 = f(x)
        x[i] = x0 + h; let f1 = f(x)
        x[i] = x0 - h; let fm1 = f(x)
        x[i] = x0 - 2 * h; let fm2 = f(x)
        x[i] = x0
        return (-f2 + 8 * f1 - 8 * fm1 + fm2) / (12 * h)
    }

    /// ∇f(x) by five-point differences of f.
    public static func gradient(of problem: some Problem, at point: [Double]) -> [Double] {
        let x = Vector(point)
        return (0..<point.count).map { i in derivative(x, i) { problem.value(at: $0) } }
    }

    /// ∇²f(x) (row-major) by five-point differences of the exact gradient.
    public static func hessian(of problem: some Problem, at point: [Double]) -> [Double] {
        let n = point.count
        let x = Vector(point), g = Vector(count: n)
        var h = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                h[i * n + j] = derivative(x, j) { y in
                    _ = problem.valueAndGradient(at: y, gradient: g)
                    return g[i]
                }
            }
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
