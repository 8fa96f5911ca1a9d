/// A fixed-size buffer of `Double`s, allocated once per run and updated in place.
///
/// `Vector` is a final class so an optimizer can hold several of them in its `State`
/// and write all of them in one loop without copy-on-write or exclusivity checks.
/// Subscripts are bounds-checked in debug builds only. A `Vector` is not thread-safe:
/// one run owns it.
public final class Vector {
    @usableFromInline let base: UnsafeMutablePointer<Double>
    /// The number of elements.
    public let count: Int

    /// Allocates `count` elements, all set to `value`.
    public init(count: Int, repeating value: Double = 0) {
        precondition(count >= 0, "Vector count must be non-negative, got \(count)")
        base = .allocate(capacity: Swift.max(count, 1))
        base.initialize(repeating: value, count: Swift.max(count, 1))
        self.count = count
    }

    /// Allocates a copy of `values`.
    public convenience init(_ values: [Double]) {
        self.init(count: values.count)
        for i in values.indices { base[i] = values[i] }
    }

    deinit { base.deallocate() }

    /// Element `i`.
    @inlinable
    public subscript(i: Int) -> Double {
        get {
            assert(i >= 0 && i < count, "Vector index \(i) out of range 0..<\(count)")
            return base[i]
        }
        set {
            assert(i >= 0 && i < count, "Vector index \(i) out of range 0..<\(count)")
            base[i] = newValue
        }
    }

    /// The elements as a new array (allocates; not for hot loops).
    public var array: [Double] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Read-only view of the elements, valid for the duration of `body`.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Double>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Mutable view of the elements, valid for the duration of `body`.
    @inlinable
    public func withUnsafeMutableBufferPointer<R, E: Error>(_ body: (UnsafeMutableBufferPointer<Double>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableBufferPointer(start: base, count: count))
    }

    /// Copies `other` into this vector; the counts must match.
    @inlinable
    public func assign(_ other: Vector) {
        precondition(other.count == count, "Vector.assign: count \(other.count) into \(count)")
        base.update(from: other.base, count: count)
    }

    /// Copies `values` into this vector; the counts must match.
    public func assign(_ values: [Double]) {
        precondition(values.count == count, "Vector.assign: count \(values.count) into \(count)")
        for i in values.indices { base[i] = values[i] }
    }

    /// Sets every element to `value`.
    @inlinable
    public func fill(_ value: Double) {
        base.update(repeating: value, count: count)
    }

    /// The Euclidean norm ‖v‖₂: one pass summing squares, and a scaled second pass only when that
    /// sum overflows or underflows (so huge or tiny vectors still get an accurate norm).
    @inlinable
    public func norm() -> Double {
        var sum = 0.0
        for i in 0..<count { sum += base[i] * base[i] }
        if sum.isNormal && sum < 0x1p1000 { return sum.squareRoot() }
        if sum.isNaN { return .nan }
        var scale = 0.0
        for i in 0..<count { scale = Swift.max(scale, Swift.abs(base[i])) }
        if scale == 0 || scale.isInfinite { return scale }
        var scaled = 0.0
        for i in 0..<count {
            let t = base[i] / scale
            scaled += t * t
        }
        return scale * scaled.squareRoot()
    }

    /// The Euclidean distance ‖self − other‖₂.
    @inlinable
    public func distance(to other: Vector) -> Double {
        precondition(other.count == count, "Vector.distance: count \(other.count) vs \(count)")
        var sum = 0.0
        for i in 0..<count {
            let d = base[i] - other.base[i]
            sum += d * d
        }
        return sum.squareRoot()
    }

    /// The inner product ⟨self, other⟩.
    @inlinable
    public func dot(_ other: Vector) -> Double {
        precondition(other.count == count, "Vector.dot: count \(other.count) vs \(count)")
        var sum = 0.0
        for i in 0..<count { sum += base[i] * other.base[i] }
        return sum
    }
}
