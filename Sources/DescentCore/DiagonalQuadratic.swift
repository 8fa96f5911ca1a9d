/// A separable quadratic f(x) = Σ ½ aᵢxᵢ² − c·xᵢ with a constant linear coefficient c (the peer
/// kit's W1), as data: its gradient gᵢ = aᵢxᵢ − c is cheap enough to compute in registers, so an
/// ``ElementwiseRule``'s fused loop (``ElementwiseRule/apply(_:quadratic:lanes:scalars:range:sums:)``)
/// takes gradient, step and the sums at the new point in one pass, with no gradient buffer. The
/// problem's own loops go through the same formulas (``terms(_:_:_:)``), so every path gives the same bits.
public struct DiagonalQuadratic {
    /// a, n values.
    public let diagonal: UnsafePointer<Double>
    /// c.
    public let linear: Double

    /// The quadratic with diagonal `a` (valid while the caller's scope lasts) and constant c.
    @inlinable
    public init(diagonal: UnsafePointer<Double>, linear: Double) {
        self.diagonal = diagonal
        self.linear = linear
    }

    /// fᵢ = ½ xᵢ(aᵢxᵢ) − c·xᵢ and gᵢ = aᵢxᵢ − c, lane by lane.
    @inlinable @inline(__always)
    public static func terms<V: Lane>(_ x: V, _ a: V, _ c: Double) -> (f: V, g: V) {
        let ax = a * x
        return (0.5 * x * ax - c * x, ax - c)
    }

    /// Adds the terms of f and Σgᵢ² over `range` into `sums` (blocks of 8, then the ragged end as one
    /// more block whose unused lanes add +0) and, when `gradient` is given, writes gᵢ at
    /// `gradient[i − range.lowerBound]`.
    @inlinable @inline(__always)
    public func accumulate(at x: UnsafePointer<Double>, range: Range<Int>, gradient out: UnsafeMutablePointer<Double>?,
                           into sums: inout Kernels.Sums) {
        let a = diagonal, c = linear, lo = range.lowerBound
        var i = lo
        let end = lo + (range.count & ~7)
        while i < end {
            let (fv, gv) = Self.terms(SIMD8<Double>.load(x + i), SIMD8<Double>.load(a + i), c)
            if let g = out { gv.store(to: g + (i - lo)) }
            sums.add(fv, gv * gv)
            i += 8
        }
        var tf = SIMD8<Double>(), tg = SIMD8<Double>()
        while i < range.upperBound {
            let (fi, gi) = Self.terms(x[i], a[i], c)
            out?[i - lo] = gi
            tf[i - end] = fi
            tg[i - end] = gi * gi
            i += 1
        }
        sums.add(tf, tg)
    }

    /// Writes gᵢ at `gradient[i − range.lowerBound]` for i in `range`.
    @inlinable @inline(__always)
    public func gradient(at x: UnsafePointer<Double>, range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let a = diagonal, c = linear, lo = range.lowerBound
        var i = lo
        while i + 8 <= range.upperBound {
            Self.terms(SIMD8<Double>.load(x + i), SIMD8<Double>.load(a + i), c).g.store(to: out + (i - lo))
            i += 8
        }
        while i < range.upperBound { out[i - lo] = Self.terms(x[i], a[i], c).g; i += 1 }
    }
}

extension ElementwiseRule {
    @inlinable
    public func apply(_ x: Vector, quadratic q: DiagonalQuadratic, lanes: StateLanes, scalars: Scalars, range: Range<Int>,
                      sums: UnsafeMutablePointer<Kernels.Sums>?) {
        let rule = self, c = scalars, a = q.diagonal, b = q.linear, x = x.pointer
        let end = range.lowerBound + (range.count & ~7)
        var i = range.lowerBound
        if let sums {
            var s = sums.pointee  // in registers for the loop (through the pointer, every block would go to memory)
            while i < end {
                let av = SIMD8<Double>.load(a + i), x0 = SIMD8<Double>.load(x + i)
                let xv = rule.update(x0, gradient: DiagonalQuadratic.terms(x0, av, b).g, lanes: LaneCursor(lanes, at: i), scalars: c)
                xv.store(to: x + i)
                let (fv, gv) = DiagonalQuadratic.terms(xv, av, b)
                s.add(fv, gv * gv)
                i &+= 8
            }
            sums.pointee = s
        } else {
            while i < end {
                let x0 = SIMD8<Double>.load(x + i)
                rule.update(x0, gradient: DiagonalQuadratic.terms(x0, SIMD8<Double>.load(a + i), b).g,
                            lanes: LaneCursor(lanes, at: i), scalars: c).store(to: x + i)
                i &+= 8
            }
        }
        for j in end..<range.upperBound {
            x[j] = rule.update(x[j], gradient: DiagonalQuadratic.terms(x[j], a[j], b).g, lanes: LaneCursor<Double>(lanes, at: j), scalars: c)
        }
        if let sums, end < range.upperBound {
            q.accumulate(at: x, range: end..<range.upperBound, gradient: nil, into: &sums.pointee)
        }
    }
}
