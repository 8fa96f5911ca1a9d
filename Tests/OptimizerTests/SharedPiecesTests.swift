import DescentCore
import DescentOptimizers
import DescentProblems
import Foundation
import Testing

@Suite("Weight decay and bias correction: one piece that rules and modifiers compose")
struct SharedPiecesTests {
    @Test("coupled decay adds λx, and adds nothing at λ = 0 (−0 and an infinite x stay as they are)")
    func coupled() {
        #expect(WeightDecay.coupled(0.5, at: 2.0, 0.25) == 0.5 + 0.25 * 2.0)
        #expect(WeightDecay.coupled(-0.0, at: .infinity, 0).bitPattern == (-0.0).bitPattern)
        let g = SIMD8<Double>(1, 2, 3, 4, -0.0, 6, 7, 8), x = SIMD8<Double>(repeating: 3)
        let eight = WeightDecay.coupled(g, at: x, 0.1)
        for k in 0..<8 { #expect(eight[k].bitPattern == WeightDecay.coupled(g[k], at: x[k], 0.1).bitPattern) }
    }

    @Test("the whole-vector forms give the elementwise bits")
    func vectors() {
        let x = Vector([0.3, -1.7, 2.5e-3, 9]), g = Vector([1, -0.0, 0.2, -4])
        let expected = (0..<4).map { WeightDecay.coupled(g[$0], at: x[$0], 0.01) }
        WeightDecay.couple(g, at: x, 0.01)
        #expect(g.array.map(\.bitPattern) == expected.map(\.bitPattern))
        let keep = WeightDecay.keep(lr: 0.1, 0.01), kept = x.array.map { $0 * keep }
        WeightDecay.decay(x, keep: keep)
        #expect(x.array.map(\.bitPattern) == kept.map(\.bitPattern) && keep == 1 - 0.1 * 0.01)
        let shrunk = x.array.map { $0 + $0 * (-0.01 * 0.3) }
        WeightDecay.shrink(x, rate: 0.01 * 0.3)
        #expect(x.array.map(\.bitPattern) == shrunk.map(\.bitPattern))
    }

    @Test("bias correction 1 − βᵗ and Adam's scalars from it")
    func biasCorrection() {
        #expect(BiasCorrection.of(0.9, step: 3) == 1 - pow(0.9, 3.0))
        let c = BiasCorrection(lr: 1e-3, beta1: 0.9, beta2: 0.999, weightDecay: 0.01, step: 7)
        #expect(c.first == 1 - pow(0.9, 7.0) && c.second == 1 - pow(0.999, 7.0))
        #expect(c.stepSize == 1e-3 / c.first && c.root2 == c.second.squareRoot() && c.keep == 1 - 1e-3 * 0.01)
        #expect(BiasCorrection(lr: 1, beta1: 0.5, beta2: 0.5, step: 1).keep == 1)
    }

    @Test("a rule's own weight decay equals the modifier's, bit for bit (coupled: l2; decoupled: decoupled_weight_decay)")
    func ruleEqualsModifier() throws {
        let problem = try Quadratic(dimension: 40, conditionNumber: 10, rotated: false, seed: 2)
        let options = RunOptions(maxIterations: 60, tolerance: 0, logEvery: 1, patience: 1_000_000)
        for (rule, chain) in [("adagrad(lr=0.1,weight_decay=0.01)", "adagrad(lr=0.1) + l2(weight_decay=0.01)"),
                              ("yogi(lr=0.01,weight_decay=0.01)", "yogi(lr=0.01) + l2(weight_decay=0.01)"),
                              ("adamw(lr=0.01,weight_decay=0.01)", "adam(lr=0.01) + decoupled_weight_decay(weight_decay=0.01)")] {
            let a = try #require(try builtins.selectOptimizers([rule]).first?.rule)
            let b = try #require(try builtins.selectOptimizers([chain]).first?.rule)
            let ra = Harness.run(problem: problem, optimizer: a, optimalValue: nil, options: options)
            let rb = Harness.run(problem: problem, optimizer: b, optimalValue: nil, options: options)
            #expect(ra.finalPoint.map(\.bitPattern) == rb.finalPoint.map(\.bitPattern), "\(rule) vs \(chain)")
        }
    }
}
