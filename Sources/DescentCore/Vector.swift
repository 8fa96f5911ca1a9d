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

    /// Copies the elements of `other` in `range` into the same positions of this vector.
    @inlinable
    public func copy(_ range: Range<Int>, from other: Vector) {
        precondition(range.upperBound <= Swift.min(count, other.count), "Vector.copy: range \(range) out of bounds")
        (base + range.lowerBound).update(from: other.base + range.lowerBound, count: range.count)
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

    /// The Euclidean norm ‖v‖₂ (``VectorMath/norm(_:_:)``: eight partial sums, rescaled only on
    /// overflow or underflow).
    @inlinable
    public func norm() -> Double { VectorMath.norm(base, count) }

    /// The Euclidean distance ‖self − other‖₂.
    @inlinable
    public func distance(to other: Vector) -> Double {
        precondition(other.count == count, "Vector.distance: count \(other.count) vs \(count)")
        let a = base, b = other.base
        return VectorMath.sum(count) { i in let d = a[i] - b[i]; return d * d }.squareRoot()
    }

    /// The inner product ⟨self, other⟩ (``VectorMath/dot(_:_:_:)``).
    @inlinable
    public func dot(_ other: Vector) -> Double {
        precondition(other.count == count, "Vector.dot: count \(other.count) vs \(count)")
        return VectorMath.dot(base, other.base, count)
    }

    /// The start of the storage, for kernels that loop over several vectors at once. Valid while
    /// the vector is alive; a `Vector`'s storage never moves.
    @inlinable
    public var pointer: UnsafeMutablePointer<Double> { base }
}
