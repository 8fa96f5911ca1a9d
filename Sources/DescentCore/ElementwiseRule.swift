/// The values an elementwise rule computes with: one coordinate (`Double`) or eight (`SIMD8<Double>`,
/// one coordinate per SIMD lane).
///
/// An ``ElementwiseRule`` writes its per-coordinate update once, generic over `Coordinates`; the
/// derived steps run it on eight coordinates at a time and on the ragged end one at a time. Every
/// operation is the lane-wise IEEE operation with the same rounding as `Double`'s, so both give the
/// same bits. (Not to be confused with the rule's state vectors, ``StateVectors``.)
public protocol Coordinates {
    /// The comparison result: `Bool` for one coordinate, a mask for eight.
    associatedtype Mask

    /// Every lane equal to `value`.
    init(lanes value: Double)
    /// Loads the lanes from `p` (any alignment).
    static func load(_ p: UnsafePointer<Double>) -> Self
    /// Stores the lanes at `p`.
    func store(to p: UnsafeMutablePointer<Double>)

    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static func + (a: Double, b: Self) -> Self
    static func + (a: Self, b: Double) -> Self
    static func - (a: Double, b: Self) -> Self
    static func - (a: Self, b: Double) -> Self
    static func * (a: Double, b: Self) -> Self
    static func * (a: Self, b: Double) -> Self
    static func / (a: Double, b: Self) -> Self
    static func / (a: Self, b: Double) -> Self
    static prefix func - (a: Self) -> Self

    /// The correctly rounded square root of each lane.
    func squareRoot() -> Self
    /// Each lane divided by `divisor`, the same bits as `self / divisor`, given `reciprocal` =
    /// 1 / divisor (computed once, by a division): eight lanes take no division where the CPU has
    /// FMA. For a rule that divides by a per-iteration scalar and is bound by its divisions.
    func quotient(dividingBy divisor: Double, reciprocal: Double) -> Self
    /// |x| of each lane (the sign bit cleared).
    var magnitude: Self { get }
    /// Where `self < other`.
    func isLess(than other: Self) -> Mask
    /// Where `self ≤ other`.
    func isLessThanOrEqualTo(_ other: Self) -> Mask
    /// Where `self == other`.
    func isEqual(to other: Self) -> Mask
    /// `self` with the lanes where `mask` holds taken from `other`.
    func replacing(with other: Self, where mask: Mask) -> Self
}

extension Coordinates {
    /// `b` where b ≥ a, else `a` (Swift's `max`: `a` when b is NaN).
    @inlinable @inline(__always)
    public static func max(_ a: Self, _ b: Self) -> Self { a.replacing(with: b, where: a.isLessThanOrEqualTo(b)) }

    /// `b` where b < a, else `a` (Swift's `min`: `a` when b is NaN).
    @inlinable @inline(__always)
    public static func min(_ a: Self, _ b: Self) -> Self { a.replacing(with: b, where: b.isLess(than: a)) }

    /// −1, 0 or +1 by the sign of each lane (0 for ±0 and NaN), as `torch.sign` for finite values.
    @inlinable @inline(__always)
    public func signum() -> Self {
        let zero = Self(lanes: 0)
        return zero.replacing(with: Self(lanes: 1), where: zero.isLess(than: self))
            .replacing(with: Self(lanes: -1), where: isLess(than: zero))
    }

    /// PyTorch's CPU `lerp(a, b, w)`: a + w(b − a) for w < ½, else b − (b − a)(1 − w).
    @inlinable @inline(__always)
    public static func lerp(_ a: Self, _ b: Self, _ w: Double) -> Self {
        w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
    }
}

extension Double: Coordinates {
    public typealias Mask = Bool
    @inlinable @inline(__always) public init(lanes value: Double) { self = value }
    @inlinable @inline(__always) public static func load(_ p: UnsafePointer<Double>) -> Double { p.pointee }
    @inlinable @inline(__always) public func store(to p: UnsafeMutablePointer<Double>) { p.pointee = self }
    @inlinable @inline(__always) public func replacing(with other: Double, where mask: Bool) -> Double { mask ? other : self }
    @inlinable @inline(__always)
    public func quotient(dividingBy divisor: Double, reciprocal: Double) -> Double { self / divisor }
}

extension SIMD8: Coordinates where Scalar == Double {
    public typealias Mask = SIMDMask<SIMD8<Int64>>
    @inlinable @inline(__always) public init(lanes value: Double) { self.init(repeating: value) }
    @inlinable @inline(__always) public static func load(_ p: UnsafePointer<Double>) -> SIMD8<Double> { VectorMath.load(p) }
    @inlinable @inline(__always) public func store(to p: UnsafeMutablePointer<Double>) { VectorMath.store(self, p) }
    @inlinable @inline(__always) public func squareRoot() -> SIMD8<Double> { VectorMath.squareRoot(self) }
    @inlinable @inline(__always)
    public static func / (a: SIMD8<Double>, b: SIMD8<Double>) -> SIMD8<Double> { VectorMath.divide(a, b) }
    @inlinable @inline(__always)
    public func quotient(dividingBy divisor: Double, reciprocal: Double) -> SIMD8<Double> {
        VectorMath.quotient(self, dividingBy: divisor, reciprocal: reciprocal)
    }
    @inlinable @inline(__always)
    public var magnitude: SIMD8<Double> {
        SIMD8<Double>(bitPattern: unsafeBitCast(self, to: SIMD8<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF)
    }
    @inlinable @inline(__always) public func isLess(than other: SIMD8<Double>) -> Mask { self .< other }
    @inlinable @inline(__always) public func isLessThanOrEqualTo(_ other: SIMD8<Double>) -> Mask { self .<= other }
    @inlinable @inline(__always) public func isEqual(to other: SIMD8<Double>) -> Mask { self .== other }

    /// The lanes of a bit pattern.
    @inlinable @inline(__always)
    init(bitPattern bits: SIMD8<UInt64>) { self = unsafeBitCast(bits, to: SIMD8<Double>.self) }
}

/// An ``ElementwiseRule``'s state vectors (m, v, …) at one coordinate or eight: `s[k]` loads state
/// vector k there, `s[k] = v` stores it.
public struct StateCursor<V: Coordinates> {
    @usableFromInline let base: UnsafeMutablePointer<Double>
    @usableFromInline let stride: Int

    /// The cursor at coordinate `i` of the state vectors `state`.
    @inlinable @inline(__always)
    public init(_ state: StateVectors, at i: Int) {
        base = state.storage + i
        stride = state.dimension
    }

    /// State vector `k` at these coordinates.
    @inlinable
    public subscript(k: Int) -> V {
        @inline(__always) get { V.load(base + k * stride) }
        @inline(__always) nonmutating set { newValue.store(to: base + k * stride) }
    }
}

/// Where an ``ElementwiseRule``'s state vectors (its ``ElementwiseRule/stateSlots``: m, v, …) live:
/// vectors of n coordinates, one after another.
public struct StateVectors {
    /// State vector k at coordinate i is at `storage[k · dimension + i]`.
    public let storage: UnsafeMutablePointer<Double>
    /// n.
    public let dimension: Int

    /// State vector `k` as a pointer to its n coordinates.
    @inlinable
    public subscript(k: Int) -> UnsafeMutablePointer<Double> { storage + k * dimension }
}

/// The state of an ``ElementwiseRule``: its state vectors, allocated once per run with the rule's
/// initial values, and the last iteration's scalars.
public struct ElementwiseState<Scalars> {
    /// The state vectors' storage (``ElementwiseRule/stateSlots`` × n values).
    public let storage: Vector
    /// Where the state vectors are: one per slot of ``ElementwiseRule/stateSlots``.
    public let vectors: StateVectors
    /// The scalars of the last iteration stepped (`nil` before the first).
    public var scalars: Scalars?

    /// State for `initial.count` slots of `dimension` coordinates, slot k filled with `initial[k]`.
    public init(slots initial: [Double], dimension: Int) {
        storage = Vector(count: Swift.max(1, initial.count * dimension))
        for (k, value) in initial.enumerated() where value != 0 {
            for i in 0..<dimension { storage[k * dimension + i] = value }
        }
        vectors = StateVectors(storage: storage.pointer, dimension: dimension)
    }
}

/// The loops the run loop takes an ``ElementwiseRule`` through, derived from its
/// ``ElementwiseRule/update(_:gradient:state:scalars:)`` for every rule: requirements only so that
/// each rule's conformance carries copies specialized for it, with `update` inlined (the harness's
/// generic code reaches them through the witness table). Not part of a rule author's surface.
public protocol ElementwiseLoops {
    /// What one iteration computes once for every coordinate.
    associatedtype Scalars

    /// Applies ``ElementwiseRule/update(_:gradient:state:scalars:)`` to the coordinates in `range`,
    /// with the gradient of coordinate i at `gradient[i − range.lowerBound]`: blocks of eight, then
    /// the ragged end one by one.
    func apply(_ x: Vector, gradient: UnsafePointer<Double>, state: StateVectors, scalars: Scalars, range: Range<Int>)

    /// The same step on the coordinates in `range` of a problem whose gradient is `affineGradient`,
    /// computed in registers, in one pass and, with `sums`, the terms of f and Σgᵢ² at the new point
    /// added as the problem adds them (blocks of eight lanes, the ragged end as one more block).
    func apply(_ x: Vector, affineGradient: AffineGradient, state: StateVectors, scalars: Scalars, range: Range<Int>,
               sums: UnsafeMutablePointer<VectorMath.Sums>?)
}

/// An update rule written once, per coordinate: the harness derives the full step, the step of a
/// range of coordinates (the tiled loop of a ``SeparableProblem``) and blocks of iterations
/// (``RunOptions/checkEvery`` > 1) from it, with the same bits on every path (the loops are
/// ``ElementwiseLoops``, derived).
///
/// The author gives
/// - ``stateSlots``: the state, as one initial value per state vector (Adam: `[0, 0]` for m and v);
/// - ``scalars(iteration:previous:)``: what is computed once per iteration from t and the
///   hyperparameters (bias corrections, a schedule's factor); it is called once per iteration, in
///   order, possibly several iterations ahead of the steps, so it must not read the state;
/// - ``update(_:gradient:state:scalars:)``: the new x of one coordinate or eight, given x, ∇f and the
///   state there (`s[k]`), written generically over ``Coordinates``.
///
/// ```swift
/// struct SignDescent: Optimizer, ElementwiseRule {
///     static let name = "signgd"
///     static let summary = "sign gradient descent x ← x − lr·sign(∇f)"
///     static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }
///     @Parameter("lr", "learning rate", .positive) var lr = 1e-2
///     func scalars(iteration: Int, previous: Double?) -> Double { lr }
///     func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars lr: Double) -> V {
///         x - lr * g.signum()
///     }
/// }
/// ```
///
/// Rules that need a global quantity (a norm, a line search, a history) conform to ``UpdateRule``
/// with a whole-vector step instead.
public protocol ElementwiseRule: UpdateRule, ElementwiseLoops where State == ElementwiseState<Scalars> {
    /// What one iteration computes once for every coordinate.
    associatedtype Scalars

    /// The initial value of each state vector (Adam: `[0, 0]` for m and v), one per slot; `update`
    /// reads and writes slot k as `s[k]` (default: none).
    var stateSlots: [Double] { get }

    /// The scalars of iteration `iteration` (from 1), given those of the iteration before (`nil` at
    /// the first). Called once per iteration, in order; must not read the state.
    func scalars(iteration: Int, previous: Scalars?) -> Scalars

    /// x after this iteration's step at one coordinate or eight, from x, the gradient there and the
    /// state `s` there (read and write slot k as `s[k]`). Must not allocate.
    func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars: Scalars) -> V
}

extension ElementwiseRule {
    /// No state.
    public var stateSlots: [Double] { [] }

    @inlinable
    public func makeState(dimension: Int) -> ElementwiseState<Scalars> {
        ElementwiseState(slots: stateSlots, dimension: dimension)
    }

    /// The scalars of `iteration`, recorded in `state` as the latest.
    @inlinable
    public func advance(_ state: inout ElementwiseState<Scalars>, to iteration: Int) -> Scalars {
        let c = scalars(iteration: iteration, previous: state.scalars)
        state.scalars = c
        return c
    }

    @inlinable
    public func step(_ x: Vector, gradient: Vector, state: inout ElementwiseState<Scalars>, iteration: Int) {
        let c = advance(&state, to: iteration)
        apply(x, gradient: gradient.pointer, state: state.vectors, scalars: c, range: 0..<x.count)
    }

    @inlinable
    public func apply(_ x: Vector, gradient: UnsafePointer<Double>, state: StateVectors, scalars: Scalars, range: Range<Int>) {
        VectorMath.forEachBlock(in: range, RuleStep(rule: self, scalars: scalars, x: x.pointer,
                                                    gradient: gradient - range.lowerBound, state: state))
    }

    @inlinable
    public func apply(_ x: Vector, affineGradient q: AffineGradient, state: StateVectors, scalars: Scalars, range: Range<Int>,
                      sums: UnsafeMutablePointer<VectorMath.Sums>?) {
        let body = FusedRuleStep(rule: self, scalars: scalars, x: x.pointer, gradient: q, state: state)
        if let sums {
            sums.pointee.add(range, body)
        } else {
            VectorMath.forEachBlock(in: range, body)
        }
    }
}

// The loop bodies hold local copies of the rule and the scalars: they stay in registers (through
// `self` they would be reloaded after every store to x, which may alias them) and the rule's
// branches on them are hoisted out of the loop.

/// One step of a rule at one coordinate or eight, the gradient read from memory (at
/// `gradient[i]` for coordinate i).
@usableFromInline
struct RuleStep<Rule: ElementwiseRule>: CoordinateBody {
    @usableFromInline let rule: Rule
    @usableFromInline let scalars: Rule.Scalars
    @usableFromInline let x: UnsafeMutablePointer<Double>
    @usableFromInline let gradient: UnsafePointer<Double>
    @usableFromInline let state: StateVectors

    @inlinable @inline(__always)
    init(rule: Rule, scalars: Rule.Scalars, x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, state: StateVectors) {
        self.rule = rule
        self.scalars = scalars
        self.x = x
        self.gradient = gradient
        self.state = state
    }

    @inlinable @inline(__always)
    func run<V: Coordinates>(at i: Int, as width: V.Type) {
        rule.update(V.load(x + i), gradient: V.load(gradient + i), state: StateCursor(state, at: i), scalars: scalars)
            .store(to: x + i)
    }
}

/// One step of a rule at one coordinate or eight with the gradient an ``AffineGradient``, computed
/// in registers; summed, the terms of f and gᵢ² at the new point.
@usableFromInline
struct FusedRuleStep<Rule: ElementwiseRule>: CoordinateBody, SummedCoordinateBody {
    @usableFromInline let rule: Rule
    @usableFromInline let scalars: Rule.Scalars
    @usableFromInline let x: UnsafeMutablePointer<Double>
    @usableFromInline let gradient: AffineGradient
    @usableFromInline let state: StateVectors

    @inlinable @inline(__always)
    init(rule: Rule, scalars: Rule.Scalars, x: UnsafeMutablePointer<Double>, gradient: AffineGradient, state: StateVectors) {
        self.rule = rule
        self.scalars = scalars
        self.x = x
        self.gradient = gradient
        self.state = state
    }

    /// Steps x at `i` and returns the new x and the diagonal there.
    @inlinable @inline(__always)
    func step<V: Coordinates>(at i: Int) -> (x: V, a: V) {
        let a = V.load(gradient.diagonal + i), x0 = V.load(x + i)
        let xv = rule.update(x0, gradient: AffineGradient.terms(x0, a, gradient.constant).g, state: StateCursor(state, at: i),
                             scalars: scalars)
        xv.store(to: x + i)
        return (xv, a)
    }

    @inlinable @inline(__always)
    func run<V: Coordinates>(at i: Int, as width: V.Type) {
        _ = step(at: i) as (x: V, a: V)
    }

    @inlinable @inline(__always)
    func terms<V: Coordinates>(at i: Int, as width: V.Type) -> (V, V) {
        let (xv, a): (V, V) = step(at: i)
        let (f, g) = AffineGradient.terms(xv, a, gradient.constant)
        return (f, g * g)
    }
}
