@testable import DescentCore
import DescentOptimizers
import DescentProblems
import Testing

/// SGD that records which of its loops the harness called: the fused step (with an affine
/// gradient), the step of a range (tiled), or the whole-vector step (plain, stochastic).
private struct TracedSGD: ElementwiseRule {
    final class Calls: @unchecked Sendable { var fused = 0, ranges = 0, whole = 0 }
    let inner = SGD(lr: 1e-3)
    let calls = Calls()
    func scalars(iteration: Int, previous: Bool?) -> Bool { inner.scalars(iteration: iteration, previous: previous) }
    func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars: Bool) -> V {
        inner.update(x, gradient: g, state: s, scalars: scalars)
    }
    func step(_ x: Vector, gradient: Vector, state: inout ElementwiseState<Bool>, iteration: Int) {
        calls.whole += 1
        inner.apply(x, gradient: gradient.pointer, state: state.vectors, scalars: advance(&state, to: iteration), range: 0..<x.count)
    }
    func apply(_ x: Vector, gradient: UnsafePointer<Double>, state: StateVectors, scalars: Bool, range: Range<Int>) {
        calls.ranges += 1
        inner.apply(x, gradient: gradient, state: state, scalars: scalars, range: range)
    }
    func apply(_ x: Vector, affineGradient: AffineGradient, state: StateVectors, scalars: Bool, range: Range<Int>,
               sums: UnsafeMutablePointer<VectorMath.Sums>?) {
        calls.fused += 1
        inner.apply(x, affineGradient: affineGradient, state: state, scalars: scalars, range: range, sums: sums)
    }

    /// The loop the calls show.
    var taken: String {
        switch (calls.fused > 0, calls.ranges > 0, calls.whole > 0) {
        case (true, false, false): return "fused"
        case (false, true, false): return "tiled"
        case (false, false, true): return "whole-vector"
        default: return "mixed: \(calls.fused) fused, \(calls.ranges) ranges, \(calls.whole) whole"
        }
    }
}

@Suite("Which loop a run takes: Harness.loop names the loop the run then calls")
struct RunLoopTests {
    static let options = RunOptions(maxIterations: 20, tolerance: 0, patience: 1_000)

    @Test("fused, tiled, plain and stochastic, with and without blocks")
    func predictedLoopIsTaken() throws {
        let diagonal = try Quadratic(dimension: 100, conditionNumber: 10, rotated: false, linearTerm: .ones, seed: 0)
        let gaussianB = try Quadratic(dimension: 100, conditionNumber: 10, rotated: false, linearTerm: .gaussian, seed: 0)
        let rotated = try Quadratic(dimension: 20, conditionNumber: 10, rotated: true, seed: 0)
        let logistic = LogisticRegression(samples: 64, features: 4, regularization: 1e-3, noise: 0.1, seed: 0)
        var blocks = Self.options
        blocks.checkEvery = 5
        var batches = Self.options
        batches.batchSize = 8
        let cases: [(any Problem, RunOptions, RunLoop, String)] = [
            (diagonal, Self.options, .fused, "fused"),
            (diagonal, blocks, .fusedBlocked, "fused"),
            (gaussianB, Self.options, .tiled, "tiled"),
            (gaussianB, blocks, .tiledBlocked, "tiled"),
            (ExtendedRosenbrock(dimension: 64), Self.options, .tiled, "tiled"),
            (rotated, Self.options, .plain, "whole-vector"),
            (rotated, blocks, .plain, "whole-vector"),
            (logistic, Self.options, .plain, "whole-vector"),
            (logistic, batches, .stochastic, "whole-vector"),
        ]
        for (problem, options, expected, calls) in cases {
            let rule = TracedSGD()
            #expect(Harness.loop(problem: problem, optimizer: rule, options: options) == expected)
            _ = Harness.run(problem: problem, optimizer: rule, optimalValue: nil, options: options)
            #expect(rule.taken == calls, "\(type(of: problem)) under \(expected.rawValue)")
        }
    }

    @Test("a rule that is not elementwise runs plain; a solver its own iterations")
    func notElementwise() throws {
        let diagonal = try Quadratic(dimension: 100, conditionNumber: 10, rotated: false, linearTerm: .ones, seed: 0)
        let registry = Registry(problems: [], optimizers: BuiltinOptimizers.all, modifiers: BuiltinOptimizers.modifiers)
        let elementwise = try registry.selectOptimizers(["adam"])[0]
        let global = try registry.selectOptimizers(["adafactor"])[0]
        let lbfgs = try registry.selectOptimizers(["lbfgs"])[0]
        #expect(Harness.loop(problem: diagonal, method: elementwise.method, options: Self.options) == .fused)
        #expect(Harness.loop(problem: diagonal, method: global.method, options: Self.options) == .plain)
        #expect(Harness.loop(problem: diagonal, method: lbfgs.method, options: Self.options) == .solver)
    }

    @Test("every loop has a distinct name and an explanation")
    func names() {
        #expect(Set(RunLoop.allCases.map(\.rawValue)).count == RunLoop.allCases.count)
        #expect(RunLoop.allCases.allSatisfy { !$0.explanation.isEmpty })
    }
}
