import DescentCore

/// A problem that forwards f and ∇f to `inner`: ``WithoutFastPaths`` and ``WithoutTiling`` differ
/// only in which of `inner`'s conformances they expose.
public protocol ForwardingProblem: Problem {
    /// The problem forwarded to.
    associatedtype Inner: Problem
    /// The problem forwarded to.
    var inner: Inner { get }
}

extension ForwardingProblem {
    public var dimension: Int { inner.dimension }
    public func initialPoint() -> [Double] { inner.initialPoint() }
    public func value(at x: Vector) -> Double { inner.value(at: x) }
    public func valueAndGradient(at x: Vector, gradient: Vector) -> Double { inner.valueAndGradient(at: x, gradient: gradient) }
}

/// `problem` with every fast-path conformance hidden (``FusedGradientNorm``, ``SeparableProblem``,
/// ``AffineGradientProblem``): the harness then takes its plain loop, the path the fast ones must
/// agree with bit for bit. A finite sum stays one (``FiniteSumProblem`` is a sampling mode, not a
/// fast path), so stochastic runs can be compared too.
public struct WithoutFastPaths<Inner: Problem>: ForwardingProblem {
    public let inner: Inner

    /// `inner`, seen through its plain ``Problem`` surface.
    public init(_ inner: Inner) { self.inner = inner }
}

extension WithoutFastPaths: FiniteSumProblem where Inner: FiniteSumProblem {
    public var sampleCount: Int { inner.sampleCount }
    public func batchValueAndGradient(at x: Vector, batch: ArraySlice<Int>, gradient: Vector) -> Double {
        inner.batchValueAndGradient(at: x, batch: batch, gradient: gradient)
    }
    public func batchGradient(at x: Vector, batch: ArraySlice<Int>, gradient: Vector) -> Bool {
        inner.batchGradient(at: x, batch: batch, gradient: gradient)
    }
}

/// `problem` with its tiling hidden but its fused gradient norm kept (whose summation order the
/// problem defines): the harness takes its plain loop with the problem's own ‖∇f‖².
public struct WithoutTiling<Inner: FusedGradientNorm>: ForwardingProblem, FusedGradientNorm {
    public let inner: Inner

    /// `inner`, seen as a problem with a fused gradient norm only.
    public init(_ inner: Inner) { self.inner = inner }

    public func valueGradientAndSquaredNorm(at x: Vector, gradient: Vector) -> (value: Double, squaredNorm: Double) {
        inner.valueGradientAndSquaredNorm(at: x, gradient: gradient)
    }
}
