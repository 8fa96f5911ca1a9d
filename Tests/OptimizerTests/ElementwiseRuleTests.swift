import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Foundation
import Testing

/// Sign descent written once per coordinate, as a plugin author would (the README's example).
struct SignDescent: Optimizer, ElementwiseRule {
    static let name = "signgd"
    static let summary = "sign gradient descent x ← x − lr·sign(∇f)"
    static var hyperparameters: [Hyperparameter<Self>] { [.init("lr", \.lr, "learning rate", .positive)] }
    var lr = 1e-2
    func scalars(iteration: Int, previous: Double?) -> Double { lr }
    func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars lr: Double) -> V { x - lr * g.signum() }
}

@Suite("Elementwise rules: written once, the same bits on every path")
struct ElementwiseRuleTests {
    /// Every elementwise configuration of the built-in rules, by spec through the registry, generated
    /// from it (``RegistrySweep``): a new rule or option is swept without editing a list.
    static let specs = RegistrySweep.elementwiseSpecs(BuiltinOptimizers.all)

    static func rule(_ text: String) throws -> any ElementwiseRule {
        try #require(try builtins.selectOptimizers([text]).first?.rule as? any ElementwiseRule, "\(text) is not elementwise")
    }

    @Test("eight lanes at a time equal one coordinate at a time, x and every lane, for 40 steps", arguments: specs)
    func vectorEqualsScalar(spec: String) throws {
        try check(Self.rule(spec))
    }

    @Test("a rule from another module (sign descent) gets the same derived steps")
    func pluginRule() {
        check(SignDescent(lr: 0.05))
    }

    /// Steps 16 coordinates through `apply` over the whole range (two SIMD blocks) and, separately,
    /// one coordinate per call (the scalar path), with the same pseudo-random gradients.
    func check<R: ElementwiseRule>(_ rule: R) {
        let n = 16
        let xs = Vector((0..<n).map { Double($0) * 0.37 - 2.9 }), xv = Vector(xs.array)
        var ss = rule.makeState(dimension: n), sv = rule.makeState(dimension: n)
        var rng = SeededGenerator(seed: 7)
        let g = Vector(count: n)
        for t in 1...40 {
            for i in 0..<n { g[i] = rng.nextNormal() * (i == 3 ? 0 : 1) + (i == 5 ? 1e-300 : 0) }
            let c = rule.advance(&ss, to: t)
            _ = rule.advance(&sv, to: t)
            for i in 0..<n { rule.apply(xs, gradient: g.pointer + i, state: ss.vectors, scalars: c, range: i..<(i + 1)) }
            rule.apply(xv, gradient: g.pointer, state: sv.vectors, scalars: c, range: 0..<n)
        }
        #expect(xs.array.map(\.bitPattern) == xv.array.map(\.bitPattern))
        #expect(ss.storage.array.map(\.bitPattern) == sv.storage.array.map(\.bitPattern))
        #expect(xs.array != (0..<n).map { Double($0) * 0.37 - 2.9 })
    }

    @Test("tiled, fused and blocked runs equal the plain loop bit for bit, for every rule", arguments: specs)
    func fastPaths(spec: String) throws {
        try fastPaths(Self.rule(spec))
    }

    @Test("a plugin rule reaches the fused and blocked loops with the plain loop's bits")
    func pluginFastPaths() throws {
        try fastPaths(SignDescent(lr: 1e-3))
    }

    func fastPaths(_ rule: any UpdateRule) throws {
        let problems: [any Problem] = [
            try Quadratic(dimension: 2_053, conditionNumber: 1e2, rotated: false, linearTerm: .ones, seed: 0),  // fused
            try Quadratic(dimension: 1_029, conditionNumber: 50, rotated: false, seed: 3),  // buffered
            ExtendedRosenbrock(dimension: 2_050),  // buffered
        ]
        let options = RunOptions(maxIterations: 130, tolerance: 0, logEvery: 10, patience: 1_000_000)
        func opaque<P: Problem>(_ p: P) -> any Problem { WithoutFastPaths(p) }
        func bits(_ r: RunResult) -> [[UInt64]] {
            // ‖∇f‖ is left out: without the problem's fused norm the plain loop sums it in another order.
            [r.finalPoint.map(\.bitPattern), r.trace.map { $0.value.bitPattern }, r.trace.map { ($0.stepNorm ?? -1).bitPattern }]
        }
        var finite = 0
        for p in problems {
            let plain = Harness.run(problem: opaque(p), optimizer: rule, optimalValue: nil, options: options)
            let tiled = Harness.run(problem: p, optimizer: rule, optimalValue: nil, options: options)
            #expect(bits(tiled) == bits(plain))
            // Blocks run between checks; a diverging run would stop at different iterates.
            guard plain.status == .maxIterations else { continue }
            var sparse = options
            sparse.checkEvery = 10
            let blocked = Harness.run(problem: p, optimizer: rule, optimalValue: nil, options: sparse)
            #expect(bits(blocked) == bits(plain))
            #expect(plain.finalPoint != p.initialPoint())
            finite += 1
        }
        #expect(finite >= 1, "every problem diverged: nothing compared")
    }

    @Test("lanes start at the rule's values; scalars are computed in order from the previous ones")
    func stateAndScalars() throws {
        var adagrad = Adagrad()
        adagrad.initialAccumulator = 0.25
        let state = adagrad.makeState(dimension: 5)
        #expect(state.storage.array == [Double](repeating: 0.25, count: 5))
        // NAdam's Π_t is a running product: the scalars of t = 3 depend on those of t = 1 and 2.
        let nadam = NAdam()
        var s = nadam.makeState(dimension: 1)
        let products = (1...3).map { nadam.advance(&s, to: $0).muProduct }
        let mu = { (t: Double) in 0.9 * (1 - 0.5 * pow(0.96, t * 4e-3)) }
        #expect(products == [mu(1), mu(1) * mu(2), mu(1) * mu(2) * mu(3)])
    }

    @Test("Coordinates operations: the same bits for one coordinate and eight (sqrt, |x|, sign, max, min, lerp)")
    func laneOperations() {
        let a = SIMD8<Double>(-0.0, 2, -3.5, .leastNonzeroMagnitude, 1e300, -.infinity, 0.1, 7)
        let b = SIMD8<Double>(0.0, -2, -3.5, 1, 1e-300, 5, 0.3, .nan)
        let roots = SIMD8<Double>(lanes: 0).replacing(with: a.magnitude, where: SIMD8<Double>(lanes: 0) .< a.magnitude).squareRoot()
        for k in 0..<8 {
            #expect(roots[k].bitPattern == a[k].magnitude.squareRoot().bitPattern)
            #expect(a.magnitude[k].bitPattern == a[k].magnitude.bitPattern)
            #expect(a.signum()[k].bitPattern == a[k].signum().bitPattern)
            #expect(SIMD8<Double>.max(a, b)[k].bitPattern == Double.max(a[k], b[k]).bitPattern)
            #expect(SIMD8<Double>.min(a, b)[k].bitPattern == Double.min(a[k], b[k]).bitPattern)
            #expect(SIMD8<Double>.lerp(a, b, 0.3)[k].bitPattern == Double.lerp(a[k], b[k], 0.3).bitPattern)
            #expect(SIMD8<Double>.lerp(a, b, 0.7)[k].bitPattern == Double.lerp(a[k], b[k], 0.7).bitPattern)
        }
        #expect(Double.max(1, 2) == Swift.max(1.0, 2.0) && Double.min(1, 2) == Swift.min(1.0, 2.0))
        #expect(Double.max(3, .nan) == 3 && Double.min(3, .nan) == 3)
        #expect((-2.5).signum() == -1 && 0.0.signum() == 0 && 3.0.signum() == 1)
    }

    /// Dividends, eight at a time: random significands and signs with exponents in −430…430 (the
    /// multiplication path takes 2⁻⁴⁰⁰…2⁴⁰⁰); one group in sixteen entirely tiny (2⁻¹⁰⁷⁴…2⁻⁹⁰⁰, where
    /// remainders underflow) and one entirely huge (2⁹⁰⁰…2¹⁰²³, where a·(1/b) overflows); and in every
    /// fourth group one edge (±0, subnormals, 2^±400 and their neighbours, the largest finite, ±∞,
    /// NaN). A group with any of those must go to the divider.
    static func dividends(_ rng: inout SeededGenerator, groups: Int) -> [Double] {
        let edges: [Double] = [0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude, 0x1p-400, 0x1p-400.nextDown,
                               0x1p-400.nextUp, 0x1p400, 0x1p400.nextUp, 0x1p400.nextDown, .greatestFiniteMagnitude,
                               .infinity, -.infinity, .nan, 1, 0x1.fffffffffffffp0, -0x1p-400, -0x1p400]
        var out: [Double] = []
        for group in 0..<groups {
            let exponents = group % 16 == 1 ? -1074...(-900) : group % 16 == 3 ? 900...1023 : -430...430
            for _ in 0..<8 {
                let significand = 1 + Double(rng.next() >> 12) * 0x1p-52
                let exponent = exponents.lowerBound + Int(rng.next() % UInt64(exponents.count))
                out.append((rng.next() & 1 == 0 ? 1 : -1) * Foundation.scalbn(significand, exponent))
            }
            if group % 4 == 0 { out[out.count - 1 - Int(rng.next() % 8)] = edges[(group / 4) % edges.count] }
        }
        return out
    }

    @Test("quotient by a known divisor: the division's bits for every dividend, divisor and lane")
    func quotientByKnownDivisor() {
        var rng = SeededGenerator(seed: 11)
        let a = Self.dividends(&rng, groups: 5000)
        // NAdam's 1 − β₂ᵗ, divisors whose significand is all ones or all zeros, negative ones, ones outside 2^±500.
        var divisors = [1.0, 0.5, 1e-3, 1 - 0.999, 1 - pow(0.999, 7), 0x1.fffffffffffffp-1, 0x1.fffffffffffffp-20, 3,
                        -7.25, -0x1p-3, 0x1p-60, 0x1p-500, 0x1p-501, 0x1p500, 0x1p501, .leastNormalMagnitude / 64, 1e300, .infinity]
        for _ in 0..<40 { divisors.append(Foundation.scalbn(1 + Double(rng.next() >> 12) * 0x1p-52, Int(rng.next() % 60) - 40)) }
        var mismatches = 0, scalarMismatches = 0, productMisses = 0
        for b in divisors {
            let y = 1 / b
            for start in stride(from: 0, to: a.count, by: 8) {
                let v = SIMD8<Double>(a[start..<(start + 8)])
                let q = v.quotient(dividingBy: b, reciprocal: y)
                for k in 0..<8 {
                    let exact = (v[k] / b).bitPattern
                    if q[k].bitPattern != exact { mismatches += 1 }
                    if v[k].quotient(dividingBy: b, reciprocal: y).bitPattern != exact { scalarMismatches += 1 }
                    if (v[k] * y).bitPattern != exact { productMisses += 1 }
                }
            }
        }
        #expect(mismatches == 0 && scalarMismatches == 0)
        // The data are hard enough: the plain product a·(1/b) misses the quotient often.
        #expect(productMisses > 100_000)
    }
}
