/// A separable problem's gradient as data, coordinate by coordinate: gᵢ = aᵢxᵢ − c, with the terms
/// of f, fᵢ = ½ xᵢ(aᵢxᵢ) − c·xᵢ (a diagonal a and one constant c). An elementwise rule's step fuses
/// with it (``ElementwiseLoops/apply(_:affineGradient:state:scalars:range:sums:)``): x and a are
/// loaded, the gradient computed in registers, the step taken and, at a checked iterate, the terms
/// of f and Σgᵢ² at the new point summed, in one pass with no gradient buffer.
///
/// A form, not a problem: it is here, beside the rules, because the fused loop must be compiled
/// with each rule's `update` inlined (in the rule's module) and with the gradient's formula
/// inlined, so the formula has to be known where every rule is. A problem offers it by conforming
/// to ``AffineGradientProblem``, and computes its own f and ∇f with ``terms(_:_:_:)``, so that
/// every path gives the same bits.
public struct AffineGradient {
    /// a, n values.
    public let diagonal: UnsafePointer<Double>
    /// c.
    public let constant: Double

    /// The gradient with diagonal `a` (valid while the caller's scope lasts) and constant c.
    @inlinable
    public init(diagonal: UnsafePointer<Double>, constant: Double) {
        self.diagonal = diagonal
        self.constant = constant
    }

    /// fᵢ = ½ xᵢ(aᵢxᵢ) − c·xᵢ and gᵢ = aᵢxᵢ − c, lane by lane.
    @inlinable @inline(__always)
    public static func terms<V: Coordinates>(_ x: V, _ a: V, _ c: Double) -> (f: V, g: V) {
        let ax = a * x
        return (0.5 * x * ax - c * x, ax - c)
    }
}

/// Opt-in, for performance authors: a separable problem whose gradient is, on some instances, an
/// ``AffineGradient``. An elementwise rule's steps on it then fuse with the gradient, in registers;
/// on other instances, and for problems that do not conform, tiled stepping takes the chunk's
/// gradient through a buffer.
public protocol AffineGradientProblem: SeparableProblem {
    /// Calls `body` with the problem's gradient as data (valid during the call) and returns its
    /// result, or returns `nil` when this instance's gradient is not of that form.
    func withAffineGradient<R>(_ body: (AffineGradient) -> R) -> R?
}
