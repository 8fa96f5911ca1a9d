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

    @Test("NAG and heavy ball take their constants from μ and L: step 1/L or 4/(√L + √μ)², β from √κ")
    func theoryTuned() throws {
        // ½(x₁² + 10x₂²): μ = 1, L = 10, √κ = √10. NAG: β = (√10 − 1)/(√10 + 1) = 0.5195…, step 0.1;
        // t=1: b = g = (1, −20), x = x − 0.1(g + βb) = (1 − 0.1(1 + β), −2 + 2(1 + β)).
        let c = Curvature(strongConvexity: 1, smoothness: 10)
        let beta = (10.0.squareRoot() - 1) / (10.0.squareRoot() + 1)
        func run(_ rule: TheoryTuned, steps: Int) -> RunResult {
            var options = RunOptions(maxIterations: steps, tolerance: 0)
            options.curvature = c
            return Harness.run(problem: quadratic2D, optimizer: rule, optimalValue: 0, options: options)
        }
        let nag = TheoryTuned()
        #expect(nag.constants(c) == (0.1, beta))
        expectClose(run(nag, steps: 1).finalPoint, [1 - 0.1 * (1 + beta), -2 + 2 * (1 + beta)], relative: 1e-15)
        // Heavy ball: α = 4/(√10 + 1)², β² ; t=1: x = x − αg.
        var heavy = TheoryTuned()
        heavy.method = .heavyBall
        let alpha = 4 / ((10.0.squareRoot() + 1) * (10.0.squareRoot() + 1))
        #expect(heavy.constants(c) == (alpha, beta * beta))
        expectClose(run(heavy, steps: 1).finalPoint, [1 - alpha, -2 + 20 * alpha], relative: 1e-15)
        // t=2 by the formula: b = β²·g₁ + g₂, x₂ = x₁ − αb.
        let x1 = [1 - alpha, -2 + 20 * alpha], g2 = [x1[0], 10 * x1[1]], b = [beta * beta * 1 + g2[0], beta * beta * -20 + g2[1]]
        expectClose(run(heavy, steps: 2).finalPoint, [x1[0] - alpha * b[0], x1[1] - alpha * b[1]], relative: 1e-14)
        // Accelerated: to 1e-10 in far fewer steps than gradient descent with step 1/L.
        var options = RunOptions(maxIterations: 5000, tolerance: 1e-10)
        options.curvature = c
        let fast = Harness.run(problem: quadratic2D, optimizer: heavy, optimalValue: 0, options: options)
        let slow = Harness.run(problem: quadratic2D, optimizer: SGD(lr: 0.1), optimalValue: 0, options: options)
        #expect(fast.status == .converged && slow.status == .converged && fast.iterations * 2 < slow.iterations)
        #expect(Harness.unfitReason(problem: ExtendedRosenbrock(dimension: 2), requirements: TheoryTuned.requirements, options: RunOptions()) != nil)
    }
}
