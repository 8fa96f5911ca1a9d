import Descent

/// Booth's function (x + 2y − 7)² + (2x + y − 5)², minimum 0 at (1, 3): a problem gives its
/// dimension, a starting point, f, and f with ∇f in one pass; `analyticOptimum` certifies f* so
/// the tables measure f − f*.
struct Booth: Problem {
    var dimension: Int { 2 }
    func initialPoint() -> [Double] { [0, 0] }
    func value(at x: Vector) -> Double {
        let a = x[0] + 2 * x[1] - 7, b = 2 * x[0] + x[1] - 5
        return a * a + b * b
    }
    func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        let a = x[0] + 2 * x[1] - 7, b = 2 * x[0] + x[1] - 5
        g[0] = 2 * a + 4 * b
        g[1] = 4 * a + 2 * b
        return a * a + b * b
    }
    var analyticOptimum: Optimum? { Optimum(value: 0, point: [1, 3], source: .analytic) }
}
