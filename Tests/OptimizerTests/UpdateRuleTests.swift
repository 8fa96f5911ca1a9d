import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Testing

/// The built-in optimizers and modifiers, for building optimizers from specs as `suite` does.
let builtins = Registry(problems: [], optimizers: BuiltinOptimizers.all, modifiers: BuiltinOptimizers.modifiers)

/// Runs `steps` steps of `optimizer` on `problem` and returns x after each step.
func iterates<O: UpdateRule>(_ optimizer: O, on problem: some Problem, steps: Int) -> [[Double]] {
    let x = Vector(problem.initialPoint()), g = Vector(count: problem.dimension)
    var state = optimizer.makeState(dimension: problem.dimension)
    var out: [[Double]] = []
    for t in 1...steps {
        _ = problem.valueAndGradient(at: x, gradient: g)
        optimizer.step(x, gradient: g, state: &state, iteration: t)
        out.append(x.array)
    }
    return out
}


@Suite("Update rules against iterates derived by hand")
struct UpdateRuleTests {
    @Test("gradient descent on θ², α = 0.1, θ₀ = 4: 3.2, 2.56, 2.048 (the tutorial example)")
    func parabolaWorkedExample() {
        // θ_{k+1} = θ_k − α·2θ_k = 0.8 θ_k.
        let xs = iterates(SGD(lr: 0.1), on: Parabola(), steps: 3)
        #expect(xs.map { $0[0] } == [4 - 0.1 * 8, 3.2 - 0.1 * 6.4, 2.56 - 0.1 * 5.12])
        expectClose(xs.map { $0[0] }, [3.2, 2.56, 2.048], relative: 1e-15)
    }

    @Test("gradient descent with weight decay adds wd·x to the gradient")
    func gradientDescentWeightDecay() {
        // d = 2θ + 0.5θ = 2.5θ; θ ← θ − 0.1·2.5θ = 0.75θ: 3, 2.25, 1.6875.
        let xs = iterates(SGD(lr: 0.1, weightDecay: 0.5), on: Parabola(), steps: 3)
        expectClose(xs.map { $0[0] }, [3, 2.25, 1.6875], relative: 1e-15)
    }

    @Test("heavy-ball momentum: first buffer is the gradient, then b ← μb + g")
    func momentumDefaults() {
        // f = θ², θ₀ = 4, lr = 0.1, μ = 0.9:
        // t=1: g = 8,    b = 8 (PyTorch seeds the buffer with g),   θ = 4 − 0.8 = 3.2
        // t=2: g = 6.4,  b = 0.9·8 + 6.4 = 13.6,                    θ = 3.2 − 1.36 = 1.84
        // t=3: g = 3.68, b = 0.9·13.6 + 3.68 = 15.92,               θ = 1.84 − 1.592 = 0.248
        let xs = iterates(SGD(lr: 0.1, momentum: 0.9), on: Parabola(), steps: 3)
        expectClose(xs.map { $0[0] }, [3.2, 1.84, 0.248], relative: 1e-14)
    }

    @Test("momentum with dampening and weight decay")
    func momentumNonDefault() {
        // f = θ², θ₀ = 4, lr = 0.1, μ = 0.5, τ = 0.5, wd = 1 ⇒ d = 2θ + θ = 3θ.
        // t=1: d = 12,     b = 12 (no dampening on the first step),  θ = 4 − 1.2 = 2.8
        // t=2: d = 8.4,    b = 0.5·12 + 0.5·8.4 = 10.2,              θ = 2.8 − 1.02 = 1.78
        // t=3: d = 5.34,   b = 0.5·10.2 + 0.5·5.34 = 7.77,           θ = 1.78 − 0.777 = 1.003
        let xs = iterates(SGD(lr: 0.1, momentum: 0.5, dampening: 0.5, weightDecay: 1), on: Parabola(), steps: 3)
        expectClose(xs.map { $0[0] }, [2.8, 1.78, 1.003], relative: 1e-14)
    }

    @Test("Adam with defaults: first three iterates on θ² from 4, lr = 0.1")
    func adamDefaults() {
        // m_t = 0.9 m + 0.1 g;  v_t = 0.999 v + 0.001 g²;  m̂ = m/(1 − 0.9^t);  v̂ = v/(1 − 0.999^t)
        // θ ← θ − 0.1 · m̂ / (√v̂ + 1e-8)
        // t=1: g = 8, m = 0.8, v = 0.064, m̂ = 8, v̂ = 64,
        //      θ = 4 − 0.1·8/(8 + 1e-8) = 3.900000000125 (to 13 digits)
        // t=2: g = 7.80000000025, m = 1.500000000025, v = 0.1247760000039,
        //      m̂ = 1.500000000025/0.19 = 7.894736842236842, v̂ = 0.1247760000039/0.001999 = 62.41920960675338,
        //      θ = 3.900000000125 − 0.1·7.894736842236842/(7.900583...+1e-8) = 3.8000739950802714
        // t=3: g = 7.600147990160543, m = 2.110014799038554, v = 0.18241347347623744,
        //      m̂ = m/0.271 = 7.786032468776953, v̂ = v/0.002997001 = 60.86533620650692,
        //      θ = 3.7002738443431906
        // (each line evaluated in 40-digit decimal arithmetic from the formula above)
        let xs = iterates(Adam(lr: 0.1), on: Parabola(), steps: 3)
        expectClose(xs.map { $0[0] }, [3.9000000001249999998, 3.8000739950802713794, 3.7002738443431906039], relative: 1e-14)
    }

    @Test("Adam with β₁ = 0.8, β₂ = 0.99, ε = 1e-6, weight decay 0.1 in two dimensions")
    func adamNonDefault() {
        // f = ½(x₁² + 10 x₂²) from (1, −2); d = ∇f + 0.1x = (1.1 x₁, 10.1 x₂).
        // t=1: d = (1.1, −20.2), m = 0.2d = (0.22, −4.04), v = 0.01d² = (0.0121, 4.0804),
        //      m̂ = d, v̂ = d², x = x − 0.05·d/(|d| + 1e-6) = (0.95000004545450413, −1.9500000024752474)
        // t=2: d = (1.04500004999995, −19.695000025), m = (0.38500000999999, −7.1710000050),
        //      v = (0.022899251045, 7.9185262598475), x = (0.90015250453425, −1.9000711525903679)
        // t=3: x = (0.85056835733385827, −1.8502625175965533)
        let problem = DiagonalQuadratic(curvatures: [1, 10], start: [1, -2])
        let adam = Adam(lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1)
        let xs = iterates(adam, on: problem, steps: 3)
        expectClose(xs[0], [0.95000004545450413227, -1.9500000024752474022], relative: 1e-14)
        expectClose(xs[1], [0.90015250453424996038, -1.9000711525903678646], relative: 1e-14)
        expectClose(xs[2], [0.85056835733385826676, -1.8502625175965533187], relative: 1e-14)
    }

    @Test("GD with step 1/L on a quadratic meets the (1 − 1/κ)^(2k) bound")
    func gradientDescentRate() throws {
        let q = try Quadratic(dimension: 10, conditionNumber: 50, seed: 2)
        let fStar = try #require(q.analyticOptimum).value
        let gd = SGD(lr: 1 / q.smoothness)
        let x = Vector(q.initialPoint()), g = Vector(count: 10)
        let gap0 = q.value(at: x) - fStar
        var state = gd.makeState(dimension: 10)
        for k in 1...200 {
            _ = q.valueAndGradient(at: x, gradient: g)
            gd.step(x, gradient: g, state: &state, iteration: k)
            let bound = _powTest(1 - 1 / 50.0, 2 * Double(k)) * gap0
            #expect(q.value(at: x) - fStar <= bound * (1 + 1e-12) + 1e-15, "k = \(k)")
        }
    }
}

@Suite("Hyperparameters from the command line")
struct HyperparameterTests {
    let registry = builtins

    @Test("a spec sets the stored properties and the label lists non-defaults in declaration order")
    func configure() throws {
        let c = try #require(try registry.selectOptimizers(["adam(beta1=0.8, lr=0.01)"]).first)
        let adam = try #require(c.rule as? Adam)
        #expect(adam.lr == 0.01 && adam.beta1 == 0.8 && adam.beta2 == 0.999)
        #expect(c.label == "adam(lr=0.01,beta1=0.8)")
        // Restating a default does not change the label.
        #expect(try registry.selectOptimizers(["adam(lr=0.001)"]).first?.label == "adam")
    }

    @Test("PyTorch's defaults")
    func defaults() {
        let adam = Adam()
        #expect(adam.lr == 1e-3 && adam.beta1 == 0.9 && adam.beta2 == 0.999 && adam.eps == 1e-8 && adam.weightDecay == 0)
        #expect(SGD().lr == 1e-3 && SGD().momentum == 0 && SGD().dampening == 0 && !SGD().nesterov)
    }

    @Test("an unknown hyperparameter names the valid ones")
    func unknownParameter() {
        #expect(throws: SpecError.unknownParameter(owner: "adam", parameter: "beta3",
                                                   valid: ["lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad",
                                                           "decoupled_weight_decay", "eps_root", "convention"])) {
            try registry.selectOptimizers(["adam(beta3=0.1)"])
        }
        let message = "\(SpecError.unknownParameter(owner: "adam", parameter: "beta3", valid: ["lr", "beta1", "beta2"]))"
        #expect(message.contains("did you mean 'beta1'") || message.contains("did you mean 'beta2'"))
    }

    @Test("out-of-range and malformed values are refused with the valid range", arguments: [
        ("adam(lr=-1)", "lr must be a number > 0, got '-1'"),
        ("adam(beta1=1)", "beta1 must be a number in [0, 1), got '1'"),
        ("momentum(lr=abc)", "lr must be a number > 0, got 'abc'"),
        ("sgd(nesterov=true)", "Nesterov momentum requires momentum > 0"),
        ("rmsprop(convention=keras)", "convention must be one of pytorch, optax, got 'keras'"),
        ("adam(eps_root=1e-8)", "eps_root belongs to the optax convention"),
        ("gd(lr=nan)", "lr must be a number > 0, got 'nan'"),
        ("adam(lr)", "expected key=value"),
        ("adam(lr=0.1", "missing ')'"),
    ])
    func badValues(spec: String, fragment: String) {
        do {
            _ = try registry.selectOptimizers([spec])
            Issue.record("\(spec) was accepted")
        } catch {
            #expect("\(error)".contains(fragment), "\(error)")
        }
    }

    @Test("globs select in registry order")
    func globs() throws {
        #expect(try registry.selectOptimizers(["*"]).map(\.label) == BuiltinOptimizers.all.filter { $0.aliasOf == nil }.map(\.name))
        #expect(try registry.selectOptimizers(["ada*"]).map(\.label) == ["adagrad", "adadelta", "adam", "adamw", "adamax", "adafactor", "adabelief"])
    }
}

#if canImport(Glibc)
import Glibc
func _powTest(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#endif

/// `iterates` for a type-erased rule (a chain from the registry).
func iterates(_ rule: any UpdateRule, on problem: some Problem, steps: Int) -> [[Double]] {
    func open<R: UpdateRule>(_ r: R) -> [[Double]] { iterates(r, on: problem, steps: steps) }
    return open(rule)
}
