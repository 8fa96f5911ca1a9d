import DescentCore

/// The diagonal quadratic's own loops (f, ∇f and Σgᵢ² range by range) through the same formula as
/// an elementwise rule's fused step (``AffineGradient/terms(_:_:_:)``), so every path gives the same bits.
extension AffineGradient {
    /// Adds the terms of f and Σgᵢ² over `range` into `sums` (blocks of 8, then the ragged end as one
    /// more block whose unused lanes add +0) and, when `gradient` is given, writes gᵢ at
    /// `gradient[i − range.lowerBound]`.
    @inline(__always)
    func accumulate(at x: UnsafePointer<Double>, range: Range<Int>, gradient out: UnsafeMutablePointer<Double>?,
                    into sums: inout VectorMath.Sums) {
        sums.add(range, DiagonalQuadraticPass(x: x, form: self, gradient: out.map { $0 - range.lowerBound }))
    }

    /// Writes gᵢ at `gradient[i − range.lowerBound]` for i in `range`.
    @inline(__always)
    func gradient(at x: UnsafePointer<Double>, range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        VectorMath.forEachBlock(in: range, DiagonalQuadraticPass(x: x, form: self, gradient: out - range.lowerBound))
    }
}

/// The diagonal quadratic's terms at one coordinate or eight, gᵢ written at `gradient[i]` when given.
private struct DiagonalQuadraticPass: CoordinateBody, SummedCoordinateBody {
    let x: UnsafePointer<Double>
    let form: AffineGradient
    let gradient: UnsafeMutablePointer<Double>?

    @inline(__always)
    func terms<V: Coordinates>(at i: Int, as width: V.Type) -> (V, V) {
        let (f, g) = AffineGradient.terms(V.load(x + i), V.load(form.diagonal + i), form.constant)
        if let gradient { g.store(to: gradient + i) }
        return (f, g * g)
    }

    @inline(__always)
    func run<V: Coordinates>(at i: Int, as width: V.Type) {
        _ = terms(at: i, as: V.self)
    }
}
