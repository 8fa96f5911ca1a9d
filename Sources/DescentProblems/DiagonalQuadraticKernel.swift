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
        let a = diagonal, c = constant, lo = range.lowerBound
        var i = lo
        let end = lo + (range.count & ~7)
        while i < end {
            let (fv, gv) = Self.terms(SIMD8<Double>.load(x + i), SIMD8<Double>.load(a + i), c)
            if let g = out { gv.store(to: g + (i - lo)) }
            sums.add(fv, gv * gv)
            i += 8
        }
        if let out {
            for j in end..<range.upperBound { out[j - lo] = Self.terms(x[j], a[j], c).g }
        }
        addTail(at: x, range: end..<range.upperBound, into: &sums)
    }

    /// Writes gᵢ at `gradient[i − range.lowerBound]` for i in `range`.
    @inline(__always)
    func gradient(at x: UnsafePointer<Double>, range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let a = diagonal, c = constant, lo = range.lowerBound
        var i = lo
        while i + 8 <= range.upperBound {
            Self.terms(SIMD8<Double>.load(x + i), SIMD8<Double>.load(a + i), c).g.store(to: out + (i - lo))
            i += 8
        }
        while i < range.upperBound { out[i - lo] = Self.terms(x[i], a[i], c).g; i += 1 }
    }
}
