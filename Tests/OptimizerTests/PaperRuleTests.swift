import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Testing

// Methods from recent papers, against their papers' pseudo-code: the first step is worked in the
// comment, later steps are the same formula in 40-digit arithmetic (mpmath). f = θ² (∇f = 2θ).
// scripts/compare_with_pytorch.py also replays each against the authors' package (lion-pytorch,
// adabelief-pytorch, torch-optimizer's Yogi): bit-identical over 300 steps.
@Suite("Lion, AdaBelief and Yogi against their papers' algorithms")
struct PaperRuleTests {
    @Test("Lion: a step of exactly lr in the direction of sign(β₁m + (1 − β₁)g), decoupled decay first")
    func lion() {
        // θ₀ = 4, lr = 0.5, λ = 0.1: c = 0.1·8 > 0, θ = 4(1 − 0.05) − 0.5 = 3.3; m = 0.01·8 = 0.08.
        var l = Lion()
        l.lr = 0.5; l.weightDecay = 0.1
        expectClose(iterates(l, on: Parabola(), steps: 3).map { $0[0] }, [3.3, 2.635, 2.00325], relative: 1e-14)
        // From θ₀ = 1 without decay, the momentum (β₂ = 0.99) keeps the sign after the minimum is
        // crossed, so θ oscillates around 0 on the grid of lr: 0.5, 0, −0.5, 0, −0.5, 0, −0.5, 0, 0.5, …
        l.weightDecay = 0
        let xs = iterates(l, on: Parabola(start: 1), steps: 12).map { $0[0] }
        #expect(xs == [0.5, 0, -0.5, 0, -0.5, 0, -0.5, 0, 0.5, 0, -0.5, 0])
    }

    @Test("AdaBelief: the belief s = β₂s + (1 − β₂)(g − m)² + ε in Adam's denominator")
    func adabelief() {
        // t=1: m = 0.8, s = 0.001·7.2² + 1e-16, √s/√0.001 = 7.2, θ = 4 − (0.1/0.1)·0.8/7.2 = 3.8888…
        var a = AdaBelief()
        a.lr = 0.1
        expectClose(iterates(a, on: Parabola(), steps: 3).map { $0[0] },
                    [3.888888888888888997599, 3.77219730638405132934, 3.649974090560905462645], relative: 1e-14)
    }

    @Test("Yogi: v moves by (1 − β₂)d² towards d², additively; m and v start at 1e-6")
    func yogi() {
        // t=1: m = 0.9e-6 + 0.8, v = 1e-6 + 0.001·64 (sign(v − d²) = −1), θ = 4 − 0.8000009/(√0.064001/√0.001 + 1e-3)
        var y = Yogi()
        y.lr = 0.1
        expectClose(iterates(y, on: Parabola(), steps: 3).map { $0[0] },
                    [3.900013166998206718521, 3.800125753834725001358, 3.700390159968969504264], relative: 1e-14)
    }

    @Test("Polyak's step size: γ = (f − f*)/‖∇f‖² from the certified f*; full batch, no modifiers, skipped without f*")
    func polyak() throws {
        // θ²: γ = θ²/(2θ)² = ¼, θ ← θ − ¼·2θ = θ/2: 4 → 2 → 1 → 0.5.
        // ½(x₁² + 10x₂²) from (1, −2): f = 20.5, ∇f = (1, −20), ‖∇f‖² = 401, x = (1 − 20.5/401, −2 + 20·20.5/401).
        func point(_ p: some Problem, steps: Int, scale: Double = 1) -> [Double] {
            var rule = Polyak()
            rule.scale = scale
            return Harness.run(problem: p, optimizer: rule, optimalValue: 0,
                               options: RunOptions(maxIterations: steps, tolerance: 0)).finalPoint
        }
        #expect((1...3).map { point(Parabola(), steps: $0)[0] } == [2, 1, 0.5])
        expectClose(point(quadratic2D, steps: 1), [1 - 20.5 / 401, -2 + 20 * 20.5 / 401], relative: 1e-15)
        #expect(point(Parabola(), steps: 1, scale: 0.5) == [3])
        // At the minimizer ∇f = 0: no step (not 0/0).
        #expect(point(Parabola(start: 0), steps: 3) == [0])
        #expect(Harness.unfitReason(problem: Parabola(), requirements: Polyak.requirements, options: RunOptions(),
                                    hasOptimalValue: false) == "needs the certified f*; the problem has none")
        let registry = Registry(problems: [], optimizers: BuiltinOptimizers.all, modifiers: BuiltinOptimizers.modifiers)
        #expect(throws: SpecError.self) { try registry.selectOptimizers(["polyak + clip(norm=1)"]) }
    }
}
