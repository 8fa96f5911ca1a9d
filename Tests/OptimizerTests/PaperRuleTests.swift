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
                                    hasOptimalValue: false) == .needsOptimalValue)
        #expect(throws: SpecError.self) { try builtins.selectOptimizers(["polyak + clip(norm=1)"]) }
    }

    @Test("NAG and heavy ball take their constants from μ and L: step 1/L or 4/(√L + √μ)², β from √κ")
    func theoryTuned() throws {
        // ½(x₁² + 10x₂²): μ = 1, L = 10, √κ = √10. NAG: β = (√10 − 1)/(√10 + 1) = 0.5195…, step 0.1;
        // t=1: b = g = (1, −20), x = x − 0.1(g + βb) = (1 − 0.1(1 + β), −2 + 2(1 + β)).
        let c = Curvature(strongConvexity: 1, smoothness: 10)
        let beta = (10.0.squareRoot() - 1) / (10.0.squareRoot() + 1)
        func run(_ rule: AcceleratedMomentum, steps: Int) -> RunResult {
            var options = RunOptions(maxIterations: steps, tolerance: 0)
            options.curvature = c
            return Harness.run(problem: quadratic2D, optimizer: rule, optimalValue: 0, options: options)
        }
        let nag = AcceleratedMomentum()
        #expect(nag.constants(c) == (0.1, beta))
        expectClose(run(nag, steps: 1).finalPoint, [1 - 0.1 * (1 + beta), -2 + 2 * (1 + beta)], relative: 1e-15)
        // Heavy ball: α = 4/(√10 + 1)², β² ; t=1: x = x − αg.
        var heavy = AcceleratedMomentum()
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
        #expect(Harness.unfitReason(problem: ExtendedRosenbrock(dimension: 2), requirements: AcceleratedMomentum.requirements, options: RunOptions()) != nil)
    }

    @Test("schedule-free SGD: gradients at y = βx + (1 − β)z, the average x reported (rows, final point), in both loops")
    func scheduleFree() {
        // lr = 0.1, β = 0.9 on θ² from 4. t=1: z = 4 − 0.1·8 = 3.2, c = 1, x = 3.2, y = 3.2.
        // t=2: g = 6.4 at y, z = 2.56, c = ½, x = 2.88, y = 0.9·2.88 + 0.1·2.56 = 2.848.
        // t=3: g = 5.696, z = 1.9904, c = ⅓, x = 2.88·⅔ + 1.9904/3 = 2.583466…, y = 2.52416.
        var rule = ScheduleFreeSGD()
        rule.lr = 0.1
        func run(_ steps: Int, batch: Int? = nil) -> RunResult {
            Harness.run(problem: Parabola(), optimizer: rule, optimalValue: 0,
                        options: RunOptions(maxIterations: steps, tolerance: 0, logEvery: 1))
        }
        let x3 = 2.88 * (2.0 / 3) + 1.9904 / 3
        expectClose((1...3).map { run($0).finalPoint[0] }, [3.2, 2.88, x3], relative: 1e-15)
        expectClose(run(3).trace.map(\.value), [16, 3.2 * 3.2, 2.88 * 2.88, x3 * x3], relative: 1e-15)
        // The gradient point is y, not x: the run from the reported x would differ.
        #expect(run(3).gradientEvaluations == 4)
        // Mini-batch runs report x too (monitoring evaluations at logged iterates): replayed by hand,
        // batches in row order, the final point is the state's x, not the gradient point y.
        let p = LogisticRegression(samples: 64, features: 3, regularization: 0.1, noise: 0.1, seed: 2)
        var options = RunOptions(maxIterations: 20, tolerance: 0, logEvery: 5, batchSize: 16)
        options.shuffle = false
        let sgd = Harness.run(problem: p, optimizer: rule, optimalValue: nil, options: options)
        let y = Vector(p.initialPoint()), g = Vector(count: 3)
        var state = rule.makeState(dimension: 3)
        for t in 1...20 {
            _ = p.batchValueAndGradient(at: y, batch: Array(((t - 1) % 4 * 16)..<((t - 1) % 4 * 16 + 16))[...], gradient: g)
            rule.step(y, gradient: g, state: &state, iteration: t)
        }
        let x = (0..<3).map { state.vectors[1][$0] }
        #expect(sgd.finalPoint == x && x != y.array)
        #expect(sgd.trace.last.map { $0.value.bitPattern } == p.value(at: Vector(x)).bitPattern)
        #expect(sgd.iterations == 20 && sgd.status == .maxIterations)
    }

    @Test("schedule-free AdamW: Adam's normalized step on z, x the average of z, reported")
    func scheduleFreeAdamW() {
        // lr = 0.1 on θ² from 4. t=1: v = 0.001·64, √(v/0.001) = 8, z = 4 − 0.1·8/(8 + 1e-8), c = 1: x = z = 3.900000000125.
        var rule = ScheduleFreeAdamW()
        rule.lr = 0.1
        let xs = (1...3).map {
            Harness.run(problem: Parabola(), optimizer: rule, optimalValue: 0, options: RunOptions(maxIterations: $0, tolerance: 0))
                .finalPoint[0]
        }
        expectClose(xs, [3.900000000124999999844, 3.850636553632144623717, 3.801444656437930200749], relative: 1e-14)
    }
}

// The parameter-free methods against their papers' algorithms as the authors' packages order them
// (prodigyopt 1.1, dadaptation 3.2); later steps in 40-digit arithmetic (mpmath). f = θ², θ₀ = 4.
// scripts/compare_with_pytorch.py replays each against the package itself.
@Suite("Prodigy and D-Adaptation against their algorithms")
struct ParameterFreeTests {
    func run(_ spec: String, steps: Int) throws -> [Double] {
        let c = try #require(try builtins.selectOptimizers([spec]).first)
        return iterates(try #require(c.rule), on: Parabola(), steps: steps).map { $0[0] }
    }

    @Test("Prodigy: d stays d₀ at step 1 (x = x₀), then d = r/‖s‖₁ from gᵀ(x₀ − x)")
    func prodigy() throws {
        // t=1: dlr = 1e-6, m = 1e-6·0.1·8, v = 1e-12·0.001·64, s = 8e-6, r = 0: d = d₀;
        // θ = 4 − 1e-6·8e-7/(√6.4e-14 + 1e-14) = 3.99999683772246...; t=2: r = 1e-6·g·(4 − θ₁) > 0, d = r/s, and from t=3 d_max.
        expectClose(try run("prodigy", steps: 3), [3.999996837722464831616, 3.999992588131052298691, 3.999984826464972089123],
                    relative: 1e-15)
    }

    @Test("D-Adaptation (Adam): the numerator weighs gᵀ(s/(√v + ε)) by dlr; m carries dlr")
    func dadaptAdam() throws {
        // t=1: s = 0 so r = 0 and d = d₀: m = 1e-6·0.1·8, v = 0.001·64, θ = 4 − 8e-8/(√0.064 + 1e-8) (= Prodigy's first step).
        expectClose(try run("dadapt-adam", steps: 3), [3.999996837722464831616, 3.999992588130983207006, 3.999960575413303786428],
                    relative: 1e-15)
    }

    @Test("D-Adaptation (SGD): dual averaging z = x₀ − s with step d·lr/‖g₀‖, d ← max(d, 2r/‖s‖)")
    func dadaptSGD() throws {
        // lr = 1e5: dlr = 1e-6·1e5/8 = 0.0125, s = 0.1, θ₁ = 3.9; t=2: r = 0.0125·7.8·0.1, s = 0.1975,
        // d = 2r/s = 0.0987…, θ₂ = 4 − 0.1975; t=3 takes the grown d: dlr = 0.0987·1e5/8, and overshoots.
        expectClose(try run("dadapt-sgd(lr=100000)", steps: 3), [3.9, 3.8025, -9382.115221518987341772], relative: 1e-14)
    }

    @Test("bad hyperparameters are refused", arguments: ["prodigy(beta3=1)", "prodigy(beta3=-0.5)", "prodigy(d0=0)",
                                                         "prodigy(growth_rate=0.5)", "dadapt-adam(beta2=1)", "dadapt-sgd(momentum=1)"])
    func refused(spec: String) {
        #expect(throws: SpecError.self) { try builtins.selectOptimizers([spec]) }
    }
}
