import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Testing

// The rest of torch.optim (RAdam, Adamax, ASGD, Rprop, Adafactor). As in ZooTests, the first step is worked
// in the comment; later steps are the formula in the optimizer's doc comment evaluated in 40-digit
// arithmetic (mpmath), independently of the Swift code. f = θ² from θ₀ = 4 (∇f = 2θ).
// scripts/compare_with_pytorch.py checks each against torch.optim itself (bit for bit over 300 steps).
@Suite("torch.optim's RAdam, Adamax, ASGD, Rprop and Adafactor against the formulas")
struct TorchRestTests {
    @Test("RAdam: the unadapted step while ρ_t ≤ 5, the rectified step after (β₂ = 0.9, lr = 0.1)")
    func radam() {
        // t=1: d = 8, m = 0.8, m̂ = 8, ρ∞ = 19, ρ₁ = 19 − 2·0.9/0.1 = 1 ≤ 5: θ = 4 − 0.1·8 = 3.2.
        // ρ_t passes 5 at t = 6 (5.39), where the rectification r_t and √(1 − β₂ᵗ)/(√v + ε) enter.
        var r = RAdam()
        r.lr = 0.1; r.beta2 = 0.9
        let xs = iterates(r, on: Parabola(), steps: 8).map { $0[0] }
        expectClose(xs, [3.2, 2.484210526315789473684, 1.849213439502816080792, 1.291318533240121890207,
                         0.8065918523234924630088, 0.7838945722757597391395, 0.7555114043106288105805,
                         0.7226338911576357950315], relative: 1e-14)
    }

    @Test("RAdam: decoupled weight decay scales x first; coupled adds λx to d")
    func radamDecay() {
        // t=1 (ρ₁ = 1): decoupled: θ = 4(1 − 0.1·0.5) − 0.1·8 = 3.0; coupled: d = 8 + 0.5·4 = 10, θ = 4 − 1 = 3.
        var r = RAdam()
        r.lr = 0.1; r.weightDecay = 0.5
        #expect(iterates(r, on: Parabola(), steps: 1)[0] == [3.0])
        r.decoupledWeightDecay = true
        #expect(iterates(r, on: Parabola(), steps: 1)[0] == [3.0])
        // They part at t = 2: coupled d = 2θ + λθ, decoupled d = 2θ on the decayed θ.
        r.decoupledWeightDecay = false
        let coupled = iterates(r, on: Parabola(), steps: 2)[1][0]
        r.decoupledWeightDecay = true
        #expect(coupled != iterates(r, on: Parabola(), steps: 2)[1][0])
    }

    @Test("Adamax with lr = 0.1")
    func adamax() {
        // t=1: m = 0.8, u = max(0, 8 + 1e-8), θ = 4 − (0.1/0.1)·0.8/(8 + 1e-8) = 3.900000000125
        var a = Adamax()
        a.lr = 0.1
        let xs = iterates(a, on: Parabola(), steps: 3).map { $0[0] }
        expectClose(xs, [3.900000000124999999844, 3.801217006726996733269, 3.703686092303136541071], relative: 1e-14)
    }

    @Test("ASGD: decay, η_t, and the average from t₀ on (λ = 0.5, t₀ = 1)")
    func asgd() {
        // t=1: η = lr = 0.1, θ = 4(1 − 0.5·0.1) − 0.1·8 = 3.0, a = θ (μ = 1); η₂ = 0.1/(1 + 0.05)^0.75.
        // μ = 1/max(1, t − t₀) is ½ from step 4 on, when a starts to lag behind θ.
        var a = ASGD()
        a.lr = 0.1; a.lambd = 0.5; a.t0 = 1
        let xs = iterates(a, on: Parabola(), steps: 4).map { $0[0] }
        expectClose(xs, [3.0, 2.276948403979257663755, 1.746981579012408334634, 1.353698778280595492202], relative: 1e-14)
        let x = Vector([4.0]), g = Vector(count: 1)
        var state = a.makeState(dimension: 1)
        for t in 1...4 {
            _ = Parabola().valueAndGradient(at: x, gradient: g)
            a.step(x, gradient: g, state: &state, iteration: t)
        }
        expectClose([state.vectors[0][0]], [1.550340178646501913418], relative: 1e-14)
    }

    @Test("Rprop: steps grow by η₊, a sign change shrinks by η₋ and skips the step, then resumes")
    func rprop() {
        // lr = 0.5 on θ² from 4; the gradient keeps its sign for six steps: δ = 0.5, 0.6, 0.72, 0.864,
        // 1.0368, 1.24416: θ = 3.5, 2.9, 2.18, 1.316, 0.2792, −0.96496. Step 7: g·g_prev < 0, δ = 0.62208,
        // g taken as 0: θ stays. Step 8: g_prev = 0, δ kept: θ = −0.96496 + 0.62208 = −0.34288.
        var r = Rprop()
        r.lr = 0.5
        let xs = iterates(r, on: Parabola(), steps: 8).map { $0[0] }
        expectClose(xs, [3.5, 2.9, 2.18, 1.316, 0.2792, -0.96496, -0.96496, -0.34288], relative: 1e-14)
        // The step size is clamped to [step_size_min, step_size_max].
        r.stepSizeMax = 0.55
        expectClose(iterates(r, on: Parabola(), steps: 3).map { $0[0] }, [3.5, 2.95, 2.4], relative: 1e-14)
    }

    @Test("Adafactor on a vector: relative step α = max(ε₂, RMS(x))·min(lr, 1/√t), update clipped to RMS ≤ d")
    func adafactor() {
        // t=1: β̂ = 1, so v = g² = 64, u = g/√v = 1, RMS(u) = 1; α = max(1e-3, 4)·0.01 = 0.04: θ = 3.96.
        let xs = iterates(Adafactor(), on: Parabola(), steps: 3).map { $0[0] }
        expectClose(xs, [3.96, 3.920570018986293147999, 3.881692939173408206702], relative: 1e-14)
        // Two coordinates, lr = 0.1, λ = 0.5: α = √2.5·0.1, x ← 0.95x, u = (1, −1): x = (0.95 − α, −1.9 + α).
        var a = Adafactor()
        a.lr = 0.1; a.weightDecay = 0.5
        let ys = iterates(a, on: quadratic2D, steps: 3)
        expectClose(ys[0], [0.7918861169915810334001, -1.7418861169915810334], relative: 1e-14)
        expectClose(ys[1], [0.6314263813166690091484, -1.527819924410459131491], relative: 1e-14)
        expectClose(ys[2], [0.5064955563262876886175, -1.348039072585432939865], relative: 1e-14)
    }

    @Test("bad hyperparameters are refused with the valid range", arguments: [
        "radam(beta1=1)", "radam(lr=-1)", "adamax(beta2=1.5)", "asgd(alpha=-1)", "rprop(etaminus=1.5)",
        "rprop(etaplus=0.9)", "rprop(step_size_min=1,step_size_max=0.5)", "adafactor(beta2_decay=0.5)", "adafactor(d=0.5)",
    ])
    func refused(spec: String) throws {
        // A well-formed spec of a registered optimizer: the value is what is refused.
        let name = try Spec(parsing: spec).name
        #expect(BuiltinOptimizers.all.contains { $0.name == name })
        #expect(throws: SpecError.self) { try builtins.selectOptimizers([spec]) }
    }
}
