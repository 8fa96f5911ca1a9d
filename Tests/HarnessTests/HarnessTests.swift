@testable import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Testing

@Suite("Harness loop and termination")
struct HarnessTests {
    @Test("converged: stops at the first iterate with f − f* ≤ tolerance")
    func converged() {
        // GD with α = 0.1 on θ² from 4: f_k = 16·0.64^k ≤ 1e-8 first at k = 48.
        let r = Harness.run(problem: Parabola(), optimizer: SGD(lr: 0.1), optimalValue: 0,
                            options: RunOptions(tolerance: 1e-8))
        #expect(r.status == .converged)
        #expect(r.iterations == 48)
        #expect(r.gradientEvaluations == 49)
        #expect(r.finalValue <= 1e-8)
        #expect(r.trace.first?.iteration == 0 && r.trace.last?.iteration == 48)
    }

    @Test("without f*, the target is on ‖∇f‖")
    func gradientTarget() {
        let r = Harness.run(problem: Parabola(), optimizer: SGD(lr: 0.1), optimalValue: nil,
                            options: RunOptions(tolerance: 1e-3))
        #expect(r.status == .converged)
        #expect(r.gradientNorm <= 1e-3)
        #expect(r.suboptimality == nil)
        // |∇f| = 8·0.8^k ≤ 1e-3 first at k = 41.
        #expect(r.iterations == 41)
    }

    @Test("max_iterations: --tolerance 0 with --log-every 1 gives one row per step")
    func maxIterations() {
        let r = Harness.run(problem: Parabola(), optimizer: SGD(lr: 0.1), optimalValue: 0,
                            options: RunOptions(maxIterations: 7, tolerance: 0, logEvery: 1))
        #expect(r.status == .maxIterations)
        #expect(r.iterations == 7)
        #expect(r.trace.map(\.iteration) == Array(0...7))
        #expect(r.trace[1].value == 3.2 * 3.2 || Swift.abs(r.trace[1].value - 10.24) < 1e-13)
        #expect(r.trace[0].stepNorm == nil)
        #expect(Swift.abs(r.trace[1].stepNorm! - 0.8) < 1e-15)
    }

    @Test("diverged: an exploding f is a result with its iteration, never a crash")
    func divergedExploding() {
        // α = 10 on θ²: θ_{k+1} = −19 θ_k; f_k = 16·361^k passes 16 + 1e10·16 at k = 4.
        let r = Harness.run(problem: Parabola(), optimizer: SGD(lr: 10), optimalValue: 0)
        #expect(r.status == .diverged)
        #expect(r.iterations == 4)
        #expect(r.statusDescription == "diverged at iteration 4")
    }

    @Test("diverged: NaN from the problem is caught at the iteration it appears")
    func divergedNaN() {
        // θ: 4, 3.2, 2.56, 2.048, 1.6384 < 2 at k = 4.
        let r = Harness.run(problem: PoisonedParabola(threshold: 2), optimizer: SGD(lr: 0.1), optimalValue: 0)
        #expect(r.status == .diverged)
        #expect(r.iterations == 4)
        #expect(r.trace.last?.value.isNaN == true)
    }

    @Test("stalled: no new best f for `patience` iterations")
    func stalled() {
        // lr = 1e-300: x never changes, so f never improves after iteration 0.
        let r = Harness.run(problem: Parabola(), optimizer: SGD(lr: 1e-300), optimalValue: 0,
                            options: RunOptions(patience: 25))
        #expect(r.status == .stalled)
        #expect(r.iterations == 25)
    }

    @Test("the trace logs every k-th iterate plus the last, and step norms only where kept")
    func logging() {
        let r = Harness.run(problem: Parabola(), optimizer: SGD(lr: 0.01), optimalValue: 0,
                            options: RunOptions(maxIterations: 23, tolerance: 0, logEvery: 5))
        #expect(r.trace.map(\.iteration) == [0, 5, 10, 15, 20, 23])
        #expect(r.trace.dropFirst().allSatisfy { $0.stepNorm != nil })
        #expect(r.trace.map(\.gradientEvaluations) == [1, 6, 11, 16, 21, 24])
        #expect(zip(r.trace, r.trace.dropFirst()).allSatisfy { $0.time <= $1.time })
    }

    @Test("two runs of the same configuration agree in everything but time")
    func deterministic() throws {
        let p = LogisticRegression(samples: 60, features: 4, regularization: 0.1, noise: 0.1, seed: 3)
        let a = Harness.run(problem: p, optimizer: Adam(lr: 0.05), optimalValue: nil, options: RunOptions(maxIterations: 300))
        let b = Harness.run(problem: p, optimizer: Adam(lr: 0.05), optimalValue: nil, options: RunOptions(maxIterations: 300))
        #expect(a.finalPoint == b.finalPoint)
        let strip = { (r: RunResult) in r.trace.map { row -> TraceRow in var row = row; row.time = 0; return row } }
        #expect(strip(a) == strip(b))
    }
}

@Suite("Registry validation")
struct RegistryTests {
    @Test("the standard registry is valid and every default instance passes validation")
    func standard() throws {
        let registry = Registry(problems: BuiltinProblems.all, optimizers: BuiltinOptimizers.all)
        try registry.validate()
        #expect(try registry.selectProblems(["*"], seed: 0).count == BuiltinProblems.all.filter { !$0.isTemplate }.count)
    }

    @Test("duplicate names are refused")
    func duplicates() {
        let registry = Registry(problems: [BuiltinProblems.parabola, BuiltinProblems.parabola], optimizers: [])
        #expect(throws: SpecError.self) { try registry.validate() }
    }

    @Test("a start point with the wrong length or a non-finite value is refused")
    func badStart() {
        struct Broken: Problem {
            var start: [Double]
            var dimension: Int { 2 }
            func initialPoint() -> [Double] { start }
            func value(at x: Vector) -> Double { 0 }
            func valueAndGradient(at x: Vector, gradient: Vector) -> Double { 0 }
        }
        for start in [[1.0], [1, .nan]] {
            let entry = ProblemEntry(name: "broken", summary: "") { _, _ throws(SpecError) in Broken(start: start) }
            #expect(throws: SpecError.self) { try entry.instantiate(Spec(parsing: "broken"), seed: 0) }
        }
    }

    @Test("problem parameters: unknown names and invalid combinations are refused")
    func problemParameters() {
        let registry = Registry(problems: BuiltinProblems.all, optimizers: [])
        #expect(throws: SpecError.self) { try registry.selectProblems(["extended-rosenbrock(n=7)"], seed: 0) }
        #expect(throws: SpecError.self) { try registry.selectProblems(["quadratic(kappa=0.5)"], seed: 0) }
        #expect(throws: SpecError.self) { try registry.selectProblems(["quadratic(m=3)"], seed: 0) }
        #expect(throws: SpecError.unknownName(kind: "problem", name: "rosenbrok",
                                              valid: BuiltinProblems.all.map(\.name))) {
            try registry.selectProblems(["rosenbrok"], seed: 0)
        }
    }

    @Test("spec grammar", arguments: [
        ("adam", "adam", 0), ("adam()", "adam", 0), (" adam ( lr = 0.1 , beta1=0.9 ) ", "adam", 2), ("q-1.x(n=3)", "q-1.x", 1),
    ])
    func grammar(text: String, name: String, count: Int) throws {
        let spec = try Spec(parsing: text)
        #expect(spec.name == name && spec.arguments.count == count)
    }

    @Test("bare numbers after an argument continue its value as a list; anything else is still an error")
    func lists() throws {
        let spec = try Spec(parsing: "mlp(hidden=64, 32,16,activation=relu)")
        #expect(spec.arguments.map(\.name) == ["hidden", "activation"] && spec.arguments[0].value == "64,32,16")
        #expect(try Spec(parsing: spec.description) == spec)
        #expect(throws: SpecError.self) { try Spec(parsing: "mlp(64)") }
        #expect(throws: SpecError.self) { try Spec(parsing: "mlp(hidden=64,relu)") }
        #expect(throws: SpecError.self) { try Spec(parsing: "mlp(hidden=64,,32)") }
    }

    @Test("glob matching")
    func glob() {
        #expect(globMatches("rosen*", "rosenbrock"))
        #expect(globMatches("*rosen*", "extended-rosenbrock"))
        #expect(!globMatches("rosen?", "rosenbrock"))
        #expect(globMatches("a?am", "adam"))
    }
}

@Suite("Vector")
struct VectorTests {
    @Test("norm is accurate for ordinary, huge, tiny and non-finite vectors")
    func norm() {
        #expect(Vector([3, 4]).norm() == 5)
        #expect(Swift.abs(Vector([3e200, 4e200]).norm() / 5e200 - 1) < 1e-15)
        #expect(Swift.abs(Vector([3e-200, 4e-200]).norm() / 5e-200 - 1) < 1e-15)
        #expect(Vector([0, 0]).norm() == 0)
        #expect(Vector([1, .infinity]).norm() == .infinity)
        #expect(Vector([1, .nan]).norm().isNaN)
        #expect(Vector([]).norm() == 0)
    }
}
