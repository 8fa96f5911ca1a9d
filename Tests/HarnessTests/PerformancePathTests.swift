@testable import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Testing

/// SGD that records where each step of a range starts (fused with a diagonal quadratic or not).
private struct RecordingSGD: ElementwiseRule {
    final class Log: @unchecked Sendable { var starts: [Int] = [] }
    let inner = SGD(lr: 1e-3)
    let log = Log()
    func scalars(iteration: Int, previous: Bool?) -> Bool { inner.scalars(iteration: iteration, previous: previous) }
    func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars: Bool) -> V {
        inner.update(x, gradient: g, state: s, scalars: scalars)
    }
    func apply(_ x: Vector, gradient: UnsafePointer<Double>, state: StateVectors, scalars: Bool, range: Range<Int>) {
        log.starts.append(range.lowerBound)
        inner.apply(x, gradient: gradient, state: state, scalars: scalars, range: range)
    }
    func apply(_ x: Vector, affineGradient: AffineGradient, state: StateVectors, scalars: Bool, range: Range<Int>,
               sums: UnsafeMutablePointer<VectorMath.Sums>?) {
        log.starts.append(range.lowerBound)
        inner.apply(x, affineGradient: affineGradient, state: state, scalars: scalars, range: range, sums: sums)
    }
}

@Suite("Fast paths: tiled loop, fused norm, vector kernels give the plain loop's numbers bit for bit")
struct PerformancePathTests {
    static let options = RunOptions(maxIterations: 300, tolerance: 0, logEvery: 7, patience: 1_000_000)

    func expectSameRun(_ a: RunResult, _ b: RunResult) {
        #expect(a.finalPoint == b.finalPoint)
        #expect(a.finalValue.bitPattern == b.finalValue.bitPattern)
        #expect(a.gradientNorm.bitPattern == b.gradientNorm.bitPattern)
        #expect(a.trace.map(\.value) == b.trace.map(\.value))
        #expect(a.trace.map(\.gradientNorm) == b.trace.map(\.gradientNorm))
        #expect(a.trace.map { $0.stepNorm ?? -1 } == b.trace.map { $0.stepNorm ?? -1 })
        #expect(a.iterations == b.iterations && a.gradientEvaluations == b.gradientEvaluations)
    }

    @Test("diagonal quadratic (n not a multiple of the tile or of 8): SGD, momentum, Adam, AMSGrad, AdamW",
          arguments: [10_007, 13])
    func quadratic(n: Int) throws {
        let q = try Quadratic(dimension: n, conditionNumber: 1e3, rotated: false, linearTerm: .ones, seed: 0)
        let g = try Quadratic(dimension: n, conditionNumber: 50, rotated: false, seed: 3)
        let rules: [any ElementwiseRule] = [SGD(lr: 1e-3), SGD(lr: 1e-3, momentum: 0.9, nesterov: true), Adam(lr: 1e-2),
                                            Adam(lr: 1e-2, amsgrad: true), Adam(lr: 1e-2, weightDecay: 0.01, decoupledWeightDecay: true)]
        for problem in [q, g] {
            for rule in rules {
                expectSameRun(Harness.run(problem: problem, optimizer: rule, optimalValue: nil, options: Self.options),
                              Harness.run(problem: WithoutFastPaths(problem), optimizer: rule, optimalValue: nil, options: Self.options))
            }
        }
    }

    // The fused, blocked path (checkEvery > 1 on a diagonal quadratic) is compared with the plain
    // loop in `blocks(checkEvery:)`; here the plain loop and tiling through a gradient buffer.
    @Test("checkEvery: the same iterates; rows only at checked iterates; a divergence seen at a checked one")
    func checkEvery() throws {
        let q = try Quadratic(dimension: 1_003, conditionNumber: 1e2, rotated: false, linearTerm: .ones, seed: 0)
        let problems: [any Problem] = [WithoutFastPaths(q), ChainedRosenbrock(dimension: 10), ExtendedRosenbrock(dimension: 2_002)]
        for problem in problems {
            for rule in [SGD(lr: 1e-3), Adam(lr: 1e-2)] as [any UpdateRule] {
                let every = Harness.run(problem: problem, optimizer: rule, optimalValue: nil,
                                        options: RunOptions(maxIterations: 300, tolerance: 0, logEvery: 10, patience: 1_000_000))
                let sparse = Harness.run(problem: problem, optimizer: rule, optimalValue: nil,
                                         options: RunOptions(maxIterations: 300, tolerance: 0, logEvery: 10, patience: 1_000_000,
                                                             checkEvery: 5))
                #expect(sparse.finalPoint == every.finalPoint)
                #expect(sparse.finalValue.bitPattern == every.finalValue.bitPattern)
                #expect(sparse.iterations == 300 && sparse.gradientEvaluations == every.gradientEvaluations)
                #expect(sparse.trace.map(\.iteration) == every.trace.map(\.iteration))
                #expect(sparse.trace.map(\.value) == every.trace.map(\.value))
                #expect(sparse.trace.map(\.gradientNorm) == every.trace.map(\.gradientNorm))
                #expect(sparse.trace.map { $0.stepNorm ?? -1 } == every.trace.map { $0.stepNorm ?? -1 })
            }
        }
        let diverged = Harness.run(problem: q, optimizer: SGD(lr: 10), optimalValue: q.analyticOptimum!.value,
                                   options: RunOptions(maxIterations: 1000, tolerance: 0, logEvery: 5, checkEvery: 5))
        #expect(diverged.status == .diverged && diverged.iterations % 5 == 0 && diverged.iterations > 0)
    }

    @Test("checkEvery: a target is seen at the first checked iterate at or after the one that reaches it", arguments: [1, 5])
    func checkedStops(tiled: Int) throws {
        let q = try Quadratic(dimension: 1_003, conditionNumber: 1e2, rotated: false, linearTerm: .ones, seed: 0)
        let fStar = q.analyticOptimum!.value
        let target = RunOptions(maxIterations: 100_000, tolerance: 1e-6, logEvery: 7 * tiled, checkEvery: 7 * tiled)
        let converged = Harness.run(problem: q, optimizer: SGD(lr: 1e-2), optimalValue: fStar, options: RunOptions(maxIterations: 100_000, tolerance: 1e-6))
        let checked = Harness.run(problem: q, optimizer: SGD(lr: 1e-2), optimalValue: fStar, options: target)
        #expect(converged.status == .converged && checked.status == .converged)
        let step = 7 * tiled
        #expect(checked.iterations == (converged.iterations + step - 1) / step * step)
        #expect(checked.hits.map(\.iteration).allSatisfy { $0 % step == 0 })
    }

    @Test("blocks of iterations (checkEvery > 1, fused steps): chunk by chunk through many steps, the plain loop's bits",
          arguments: [5, 64, 100, 300])
    func blocks(checkEvery: Int) throws {
        // n spans several block chunks and ends ragged; 100 and 300 make blocks that end between checks.
        let q = try Quadratic(dimension: 10_007, conditionNumber: 1e3, rotated: false, linearTerm: .ones, seed: 0)
        #expect(q.dimension > 4 * Harness.blockChunkSize(q) && checkEvery <= 300)
        let rules: [any ElementwiseRule] = [SGD(lr: 1e-3), Adam(lr: 1e-2), SGD(lr: 1e-3, momentum: 0.9)]
        for rule in rules {
            let plain = Harness.run(problem: WithoutFastPaths(q), optimizer: rule, optimalValue: nil,
                                    options: RunOptions(maxIterations: 300, tolerance: 0, logEvery: 1, patience: 1_000_000))
            let blocked = Harness.run(problem: q, optimizer: rule, optimalValue: nil,
                                      options: RunOptions(maxIterations: 300, tolerance: 0, logEvery: checkEvery, patience: 1_000_000,
                                                          checkEvery: checkEvery))
            #expect(blocked.finalPoint == plain.finalPoint)
            #expect(blocked.iterations == 300 && blocked.gradientEvaluations == plain.gradientEvaluations)
            let rows = plain.trace.filter { $0.iteration % checkEvery == 0 || $0.iteration == 300 }
            #expect(blocked.trace.map(\.iteration) == rows.map(\.iteration))
            #expect(blocked.trace.map(\.value) == rows.map(\.value))
            #expect(blocked.trace.map(\.gradientNorm) == rows.map(\.gradientNorm))
            #expect(blocked.trace.map { $0.stepNorm ?? -1 } == rows.map { $0.stepNorm ?? -1 })
            #expect(Harness.bareLoop(problem: q, optimizer: rule, steps: 300, checkEvery: checkEvery).bitPattern
                    == plain.finalValue.bitPattern)
        }
        // The first chunk takes every step of the first block before the next chunk is touched.
        let recording = RecordingSGD()
        _ = Harness.run(problem: q, optimizer: recording, optimalValue: nil,
                        options: RunOptions(maxIterations: 300, tolerance: 0, logEvery: checkEvery, checkEvery: checkEvery))
        let block = min(checkEvery, Harness.blockIterations), chunk = Harness.blockChunkSize(q)
        #expect(recording.log.starts.prefix(block + 1) == ArraySlice(Array(repeating: 0, count: block) + [chunk]))
        #expect(recording.log.starts.count == 300 * ((q.dimension + chunk - 1) / chunk))
        // A cancellation during a run is seen at the next iterate, not at the next check.
        let flag = CancellationFlag()
        let cancelled = Harness.run(problem: q, optimizer: Adam(lr: 1e-2), optimalValue: nil,
                                    options: RunOptions(maxIterations: 1_000, tolerance: 0, logEvery: checkEvery, patience: 1_000_000,
                                                        checkEvery: checkEvery, cancellation: flag,
                                                        observer: RowObserver { if $0.iteration == checkEvery { flag.set() } }))
        let stopped = Harness.run(problem: q, optimizer: Adam(lr: 1e-2), optimalValue: nil,
                                  options: RunOptions(maxIterations: checkEvery + 1, tolerance: 0, patience: 1_000_000))
        #expect(cancelled.status == .interrupted && cancelled.iterations == checkEvery + 1)
        #expect(cancelled.finalPoint == stopped.finalPoint && cancelled.finalValue.bitPattern == stopped.finalValue.bitPattern)
    }

    @Test("extended Rosenbrock: Adam and GD through the tiled loop equal the untiled loop (‖∇f‖² summed by pairs in both)")
    func rosenbrock() {
        let p = ExtendedRosenbrock(dimension: 9_002)
        for rule in [Adam(lr: 1e-3), SGD(lr: 1e-4)] as [any ElementwiseRule] {
            let tiled = Harness.run(problem: p, optimizer: rule, optimalValue: 0, options: Self.options)
            expectSameRun(tiled, Harness.run(problem: WithoutTiling(p), optimizer: rule, optimalValue: 0, options: Self.options))
            // Without the fused norm the iterates are the same; only ‖∇f‖'s last bits may differ (element order).
            let plain = Harness.run(problem: WithoutFastPaths(p), optimizer: rule, optimalValue: 0, options: Self.options)
            #expect(tiled.finalPoint == plain.finalPoint && tiled.trace.map(\.value) == plain.trace.map(\.value))
            #expect(abs(tiled.gradientNorm / plain.gradientNorm - 1) < 1e-14)
        }
    }

    @Test("VectorMath: 8 lanes by index mod 8 in a fixed tree; Sums fed in pieces equal one sum; vectors equal scalars")
    func kernels() {
        var rng = SeededGenerator(seed: 5)
        let n = 1_003
        let v = (0..<n).map { _ in rng.nextNormal() * 1e3 }
        var lanes = [Double](repeating: 0, count: 8)
        for i in 0..<n { lanes[i % 8] += v[i] * v[i] }
        let byHand = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]))
        let vector = Vector(v)
        #expect(VectorMath.sum(n) { v[$0] * v[$0] } == byHand)
        #expect(vector.norm() == byHand.squareRoot())
        var pieces = VectorMath.Sums()
        for r in [0..<16, 16..<512, 512..<n] { pieces.add(r) { (v[$0], v[$0] * v[$0]) } }
        var simd = VectorMath.Sums()
        v.withUnsafeBufferPointer { p in
            let p = p.baseAddress!
            var i = 0
            while i + 8 <= n { let x = VectorMath.load(p + i); simd.add(x, x * x); i += 8 }
            let t = VectorMath.tail(n - i) { p[i + $0] }
            simd.add(t, t * t)
        }
        #expect(VectorMath.dot(vector.pointer, vector.pointer, n) == byHand)
        let roots = SIMD8<Double>(0, 2, .leastNonzeroMagnitude, 1e300, 0.5, 3, .infinity, 1234.5678)
        let vectorRoots = VectorMath.squareRoot(roots)
        #expect((0..<8).allSatisfy { vectorRoots[$0].bitPattern == roots[$0].squareRoot().bitPattern })
        #expect(pieces.totals.1 == byHand && simd.totals.1 == byHand)
        #expect(pieces.totals.0 == VectorMath.sum(n) { v[$0] } && simd.totals.0 == pieces.totals.0)
    }

    @Test("no shuffling: batches in row order every epoch")
    func noShuffle() {
        let p = LogisticRegression(samples: 300, features: 4, regularization: 1e-2, noise: 0.1, seed: 1)
        var o = RunOptions(maxIterations: 12, tolerance: 0, logEvery: 100, batchSize: 100)
        o.shuffle = false
        let r = Harness.run(problem: p, optimizer: SGD(lr: 0.1), optimalValue: nil, options: o)
        // By hand: w ← w − 0.1 ∇f_B(w) for B = rows 0–99, 100–199, 200–299, four times.
        let w = Vector(count: 4), g = Vector(count: 4)
        for k in 0..<12 {
            let start = (k % 3) * 100
            _ = p.batchValueAndGradient(at: w, batch: Array(start..<(start + 100))[...], gradient: g)
            for j in 0..<4 { w[j] -= 0.1 * g[j] }
        }
        #expect(r.finalPoint == w.array)
        o.shuffle = true
        #expect(Harness.run(problem: p, optimizer: SGD(lr: 0.1), optimalValue: nil, options: o).finalPoint != w.array)
    }
}
