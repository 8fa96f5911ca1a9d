import DescentCore

/// The extended Rosenbrock function (Moré, Garbow & Hillstrom 1981, problem 21); n = 2 is the classic.
///
/// f(x) = Σ_{j<n/2} 100 (x_{2j+1} − x_{2j}²)² + (1 − x_{2j})²  (0-based), n even,
/// from x₀ = (−1.2, 1, −1.2, 1, …). f* = 0 at x* = (1, …, 1).
/// Source: J. J. Moré, B. S. Garbow, K. E. Hillstrom, "Testing Unconstrained Optimization
/// Software", ACM TOMS 7(1):17–41, 1981; H. H. Rosenbrock, Comput. J. 3(3):175–184, 1960.
public struct ExtendedRosenbrock: TwiceDifferentiable, SeparableProblem {
    /// n, even.
    public let dimension: Int

    /// The n-dimensional instance; `dimension` must be even and at least 2.
    public init(dimension: Int = 2) {
        precondition(dimension >= 2 && dimension % 2 == 0, "extended Rosenbrock needs an even dimension >= 2, got \(dimension)")
        self.dimension = dimension
    }

    public func initialPoint() -> [Double] { (0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1.0 } }

    /// Pair j contributes 100 r² + (1 − u)², u = x₂ⱼ, r = x₂ⱼ₊₁ − u²; pairs summed as ``VectorMath/Sums``.
    public func value(at x: Vector) -> Double {
        var sums = VectorMath.Sums()
        accumulate(at: x, range: 0..<dimension, gradient: nil, into: &sums)
        return sums.totals.0
    }

    public func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        valueGradientAndSquaredNorm(at: x, gradient: g).value
    }

    /// One pass over the pairs (``pair(_:_:)``): f, g and Σgᵢ² (pair by pair).
    public func valueGradientAndSquaredNorm(at x: Vector, gradient g: Vector) -> (value: Double, squaredNorm: Double) {
        var sums = VectorMath.Sums()
        accumulate(at: x, range: 0..<dimension, gradient: g.pointer, into: &sums)
        return sums.totals
    }

    /// Pair j's term of f and its gradient, written once for every loop below: with u = x₂ⱼ,
    /// v = x₂ⱼ₊₁ and r = v − u², f_j = 100r² + (1 − u)², ∂f/∂u = −400ur − 2(1 − u), ∂f/∂v = 200r;
    /// one pair or eight, lane by lane.
    @inline(__always)
    static func pair<V: Coordinates>(_ u: V, _ v: V) -> (f: V, gu: V, gv: V) {
        let r = v - u * u
        return (100 * r * r + (1 - u) * (1 - u), -400 * u * r - 2 * (1 - u), 200 * r)
    }

    /// Pairs j…j+7: u = the even coordinates of x[2j ..< 2j + 16], v = the odd ones.
    @inline(__always)
    static func load(_ x: UnsafePointer<Double>, pairsFrom j: Int) -> (u: SIMD8<Double>, v: SIMD8<Double>) {
        let xv = UnsafeRawPointer(x + 2 * j).loadUnaligned(as: SIMD16<Double>.self)
        return (xv.evenHalf, xv.oddHalf)
    }

    /// Stores eight pairs' gradients interleaved, (gu₀, gv₀, gu₁, gv₁, …), at `g`.
    @inline(__always)
    static func store(_ gu: SIMD8<Double>, _ gv: SIMD8<Double>, to g: UnsafeMutablePointer<Double>) {
        var gv16 = SIMD16<Double>()
        gv16.evenHalf = gu
        gv16.oddHalf = gv
        UnsafeMutableRawPointer(g).storeBytes(of: gv16, as: SIMD16<Double>.self)
    }

    /// 16 coordinates: 8 pairs, so chunks keep the pair sums' partial-sum lanes.
    public var chunkAlignment: Int { 16 }

    /// The pairs within `range` (which starts and ends on pair boundaries); sums are over pairs:
    /// blocks of eight pairs, then the ragged end as one more block whose unused lanes add +0.
    public func accumulate(at x: Vector, range: Range<Int>, gradient out: UnsafeMutablePointer<Double>?,
                           into sums: inout VectorMath.Sums) {
        let x = x.pointer, lo = range.lowerBound
        let first = range.lowerBound / 2, last = range.upperBound / 2
        let end = first + ((last - first) & ~7)
        var j = first
        while j < end {
            let (u, v) = Self.load(x, pairsFrom: j)
            let (f, gu, gv) = Self.pair(u, v)
            if let g = out { Self.store(gu, gv, to: g + (2 * j - lo)) }
            sums.add(f, gu * gu + gv * gv)
            j += 8
        }
        var tf = SIMD8<Double>(), tg = SIMD8<Double>()
        while j < last {
            let (f, gu, gv) = Self.pair(x[2 * j], x[2 * j + 1])
            out?[2 * j - lo] = gu
            out?[2 * j + 1 - lo] = gv
            tf[j - end] = f
            tg[j - end] = gu * gu + gv * gv
            j += 1
        }
        sums.add(tf, tg)
    }

    /// The gradient of the pairs within `range`, nothing else (the tiled loop's first pass).
    public func gradient(at x: Vector, range: Range<Int>, into g: UnsafeMutablePointer<Double>) {
        let x = x.pointer, lo = range.lowerBound
        var j = range.lowerBound / 2
        let last = range.upperBound / 2
        while j + 8 <= last {
            let (u, v) = Self.load(x, pairsFrom: j)
            let (_, gu, gv) = Self.pair(u, v)
            Self.store(gu, gv, to: g + (2 * j - lo))
            j += 8
        }
        while j < last {
            let (_, gu, gv) = Self.pair(x[2 * j], x[2 * j + 1])
            g[2 * j - lo] = gu
            g[2 * j + 1 - lo] = gv
            j += 1
        }
    }

    /// Block diagonal: each pair (u, v) contributes [[1200u² − 400v + 2, −400u], [−400u, 200]].
    public func hessian(at x: Vector, into h: Vector) {
        let n = dimension
        h.fill(0)
        var j = 0
        while j < n {
            let u = x[j], v = x[j + 1]
            h[j * n + j] = 1200 * u * u - 400 * v + 2
            h[j * n + j + 1] = -400 * u
            h[(j + 1) * n + j] = -400 * u
            h[(j + 1) * n + j + 1] = 200
            j += 2
        }
    }

    public var analyticOptimum: Optimum? {
        Optimum(value: 0, point: [Double](repeating: 1, count: dimension), source: .analytic)
    }
}

/// The chained (generalized) Rosenbrock function: f(x) = Σ_{i<n−1} 100(x_{i+1} − xᵢ²)² + (1 − xᵢ)²
/// (scipy.optimize.rosen), from x₀ = (−1.2, 1, −1.2, 1, …). f* = 0 at x* = (1, …, 1); for n ≥ 4 there
/// is also a local minimum near x₀ = −1. Hessian tridiagonal (dense storage here, n ≤ 2000).
/// Source: Y.-W. Shang, Y.-H. Qiu, Evolutionary Computation 14(1):119–126, 2006; W4 of the peer kit.
public struct ChainedRosenbrock: TwiceDifferentiable {
    /// n ≥ 2.
    public let dimension: Int

    /// The n-dimensional chained form.
    public init(dimension: Int) {
        precondition(dimension >= 2, "chained Rosenbrock needs n >= 2")
        self.dimension = dimension
    }

    public func initialPoint() -> [Double] { (0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1.0 } }

    public func value(at x: Vector) -> Double {
        let x = x.pointer
        return VectorMath.sum(dimension - 1) { i in
            let r = x[i + 1] - x[i] * x[i]
            return 100 * r * r + (1 - x[i]) * (1 - x[i])
        }
    }

    /// gᵢ = −400xᵢrᵢ − 2(1 − xᵢ) + 200rᵢ₋₁ with rᵢ = xᵢ₊₁ − xᵢ² (the first and last terms as they exist).
    public func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        let n = dimension, x = x.pointer, g = g.pointer
        g[0] = 0
        return VectorMath.sum(n - 1) { i in
            let r = x[i + 1] - x[i] * x[i]
            g[i] += -400 * x[i] * r - 2 * (1 - x[i])
            g[i + 1] = 200 * r
            return 100 * r * r + (1 - x[i]) * (1 - x[i])
        }
    }

    public func hessian(at x: Vector, into h: Vector) {
        let n = dimension
        h.fill(0)
        for i in 0..<(n - 1) {
            h[i * n + i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
            h[i * n + i + 1] -= 400 * x[i]
            h[(i + 1) * n + i] -= 400 * x[i]
            h[(i + 1) * n + i + 1] += 200
        }
    }

    public var analyticOptimum: Optimum? {
        Optimum(value: 0, point: [Double](repeating: 1, count: dimension), source: .analytic)
    }
}
