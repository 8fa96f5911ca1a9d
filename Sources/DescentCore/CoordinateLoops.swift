/// The body of a loop over coordinates, written once generic over ``Coordinates``:
/// ``VectorMath/forEachBlock(in:_:)`` runs it on each block of eight coordinates
/// (`V` = `SIMD8<Double>`) and then on each coordinate of the ragged end (`V` = `Double`), which
/// give the same bits. The eight-lanes-then-tail loop is written there, once.
///
/// A body is a small struct holding the loop's pointers and constants. The loop is generic over
/// it, so every body gets its own specialized, inlined copy of the loop: nothing is allocated and
/// nothing is called through a closure.
public protocol CoordinateBody {
    /// The work at coordinate `i` (`V` is `Double`) or at coordinates `i ..< i + 8`
    /// (`V` is `SIMD8<Double>`).
    func run<V: Coordinates>(at i: Int, as width: V.Type)
}

/// The body of a loop over coordinates that also gives two terms per coordinate to sum (the terms
/// of f and gᵢ², say): `VectorMath.Sums.add(_:_:)` runs it block by block
/// as ``CoordinateBody`` is run, and adds the terms.
public protocol SummedCoordinateBody {
    /// The work at coordinate `i` (`V` is `Double`) or at coordinates `i ..< i + 8`
    /// (`V` is `SIMD8<Double>`), and the two terms it adds to the sums there.
    func terms<V: Coordinates>(at i: Int, as width: V.Type) -> (V, V)
}

extension VectorMath {
    /// Runs `body` on the coordinates in `range`: blocks of eight from the lower bound, then the
    /// ragged end one coordinate at a time.
    @inlinable @inline(__always)
    public static func forEachBlock<Body: CoordinateBody>(in range: Range<Int>, _ body: Body) {
        let end = range.lowerBound &+ (range.count & ~7)
        var i = range.lowerBound
        while i < end {
            body.run(at: i, as: SIMD8<Double>.self)
            i &+= 8
        }
        while i < range.upperBound {
            body.run(at: i, as: Double.self)
            i &+= 1
        }
    }
}

extension VectorMath.Sums {
    /// Runs `body` on the coordinates in `range` (its lower bound a multiple of 8, unless it is the
    /// last piece) as ``VectorMath/forEachBlock(in:_:)`` does, and adds its terms: each block of
    /// eight as it comes, the ragged end's gathered into one more block whose unused lanes add +0.
    /// The same sums as adding the terms one by one with the closure form of `add(_:_:)` (a
    /// partial sum that starts at +0 is never −0, so adding +0 leaves it as it is).
    @inlinable @inline(__always)
    public mutating func add<Body: SummedCoordinateBody>(_ range: Range<Int>, _ body: Body) {
        var sums = self  // in registers for the loop
        let end = range.lowerBound &+ (range.count & ~7)
        var i = range.lowerBound
        while i < end {
            let (a, b) = body.terms(at: i, as: SIMD8<Double>.self)
            sums.add(a, b)
            i &+= 8
        }
        if i < range.upperBound {
            var a = SIMD8<Double>(), b = SIMD8<Double>()
            while i < range.upperBound {
                (a[i &- end], b[i &- end]) = body.terms(at: i, as: Double.self)
                i &+= 1
            }
            sums.add(a, b)
        }
        self = sums
    }
}
