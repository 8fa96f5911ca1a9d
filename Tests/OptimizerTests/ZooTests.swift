import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Testing

// Each expectation below is the formula in the optimizer's doc comment applied by hand: the
// first step is worked in the comment; steps 2 and 3 are the same formula evaluated in 40-digit
// decimal arithmetic (mpmath), independently of the Swift code. f = θ² from θ₀ = 4 (∇f = 2θ) or
// f = ½(x₁² + 10x₂²) from (1, −2) (∇f = (x₁, 10x₂)).
let quadratic2D = DiagonalQuadratic(curvatures: [1, 10], start: [1, -2])

@Suite("Optimizer zoo: first three iterates against the formulas")
struct ZooTests {
    @Test("SGD with Nesterov momentum")
    func nesterov() {
        // t=1: g = 8, b = 8, d = g + μb = 15.2, θ = 4 − 1.52 = 2.48
        // t=2: g = 4.96, b = 0.9·8 + 4.96 = 12.16, d = 4.96 + 10.944 = 15.904, θ = 0.8896
        // t=3: g = 1.7792, b = 12.7232, d = 13.23008, θ = −0.433408
        let xs = iterates(SGD(lr: 0.1, momentum: 0.9, nesterov: true), on: Parabola(), steps: 3)
        expectClose(xs.map { $0[0] }, [2.48, 0.8896, -0.433408], relative: 1e-14)
    }

    @Test("AdaGrad with defaults")
    func adagradDefaults() {
        // t=1: s = 64, θ = 4 − 0.01·8/(8 + 1e-10) = 3.990000000000125
        let xs = iterates(Adagrad(), on: Parabola(), steps: 3)
        expectClose(xs.map { $0[0] }, [3.990000000000125, 3.982937787616628713777, 3.977175926891496077607], relative: 1e-14)
    }

    @Test("AdaGrad with lr decay, initial accumulator and weight decay")
    func adagradNonDefault() {
        // lr = 0.5, lr_decay = 0.1, s₀ = 0.5, λ = 0.1: d = (1.1, −20.2), s = 0.5 + d² = (1.71, 408.54),
        // x = x − 0.5·d/√s = (1 − 0.55/1.30767, −2 + 10.1/20.2124) = (0.57940, −1.50031)
        var a = Adagrad()
        a.lr = 0.5; a.lrDecay = 0.1; a.initialAccumulator = 0.5; a.weightDecay = 0.1
        let xs = iterates(a, on: quadratic2D, steps: 3)
        expectClose(xs[0], [0.5794044879361338385244, -1.500306061267883067644], relative: 1e-14)
        expectClose(xs[1], [0.3802580123280263693506, -1.227650054852957296539], relative: 1e-14)
        expectClose(xs[2], [0.2651167018773217405684, -1.044059595863039617935], relative: 1e-14)
    }

    @Test("RMSprop with defaults")
    func rmspropDefaults() {
        // t=1: s = 0.01·64 = 0.64, θ = 4 − 0.01·8/(0.8 + 1e-8) = 3.90000000125
        let xs = iterates(RMSprop(), on: Parabola(), steps: 3)
        expectClose(xs.map { $0[0] }, [3.900000001249999984375, 3.830010354599013920211, 3.773173312837854868639], relative: 1e-14)
    }

    @Test("RMSprop centered with momentum and weight decay")
    func rmspropCentered() {
        // α = 0.9, lr = 0.05, μ = 0.5, λ = 0.1: d = (1.1, −20.2), s = 0.1d² = (0.121, 40.804),
        // a = 0.1d = (0.11, −2.02), r = √(s − a²) = (0.33, 6.06), b = d/(r + ε) ≈ (10/3, −10/3),
        // x = x − 0.05b = (0.8333333, −1.8333333)
        var r = RMSprop()
        r.lr = 0.05; r.alpha = 0.9; r.momentum = 0.5; r.weightDecay = 0.1; r.centered = true
        let xs = iterates(r, on: quadratic2D, steps: 3)
        expectClose(xs[0], [0.8333333383838382307928, -1.83333333360836083563], relative: 1e-14)
        expectClose(xs[1], [0.6341698597348625437215, -1.627951235547692349428], relative: 1e-14)
        expectClose(xs[2], [0.4484712055911237022644, -1.424424767691086235976], relative: 1e-14)
    }

    @Test("RMSprop, optax convention: ε inside the square root")
    func rmspropOptax() {
        // α = 0.9, lr = 0.05, ε = 1e-3, centered: r = √(s − a² + ε) = (√0.1099, √36.7246),
        // x = x − 0.05·d/r = (1 − 0.055/0.331512, −2 + 1.01/6.06007) = (0.834252, −1.833336)
        var r = RMSprop()
        r.lr = 0.05; r.alpha = 0.9; r.eps = 1e-3; r.centered = true; r.convention = .optax
        let xs = iterates(r, on: quadratic2D, steps: 3)
        expectClose(xs[0], [0.8342516139670510320191, -1.833335648099923955806], relative: 1e-14)
        expectClose(xs[1], [0.7187929885060333243052, -1.71128788439189230513], relative: 1e-14)
        expectClose(xs[2], [0.6241944911513622447956, -1.606850073479810505922], relative: 1e-14)
    }

    @Test("Adadelta with defaults")
    func adadeltaDefaults() {
        // t=1: s = 0.1·64 = 6.4, δ = √(0 + 1e-6)/√(6.4 + 1e-6)·8 = 0.0031623, θ = 4 − δ = 3.9968377
        let xs = iterates(Adadelta(), on: Parabola(), steps: 3)
        expectClose(xs.map { $0[0] }, [3.996837722586884533917, 3.993594510157325946467, 3.990296616621784329558], relative: 1e-14)
    }

    @Test("Adadelta with lr, ρ, ε and weight decay")
    func adadeltaNonDefault() {
        // lr = 0.5, ρ = 0.8, ε = 1e-3, λ = 0.1: d = (1.1, −20.2), s = 0.2d², δ = √ε/√(s + ε)·d,
        // x = x − 0.5δ = (1 − 0.5·0.0705650, −2 + 0.5·0.0707102) = (0.964717, −1.964645)
        var a = Adadelta()
        a.lr = 0.5; a.rho = 0.8; a.eps = 1e-3; a.weightDecay = 0.1
        let xs = iterates(a, on: quadratic2D, steps: 3)
        expectClose(xs[0], [0.9647174835495228699467, -1.964644877555551908533], relative: 1e-14)
        expectClose(xs[1], [0.9281330215589449611013, -1.927674480028654071867], relative: 1e-14)
        expectClose(xs[2], [0.8910895842969772443069, -1.889789348443011601816], relative: 1e-14)
    }

    @Test("AMSGrad, PyTorch convention: maximum of the raw v")
    func amsgradPyTorch() {
        // t=1 equals Adam: x = x − 0.1·d/(|d| + 1e-8) = (0.900000001, −1.90000000005)
        let xs = iterates(Adam(lr: 0.1, amsgrad: true), on: quadratic2D, steps: 3)
        expectClose(xs[0], [0.90000000099999999, -1.900000000049999999975], relative: 1e-14)
        expectClose(xs[1], [0.8004122297123373911055, -1.800166485711387068713], relative: 1e-14)
        expectClose(xs[2], [0.7015862745044142142349, -1.700623391433945489695], relative: 1e-14)
    }

    @Test("AMSGrad, optax convention: maximum of the bias-corrected v̂ (differs from step 2 on)")
    func amsgradOptax() {
        let xs = iterates(Adam(lr: 0.1, amsgrad: true, convention: .optax), on: quadratic2D, steps: 3)
        expectClose(xs[0], [0.90000000099999999, -1.900000000049999999975], relative: 1e-14)
        expectClose(xs[1], [0.8052631597894736657895, -1.802631579044736842057], relative: 1e-14)
        expectClose(xs[2], [0.7157700551239075295378, -1.707933579477884055087], relative: 1e-14)
    }

    @Test("Adam, optax convention with eps_root inside the square root")
    func adamOptaxEpsRoot() {
        // t=1: m̂ = d, v̂ = d², u = d/(√(d² + 1e-4) + 1e-8): x₁ = 1 − 0.1/(√1.0001 + 1e-8) = 0.90000500
        var a = Adam(lr: 0.1, convention: .optax)
        a.epsRoot = 1e-4
        let xs = iterates(a, on: quadratic2D, steps: 3)
        expectClose(xs[0], [0.9000050006249312472664, -1.900000012549997643725], relative: 1e-14)
        expectClose(xs[1], [0.8004227023319020919661, -1.800166511304903865641], relative: 1e-14)
        expectClose(xs[2], [0.7016027049184986753661, -1.700623430715506544143], relative: 1e-14)
    }

    @Test("AdamW: decoupled weight decay, both conventions", arguments: [Convention.pytorch, .optax])
    func adamw(convention: Convention) {
        // lr = 0.1, λ = 0.5: x ← x(1 − 0.05) = (0.95, −1.9), then the Adam step with d = ∇f at the old x:
        // x = (0.95 − 0.1, −1.9 + 0.1) = (0.850000001, −1.80000000005)
        let a = Adam(lr: 0.1, weightDecay: 0.5, decoupledWeightDecay: true, convention: convention)
        let xs = iterates(a, on: quadratic2D, steps: 3)
        expectClose(xs[0], [0.85000000099999999, -1.800000000049999999975], relative: 1e-14)
        expectClose(xs[1], [0.7082484443656516789432, -1.610412227770945924434], relative: 1e-14)
        expectClose(xs[2], [0.574973932253245387622, -1.431025243070567228439], relative: 1e-14)
    }

    @Test("NAdam with defaults")
    func nadamDefaults() {
        // t=1: μ₁ = 0.9(1 − ½·0.96^0.004), μ₂ = 0.9(1 − ½·0.96^0.008), Π₁ = μ₁, m = 0.8, v = 0.064,
        // D = √(v/0.001) + 1e-8 = 8, θ = 4 − 0.002(1 − μ₁)/(1 − μ₁)·8/8 − 0.002μ₂/(1 − μ₁μ₂)·0.8/8
        //   = 4 − 0.002 − 0.000112904 = 3.9978871
        let xs = iterates(NAdam(), on: Parabola(), steps: 3)
        expectClose(xs.map { $0[0] }, [3.997887096445930352974, 3.996320094537392144297, 3.994856197405835350701], relative: 1e-14)
    }

    @Test("NAdam with coupled and with decoupled weight decay")
    func nadamWeightDecay() {
        var coupled = NAdam()
        coupled.lr = 0.1; coupled.weightDecay = 0.2
        let c = iterates(coupled, on: quadratic2D, steps: 3)
        expectClose(c[0], [0.894354823044837651205, -1.894354822216248028433], relative: 1e-14)
        expectClose(c[2], [0.7527292672038841390203, -1.747508500761678339153], relative: 1e-14)
        var decoupled = coupled
        decoupled.momentumDecay = 0.1; decoupled.decoupledWeightDecay = true
        let d = iterates(decoupled, on: quadratic2D, steps: 3)
        expectClose(d[0], [0.8742937545302516806943, -1.854293753526042349234], relative: 1e-14)
        expectClose(d[1], [0.7833476243888736985635, -1.741611818952295898919], relative: 1e-14)
        expectClose(d[2], [0.7020615930665137320952, -1.637927543233314784822], relative: 1e-14)
    }

    @Test("aliases carry their defaults and labels")
    func aliases() throws {
        let registry = Registry(problems: [], optimizers: BuiltinOptimizers.all)
        let w = try #require(try registry.selectOptimizers(["adamw"]).first)
        let adamw = try #require(w.rule as? Adam)
        #expect(adamw.decoupledWeightDecay && adamw.weightDecay == 1e-2 && w.label == "adamw")
        let n = try #require(try registry.selectOptimizers(["nesterov(lr=0.1)"]).first)
        #expect((n.rule as? SGD)?.nesterov == true && n.label == "nesterov(lr=0.1)")
        #expect((try registry.selectOptimizers(["amsgrad"]).first?.rule as? Adam)?.amsgrad == true)
    }
}

@Suite("Learning-rate schedules against their closed forms")
struct ScheduleTests {
    @Test("step decay γ^⌊k/s⌋")
    func step() {
        var s = StepSchedule(); s.stepSize = 3; s.gamma = 0.5
        #expect([0, 2, 3, 5, 6, 7].map(s.factor) == [1, 1, 0.5, 0.5, 0.25, 0.25])
    }

    @Test("exponential γᵏ and 1/t")
    func exponentialAndInverse() {
        var e = ExponentialSchedule(); e.gamma = 0.9
        #expect(Swift.abs(e.factor(afterSteps: 2) - 0.81) < 1e-15)
        #expect(e.factor(afterSteps: 0) == 1)
        var i = InverseTimeSchedule(); i.decay = 0.5
        #expect(i.factor(afterSteps: 4) == 1.0 / 3)
    }

    @Test("cosine: 1 at k = 0, midpoint halfway, min_factor from T on")
    func cosine() {
        var c = CosineSchedule(); c.steps = 10; c.minFactor = 0.1
        #expect(c.factor(afterSteps: 0) == 1)
        #expect(Swift.abs(c.factor(afterSteps: 5) - 0.55) < 1e-15)
        #expect(Swift.abs(c.factor(afterSteps: 10) - 0.1) < 1e-15)
        #expect(c.factor(afterSteps: 20) == c.factor(afterSteps: 10))
        // k = 2.5 of 10 would be 0.1 + 0.9·(1 + cos(π/4))/2; check k = 3: 0.1 + 0.45(1 + cos(0.3π))
        #expect(Swift.abs(c.factor(afterSteps: 3) - (0.1 + 0.45 * (1 + 0.5877852522924731))) < 1e-15)
    }

    @Test("linear warmup then cosine")
    func warmupCosine() {
        var w = WarmupCosineSchedule(); w.warmup = 4; w.steps = 12
        #expect([0, 2, 4].map(w.factor) == [0, 0.5, 1])
        #expect(Swift.abs(w.factor(afterSteps: 8) - 0.5) < 1e-15)
        #expect(Swift.abs(w.factor(afterSteps: 12)) < 1e-15 && Swift.abs(w.factor(afterSteps: 30)) < 1e-15)
    }
}

@Suite("Chains of modifiers")
struct ChainTests {
    let registry = builtins

    func chain(_ text: String) throws -> ConfiguredOptimizer {
        try #require(try registry.selectOptimizers([text]).first)
    }

    func run(_ text: String, on problem: some Problem, steps: Int) throws -> [[Double]] {
        try iterates(#require(chain(text).rule), on: problem, steps: steps)
    }

    @Test("the label lists every term; '+' inside values is not a separator")
    func label() throws {
        #expect(try chain("adam(lr=0.01) + clip(norm=2) + cosine(steps=1e+2)").label
            == "adam(lr=0.01) + clip(norm=2) + cosine(steps=100)")
    }

    @Test("a step schedule scales the learning rate from the step after k = step_size")
    func stepSchedule() throws {
        // lr = 0.1, 0.1, 0.05: θ = 3.2, 2.56, 2.56 − 0.05·5.12 = 2.304
        let xs = try run("gd(lr=0.1) + step(step_size=2,gamma=0.5)", on: Parabola(), steps: 3)
        expectClose(xs.map { $0[0] }, [3.2, 2.56, 2.304], relative: 1e-15)
    }

    @Test("clip by global norm and by value")
    func clipping() throws {
        // ‖g‖ = 8 > 1 ⇒ g = 1: θ = 3.9, 3.8, 3.7
        expectClose(try run("gd(lr=0.1) + clip(norm=1)", on: Parabola(), steps: 3).map { $0[0] }, [3.9, 3.8, 3.7],
                    relative: 1e-15)
        // g = (1, −20) → (0.5, −0.5): x = (0.95, −1.95)
        expectClose(try run("gd(lr=0.1) + clip_value(value=0.5)", on: quadratic2D, steps: 1)[0], [0.95, -1.95],
                    relative: 1e-15)
    }

    @Test("l2 as a modifier equals the optimizer's own weight_decay, bit for bit")
    func l2() throws {
        #expect(try run("gd(lr=0.1) + l2(weight_decay=0.5)", on: quadratic2D, steps: 5)
            == run("gd(lr=0.1,weight_decay=0.5)", on: quadratic2D, steps: 5))
    }

    @Test("adam + decoupled_weight_decay equals adamw, bit for bit")
    func decoupled() throws {
        #expect(try run("adam(lr=0.1) + decoupled_weight_decay(weight_decay=0.5)", on: quadratic2D, steps: 5)
            == run("adamw(lr=0.1,weight_decay=0.5)", on: quadratic2D, steps: 5))
    }

    @Test("a schedule on an optimizer without a learning rate is refused")
    func noLearningRate() {
        let plain = Registry(problems: [], optimizers: [OptimizerEntry(NoLearningRate.self)],
                             modifiers: BuiltinOptimizers.modifiers)
        #expect(throws: SpecError.self) { try plain.selectOptimizers(["fixedstep + cosine(steps=10)"]) }
        #expect(throws: Never.self) { try plain.selectOptimizers(["fixedstep + clip(norm=1)"]) }
    }
}

/// An optimizer with no learning rate (steps of fixed length 0.1 along −g/‖g‖).
struct NoLearningRate: Optimizer {
    static let name = "fixedstep"
    static let summary = "normalized steps of length 0.1"
    static var hyperparameters: [Hyperparameter<Self>] { [] }
    func makeState(dimension: Int) {}
    func step(_ x: Vector, gradient g: Vector, state: inout Void, iteration: Int) {
        let n = g.norm()
        for i in 0..<x.count { x[i] -= 0.1 * g[i] / n }
    }
}
