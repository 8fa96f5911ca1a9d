@testable import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Testing

let smallLogistic = LogisticRegression(samples: 50, features: 3, regularization: 0.1, noise: 0.1, seed: 8)

@Suite("Stochastic sampling mode")
struct StochasticTests {
    func run(batch: Int, seed: UInt64, steps: Int = 40, logEvery: Int = 1) -> RunResult {
        Harness.run(problem: smallLogistic, optimizer: SGD(lr: 0.5), optimalValue: nil,
                    options: RunOptions(maxIterations: steps, tolerance: 0, logEvery: logEvery, batchSize: batch,
                                        samplingSeed: seed))
    }

    @Test("the same seed reproduces the run; another seed gives another")
    func reproducible() {
        let a = run(batch: 5, seed: 1), b = run(batch: 5, seed: 1), c = run(batch: 5, seed: 2)
        #expect(a.finalPoint == b.finalPoint)
        #expect(a.trace.map(\.value) == b.trace.map(\.value))
        #expect(a.finalPoint != c.finalPoint)
    }

    @Test("work is counted in sample gradients and epochs; the last batch of an epoch is smaller")
    func workCounters() {
        // m = 50, B = 7: an epoch is 7 batches of 7 and one of 1.
        let r = run(batch: 7, seed: 3, steps: 16)
        #expect(r.gradientEvaluations == 16)
        #expect(r.trace[8].sampleGradients == 50 && r.trace[8].epochs == 1)
        #expect(r.trace[16].sampleGradients == 100 && r.trace[16].epochs == 2)
        #expect(r.trace[3].sampleGradients == 21)
    }

    @Test("every epoch visits every sample exactly once")
    func permutation() {
        var order = Array(0..<50)
        var rng = SeededGenerator(seed: 4)
        for _ in 0..<3 {
            Harness.shuffle(&order, &rng)
            #expect(order.sorted() == Array(0..<50))
        }
        #expect(order != Array(0..<50))
    }

    @Test("a full-size batch is gradient descent (up to summation order)")
    func fullBatch() {
        let stochastic = run(batch: 50, seed: 5, steps: 20)
        let full = Harness.run(problem: smallLogistic, optimizer: SGD(lr: 0.5), optimalValue: nil,
                               options: RunOptions(maxIterations: 20, tolerance: 0, logEvery: 1))
        expectClose(stochastic.finalPoint, full.finalPoint, relative: 1e-13)
        // Full batch also evaluates ∇f at the last iterate (to test the stopping rules): one gradient more.
        #expect(full.sampleGradients == stochastic.sampleGradients + 50)
    }

    @Test("the mini-batch gradient agrees with finite differences of the mini-batch loss")
    func batchGradient() {
        let batch = [3, 17, 17, 42, 0][...]
        let x = [0.3, -0.2, 0.9]
        let g = Vector(count: 3)
        _ = smallLogistic.batchValueAndGradient(at: Vector(x), batch: batch, gradient: g)
        let fd = (0..<3).map { i -> Double in
            var up = x, down = x
            let h = 1e-6
            up[i] += h; down[i] -= h
            let scratch = Vector(count: 3)
            return (smallLogistic.batchValueAndGradient(at: Vector(up), batch: batch, gradient: scratch)
                - smallLogistic.batchValueAndGradient(at: Vector(down), batch: batch, gradient: scratch)) / (2 * h)
        }
        #expect(FiniteDifferences.relativeError(fd, g.array) < 1e-8)
    }

    @Test("the gradient-only mini-batch pass writes the same bits and says when the loss may not be finite")
    func gradientOnly() {
        let batch = [3, 17, 17, 42, 0][...]
        for w in [[0.3, -0.2, 0.9], [-40, 25, 3], [1e303, 0, 0], [.nan, 0, 0]] {
            let full = Vector(count: 3), alone = Vector(count: 3)
            let f = smallLogistic.batchValueAndGradient(at: Vector(w), batch: batch, gradient: full)
            let finite = smallLogistic.batchGradient(at: Vector(w), batch: batch, gradient: alone)
            // Bit for bit, except which NaN (its sign) comes out of a NaN margin.
            #expect(zip(alone.array, full.array).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
            #expect(finite == f.isFinite, "w = \(w): f = \(f)")
        }
    }

    @Test("SGD on logistic regression gets close to f*, and the stopping rules use the full objective")
    func converges() throws {
        let r = Harness.run(problem: smallLogistic, optimizer: SGD(lr: 0.2), optimalValue: nil,
                            options: RunOptions(maxIterations: 20_000, tolerance: 1e-2, logEvery: 10, batchSize: 10))
        #expect(r.status == .converged)
        #expect(r.gradientNorm <= 1e-2)
        #expect(r.iterations % 10 == 0)
    }
}

@Suite("Requirements and skipped pairs")
struct RequirementTests {
    @Test("each unfit pair gets its reason", arguments: [
        (Requirements.hessian, false, nil as Int?, UnfitReason.needsHessian),
        (Requirements.fullBatch, true, 8, .fullBatchOnly),
        (Requirements.stochastic, true, nil, .stochasticNeedsBatchSize),
        (Requirements.stochastic, false, 8, .stochasticNeedsFiniteSum),
        (Requirements(), false, 8, .batchesNeedFiniteSum),
    ])
    func reasons(requirements: Requirements, finiteSum: Bool, batch: Int?, expected: UnfitReason) throws {
        let problem: any Problem = finiteSum ? smallLogistic : PoisonedParabola(threshold: -100)
        let reason = try #require(Harness.unfitReason(problem: problem, requirements: requirements,
                                                      options: RunOptions(batchSize: batch)))
        #expect(reason == expected)
    }

    @Test("fit pairs have no reason")
    func fit() {
        #expect(Harness.unfitReason(problem: Parabola(), requirements: .hessian, options: RunOptions()) == nil)
        #expect(Harness.unfitReason(problem: smallLogistic, requirements: .stochastic, options: RunOptions(batchSize: 4)) == nil)
        #expect(Harness.unfitReason(problem: smallLogistic, requirements: [], options: RunOptions()) == nil)
    }
}

/// A finite sum whose mini-batch gradient becomes NaN once w₀ passes 1 (the full objective stays finite).
struct PoisonedFiniteSum: FiniteSumProblem {
    var dimension: Int { 1 }
    var sampleCount: Int { 10 }
    func initialPoint() -> [Double] { [0] }
    func value(at x: Vector) -> Double { (x[0] - 2) * (x[0] - 2) }
    func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        g[0] = 2 * (x[0] - 2)
        return value(at: x)
    }
    func batchValueAndGradient(at x: Vector, batch: ArraySlice<Int>, gradient g: Vector) -> Double {
        let f = valueAndGradient(at: x, gradient: g)
        if x[0] > 1 { g[0] = .nan }
        return f
    }
}

@Suite("Stochastic faults")
struct StochasticFaultTests {
    @Test("a non-finite mini-batch gradient ends the run as diverged at that step")
    func nanBatch() {
        // w: 0 → 0.4 → 0.72 → 0.976 → 1.1808: the batch at iterate 4 is NaN.
        let r = Harness.run(problem: PoisonedFiniteSum(), optimizer: SGD(lr: 0.1), optimalValue: 0,
                            options: RunOptions(maxIterations: 100, tolerance: 0, logEvery: 1, batchSize: 2))
        #expect(r.status == .diverged)
        #expect(r.iterations == 4)
    }
}
