import _DescentSIMD

/// The vector arithmetic of the hot loops of problems and the harness: deterministic, vectorizable
/// sums (``sum(_:_:)``, ``Sums``, ``dot(_:_:_:)``, ``norm(_:_:)``) and the eight-lane operations
/// (load, store, square root, division) they and the elementwise rules are built from.
///
/// A strictly ordered sum `s += tᵢ` is latency-bound (one addition in flight) and cannot be
/// vectorized. These kernels keep eight partial sums, element i going to partial sum i mod 8,
/// and combine them in a fixed tree. The order depends only on n, never on the machine, the
/// thread count or the SIMD width, so results are the same everywhere (and differ from a
/// sequential sum only in the last bits).
public enum VectorMath {
    /// Σ term(i) for i in 0..<n: eight partial sums by i mod 8, combined as
    /// ((s₀+s₄)+(s₂+s₆))+((s₁+s₅)+(s₃+s₇)). `term` may write (a gradient element) as it goes.
    @inlinable @inline(__always)
    public static func sum(_ n: Int, _ term: (Int) -> Double) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
        var i = 0
        let end = n & ~7
        while i < end {
            s0 += term(i); s1 += term(i + 1); s2 += term(i + 2); s3 += term(i + 3)
            s4 += term(i + 4); s5 += term(i + 5); s6 += term(i + 6); s7 += term(i + 7)
            i += 8
        }
        let r = n - end
        if r > 0 { s0 += term(end) }
        if r > 1 { s1 += term(end + 1) }
        if r > 2 { s2 += term(end + 2) }
        if r > 3 { s3 += term(end + 3) }
        if r > 4 { s4 += term(end + 4) }
        if r > 5 { s5 += term(end + 5) }
        if r > 6 { s6 += term(end + 6) }
        return combine(s0, s1, s2, s3, s4, s5, s6, s7)
    }

    /// Two sums in one pass, each as ``sum(_:_:)`` (same partial sums, same tree): for a value and
    /// a squared gradient norm computed while the gradient is written.
    @inlinable @inline(__always)
    public static func sum2(_ n: Int, _ term: (Int) -> (Double, Double)) -> (Double, Double) {
        var sums = Sums()
        sums.add(0..<n, term)
        return sums.totals
    }

    /// Two running sums of eight partial sums each, by term index mod 8, that can be fed range by
    /// range: feeding 0..<n in pieces whose bounds are multiples of 8 gives exactly ``sum2(_:_:)``.
    /// The harness's tiled loop uses it to evaluate a separable problem chunk by chunk.
    public struct Sums: Sendable {
        @usableFromInline var a = SIMD8<Double>()
        @usableFromInline var b = SIMD8<Double>()

        /// Zero sums.
        @inlinable public init() {}

        /// Adds term(i) for i in `range` (its lower bound a multiple of 8, unless it is the last piece).
        @inlinable @inline(__always)
        public mutating func add(_ range: Range<Int>, _ term: (Int) -> (Double, Double)) {
            var a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7]
            var b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7]
            @inline(__always) func add(_ a: inout Double, _ b: inout Double, _ t: (Double, Double)) { a += t.0; b += t.1 }
            var i = range.lowerBound
            let end = range.lowerBound + (range.count & ~7)
            while i < end {
                add(&a0, &b0, term(i)); add(&a1, &b1, term(i + 1)); add(&a2, &b2, term(i + 2)); add(&a3, &b3, term(i + 3))
                add(&a4, &b4, term(i + 4)); add(&a5, &b5, term(i + 5)); add(&a6, &b6, term(i + 6)); add(&a7, &b7, term(i + 7))
                i += 8
            }
            let r = range.upperBound - end
            if r > 0 { add(&a0, &b0, term(end)) }
            if r > 1 { add(&a1, &b1, term(end + 1)) }
            if r > 2 { add(&a2, &b2, term(end + 2)) }
            if r > 3 { add(&a3, &b3, term(end + 3)) }
            if r > 4 { add(&a4, &b4, term(end + 4)) }
            if r > 5 { add(&a5, &b5, term(end + 5)) }
            if r > 6 { add(&a6, &b6, term(end + 6)) }
            a = SIMD8(a0, a1, a2, a3, a4, a5, a6, a7)
            b = SIMD8(b0, b1, b2, b3, b4, b5, b6, b7)
        }

        /// Adds one block of 8 terms (lane k = term i + k of a block starting at a multiple of 8).
        /// For hand-written loops, which the optimizer keeps in registers better than closures.
        @inlinable @inline(__always)
        public mutating func add(_ ta: SIMD8<Double>, _ tb: SIMD8<Double>) {
            a += ta
            b += tb
        }


        /// The two sums, each combined by ``VectorMath/combine(_:_:_:_:_:_:_:_:)``.
        @inlinable
        public var totals: (Double, Double) {
            (combine(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]), combine(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]))
        }
    }

    /// The fixed combination tree of the eight partial sums.
    @inlinable @inline(__always)
    public static func combine(_ s0: Double, _ s1: Double, _ s2: Double, _ s3: Double,
                               _ s4: Double, _ s5: Double, _ s6: Double, _ s7: Double) -> Double {
        ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7))
    }

    /// Loads 8 doubles from `p` (any alignment).
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
    }

    /// Stores 8 doubles at `p` (any alignment).
    @inlinable @inline(__always)
    public static func store(_ v: SIMD8<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Double>.self)
    }

    /// The lane-wise square root, correctly rounded like `Double.squareRoot()` (same bits). Swift's
    /// square root keeps libm's errno fallback and never vectorizes; this is `sqrtpd` (`descent_sqrt8`).
    @inlinable @inline(__always)
    public static func squareRoot(_ v: SIMD8<Double>) -> SIMD8<Double> { descent_sqrt8(v) }

    /// a / b lane by lane as one eight-lane division in the IR (`descent_divide8`): Swift's SIMD
    /// operators are element loops that LLVM's SLP vectorizer has to put back together, which it
    /// does only in part when a step has several divisions.
    @inlinable @inline(__always)
    public static func divide(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> SIMD8<Double> { descent_divide8(a, b) }

    /// The lane-wise quotient v / divisor, correctly rounded (the same bits as `/`), from
    /// `reciprocal` = 1 / divisor computed by a division: with FMA, multiplications and two exact
    /// remainder corrections instead of the divider (see `descent_quotient8`), else the division.
    @inlinable @inline(__always)
    public static func quotient(_ v: SIMD8<Double>, dividingBy divisor: Double, reciprocal: Double) -> SIMD8<Double> {
        descent_quotient8(v, divisor, reciprocal)
    }

    /// The terms t(0)…t(count−1) in lanes 0…count−1 (count < 8), zeros after.
    @inlinable @inline(__always)
    public static func tail(_ count: Int, _ t: (Int) -> Double) -> SIMD8<Double> {
        SIMD8(count > 0 ? t(0) : 0, count > 1 ? t(1) : 0, count > 2 ? t(2) : 0, count > 3 ? t(3) : 0,
              count > 4 ? t(4) : 0, count > 5 ? t(5) : 0, count > 6 ? t(6) : 0, 0)
    }

    /// ⟨a, b⟩ over n elements, as ``sum(_:_:)``.
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        // Written out (closures here were not inlined): lane k sums the terms with index ≡ k mod 8.
        var acc = SIMD8<Double>()
        var i = 0
        let end = n & ~7
        while i < end {
            acc += load(a + i) * load(b + i)
            i += 8
        }
        // The ragged end as one more block (a lane is never −0, so adding +0 to the lanes without a
        // term changes nothing); built from registers, not by indexing a vector in memory.
        if i < n { acc += tail(n - end) { a[end + $0] * b[end + $0] } }
        return combine(acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], acc[7])
    }

    /// ‖v‖₂ from Σvᵢ² (summed as ``sum(_:_:)``), with a scaled second pass only when that sum
    /// overflows or underflows, so huge or tiny vectors still get an accurate norm.
    @inlinable
    public static func norm(_ v: UnsafePointer<Double>, _ n: Int) -> Double {
        norm(squaredSum: dot(v, v, n), v, n)
    }

    /// Whether √(Σvᵢ²) is accurate as summed: the sum neither overflowed nor underflowed (else
    /// ``norm(squaredSum:_:_:)`` rescans the vector).
    @inlinable @inline(__always)
    public static func isAccurate(squaredSum: Double) -> Bool {
        squaredSum.isNormal && squaredSum < 0x1p1000
    }

    /// ‖v‖₂ given Σvᵢ² already summed as ``sum(_:_:)`` (by a fused pass); rescans `v` only when
    /// the sum overflowed or underflowed.
    @inlinable
    public static func norm(squaredSum: Double, _ v: UnsafePointer<Double>, _ n: Int) -> Double {
        if isAccurate(squaredSum: squaredSum) { return squaredSum.squareRoot() }
        if squaredSum.isNaN { return squaredSum }
        var scale = 0.0
        for i in 0..<n { scale = Swift.max(scale, Swift.abs(v[i])) }
        if scale == 0 || scale.isInfinite { return scale }
        let inverse = 1 / scale
        return scale * sum(n) { let t = v[$0] * inverse; return t * t }.squareRoot()
    }
}
