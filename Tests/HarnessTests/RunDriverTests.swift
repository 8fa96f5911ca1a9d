@testable import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Testing

/// A separable problem as a finite sum of one sample: a mini-batch is the whole sum, so the
/// stochastic strategy steps from the same gradients as the full-batch ones, and the tiled
/// strategy applies (the problem's separability is forwarded).
private struct OneSample: AffineGradientProblem, FiniteSumProblem {
    let inner: Quadratic
    var dimension: Int { inner.dimension }
    func initialPoint() -> [Double] { inner.initialPoint() }
    func value(at x: Vector) -> Double { inner.value(at: x) }
    func valueAndGradient(at x: Vector, gradient: Vector) -> Double { inner.valueAndGradient(at: x, gradient: gradient) }
    func valueGradientAndSquaredNorm(at x: Vector, gradient: Vector) -> (value: Double, squaredNorm: Double) {
        inner.valueGradientAndSquaredNorm(at: x, gradient: gradient)
    }
    var chunkAlignment: Int { inner.chunkAlignment }
    func accumulate(at x: Vector, range: Range<Int>, gradient: UnsafeMutablePointer<Double>?, into sums: inout VectorMath.Sums) {
        inner.accumulate(at: x, range: range, gradient: gradient, into: &sums)
    }
    func gradient(at x: Vector, range: Range<Int>, into gradient: UnsafeMutablePointer<Double>) {
        inner.gradient(at: x, range: range, into: gradient)
    }
    func withAffineGradient<R>(_ body: (AffineGradient) -> R) -> R? { inner.withAffineGradient(body) }
    var sampleCount: Int { 1 }
    func batchValueAndGradient(at x: Vector, batch: ArraySlice<Int>, gradient: Vector) -> Double {
        inner.valueAndGradient(at: x, gradient: gradient)
    }
}

/// A strategy that steps nowhere and reports a scripted f at each iterate: what the loop and the
/// monitor make of it is theirs alone.
private struct Scripted: SteppingStrategy {
    let values: [Double]
    var reportsAnotherPoint: Bool { false }
    func isCheck(_ monitor: IterationMonitor) -> Bool { true }
    func valueForCheck(_ monitor: inout IterationMonitor) -> (Double, Double?) {
        monitor.g[0] = 1
        return (values[Swift.min(monitor.k, values.count - 1)], nil)
    }
    func reportedPoint(_ gradientPoint: Vector, into point: Vector) {}
    func valueAtReportedPoint(_ monitor: inout IterationMonitor) -> (Double, Double?) { (.nan, nil) }
    func step(_ monitor: inout IterationMonitor, checked: Bool) -> Bool {
        monitor.advance { $0[0] += 1 }
        monitor.countGradients(1)
        return true
    }
}

@Suite("One run loop: every strategy is checked by the same monitor")
struct RunDriverTests {
    /// What a row records from the monitor's own measures (iterate, f, f − f*, ‖∇f‖, step norm), as
    /// bits, with the work counters when `counters`: those are the strategy's (a stochastic run
    /// counts its mini-batch gradients, not the untimed monitoring evaluation at x₀).
    static func rows(_ r: RunResult, counters: Bool = true) -> [[UInt64]] {
        r.trace.map {
            [UInt64($0.iteration), $0.value.bitPattern, ($0.suboptimality ?? -1).bitPattern, $0.gradientNorm.bitPattern,
             ($0.stepNorm ?? -1).bitPattern]
                + (counters ? [UInt64($0.gradientEvaluations), UInt64($0.sampleGradients), $0.epochs.bitPattern] : [])
        }
    }

    /// Every target hit but its time, as bits (with the work counters when `counters`).
    static func hits(_ r: RunResult, counters: Bool = true) -> [[UInt64]] {
        r.hits.map {
            [$0.target.bitPattern, UInt64($0.iteration)]
                + (counters ? [UInt64($0.gradientEvaluations), UInt64($0.functionEvaluations), UInt64($0.sampleGradients),
                               $0.epochs.bitPattern] : [])
        }
    }

    @Test("plain, tiled and stochastic stepping give the same rows, target hits and stop on the same iterates",
          arguments: [1, 3])
    func sameMonitor(logEvery: Int) throws {
        let q = try Quadratic(dimension: 1_003, conditionNumber: 100, rotated: false, linearTerm: .ones, seed: 0)
        let fStar = try #require(q.analyticOptimum).value
        let problem = OneSample(inner: q)
        #expect(Harness.tiling(problem, SGD(lr: 1e-2)) != nil)
        for rule in [SGD(lr: 1e-2), Adam(lr: 1e-2)] as [any UpdateRule] {
            var options = RunOptions(maxIterations: 4_000, tolerance: 1e-7, logEvery: logEvery, patience: 1_000_000)
            let tiled = Harness.run(problem: problem, optimizer: rule, optimalValue: fStar, options: options)
            let plain = Harness.run(problem: WithoutFastPaths(problem), optimizer: rule, optimalValue: fStar, options: options)
            options.batchSize = 1
            let stochastic = Harness.run(problem: problem, optimizer: rule, optimalValue: fStar, options: options)
            #expect(tiled.hits.count >= 3, "the run reaches targets: \(tiled.hits.count)")
            #expect(plain.status == tiled.status && plain.iterations == tiled.iterations && plain.finalPoint == tiled.finalPoint)
            #expect(plain.gradientEvaluations == tiled.gradientEvaluations && plain.sampleGradients == tiled.sampleGradients)
            #expect(Self.rows(plain) == Self.rows(tiled))
            #expect(Self.hits(plain) == Self.hits(tiled))
            // Stochastic runs check at logged iterates only: with every iterate logged, they stop on the
            // same iterate with the same rows and hits; they count one gradient less (x₀'s is monitoring).
            if logEvery == 1 {
                #expect(stochastic.status == tiled.status && stochastic.iterations == tiled.iterations)
                #expect(stochastic.finalPoint == tiled.finalPoint)
                #expect(stochastic.gradientEvaluations == tiled.gradientEvaluations - 1)
                #expect(Self.rows(stochastic, counters: false) == Self.rows(tiled, counters: false))
                #expect(Self.hits(stochastic, counters: false) == Self.hits(tiled, counters: false))
            }
        }
    }

    @Test("the loop stops where the monitor says, whatever the strategy: divergence, target, budget, stalling")
    func scriptedStops() {
        let problem = Parabola()
        func run(_ values: [Double], _ options: RunOptions, fStar: Double? = 0) -> RunResult {
            var monitor = IterationMonitor(problem: problem, from: problem.initialPoint(), fStar: fStar, options: options)
            monitor.countGradients(1)
            var strategy = Scripted(values: values)
            Harness.drive(&strategy, &monitor)
            return monitor.result()
        }
        let diverged = run([1, 2, .nan], RunOptions(maxIterations: 10, tolerance: 0))
        #expect(diverged.status == .diverged && diverged.iterations == 2)
        let converged = run([1, 0.5, 1e-9], RunOptions(maxIterations: 10, tolerance: 1e-8))
        #expect(converged.status == .converged && converged.iterations == 2 && converged.gradientEvaluations == 3)
        #expect(converged.hits.map(\.iteration) == Array(repeating: 2, count: Targets.all.count))
        let budget = run([3, 2, 1], RunOptions(maxIterations: 5, tolerance: 0, logEvery: 2))
        #expect(budget.status == .maxIterations && budget.trace.map(\.iteration) == [0, 2, 4, 5])
        #expect(budget.finalPoint == [problem.initialPoint()[0] + 5])
        let stalled = run([3, 2, 2], RunOptions(maxIterations: 100, tolerance: 0, patience: 4))
        #expect(stalled.status == .stalled && stalled.iterations == 5)
    }

    @Test("the bare loop takes the run loop's steps: its f is the harness's final f, plain, tiled and blocked",
          arguments: [1, 7])
    func bareLoop(checkEvery: Int) throws {
        let q = try Quadratic(dimension: 1_003, conditionNumber: 100, rotated: false, linearTerm: .ones, seed: 0)
        let options = RunOptions(maxIterations: 50, tolerance: 0, logEvery: 50, patience: 1_000_000, checkEvery: checkEvery)
        for problem in [OneSample(inner: q), WithoutFastPaths(OneSample(inner: q))] as [any Problem] {
            for rule in [SGD(lr: 1e-2), Adam(lr: 1e-2)] as [any UpdateRule] {
                let run = Harness.run(problem: problem, optimizer: rule, optimalValue: nil, options: options)
                let bare = Harness.bareLoop(problem: problem, optimizer: rule, steps: 50, checkEvery: checkEvery)
                #expect(bare.bitPattern == run.finalValue.bitPattern)
            }
        }
        // Mini-batches in row order: the stochastic run without shuffling reaches the same point.
        let logistic = LogisticRegression(samples: 64, features: 5, regularization: 0.01, noise: 0.1, seed: 2)
        let batches = RunOptions(maxIterations: 40, tolerance: 0, logEvery: 40, patience: 1_000_000, batchSize: 8, shuffle: false)
        let run = Harness.run(problem: logistic, optimizer: Adam(lr: 1e-2), optimalValue: nil, options: batches)
        let bare = Harness.bareBatchLoop(problem: logistic, optimizer: Adam(lr: 1e-2), steps: 40, batchSize: 8)
        #expect(bare.array == run.finalPoint)
    }
}
