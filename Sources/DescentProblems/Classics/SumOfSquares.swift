import DescentCore

/// The residuals r: ℝⁿ → ℝᵐ of a least-squares test problem, with exact first and second
/// derivatives: the one surface for least-squares (Moré–Garbow–Hillstrom) problems. An author
/// writes each residual and its gradient row, entry by entry; ``SumOfSquares`` makes the problem
/// f = Σ rᵢ² (value, gradient, Hessian) from them.
public protocol Residuals: Sendable {
    /// n.
    var dimension: Int { get }
    /// m.
    var count: Int { get }
    /// The standard starting point.
    func start() -> [Double]
    /// Returns rᵢ(x) (i = 0..<m) and, when `row` is given, writes all n entries of ∇rᵢ(x) into it.
    func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double
    /// Adds `weight` · ∇²rᵢ(x) into `h` (row-major n × n).
    func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector)
    /// x* and f* in closed form, when known.
    var analyticOptimum: Optimum? { get }
}

extension Residuals {
    public var analyticOptimum: Optimum? { nil }
}

/// f(x) = Σᵢ rᵢ(x)² (Moré–Garbow–Hillstrom's convention: no ½), ∇f = 2Jᵀr, ∇²f = 2(JᵀJ + Σ rᵢ∇²rᵢ).
///
/// One row of J lives in a stack buffer during a call: nothing is allocated on the heap.
public struct SumOfSquares<R: Residuals>: TwiceDifferentiable {
    /// The residuals.
    public let residuals: R

    /// f = Σ rᵢ² for `residuals`.
    public init(_ residuals: R) { self.residuals = residuals }

    public var dimension: Int { residuals.dimension }
    public func initialPoint() -> [Double] { residuals.start() }
    public var analyticOptimum: Optimum? { residuals.analyticOptimum }

    public func value(at x: Vector) -> Double {
        var f = 0.0
        for i in 0..<residuals.count {
            let r = residuals.residual(i, at: x, gradient: nil)
            f += r * r
        }
        return f
    }

    public func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        let n = dimension
        g.fill(0)
        var f = 0.0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { row in
            for i in 0..<residuals.count {
                let r = residuals.residual(i, at: x, gradient: GradientRow(row))
                f += r * r
                for j in 0..<n { g[j] += 2 * r * row[j] }
            }
        }
        return f
    }

    public func hessian(at x: Vector, into h: Vector) {
        let n = dimension
        h.fill(0)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { row in
            for i in 0..<residuals.count {
                let r = residuals.residual(i, at: x, gradient: GradientRow(row))
                for j in 0..<n where row[j] != 0 {
                    for k in 0..<n { h[j * n + k] += 2 * row[j] * row[k] }
                }
                if r != 0 { residuals.addHessian(of: i, at: x, weight: 2 * r, into: h) }
            }
        }
    }
}

/// ∇rᵢ(x), one row of the Jacobian: the n entries ∂rᵢ/∂xⱼ that ``Residuals/residual(_:at:gradient:)``
/// writes, every one of them (``Swift/Optional/cleared()`` zeros the row first, for sparse rows).
/// Valid during that call only; it lives on the stack, so nothing is allocated.
public struct GradientRow {
    @usableFromInline let entries: UnsafeMutableBufferPointer<Double>

    init(_ entries: UnsafeMutableBufferPointer<Double>) { self.entries = entries }

    /// n.
    public var count: Int { entries.count }

    /// ∂rᵢ/∂xⱼ.
    @inlinable
    public subscript(j: Int) -> Double {
        get { entries[j] }
        nonmutating set { entries[j] = newValue }
    }
}

extension Optional where Wrapped == GradientRow {
    /// Zeros the gradient row if there is one; returns it for the entries to be set.
    @inline(__always)
    public func cleared() -> GradientRow? {
        if let row = self { row.entries.update(repeating: 0) }
        return self
    }
}
