import DescentCore
import DescentOptimizers
import DescentProblems
import Testing

/// An alias is a name, not a method (issue #26): `--all` runs each method once, so two registered names that
/// run the same iterates must be declared aliases, and a declared alias must run exactly its target's iterates.
@Suite("Optimizer aliases")
struct AliasTests {
    /// Each built-in optimizer's iterates after 400 steps on Rosenbrock (a non-quadratic problem, where methods differ).
    func finalPoints() throws -> [(entry: OptimizerEntry, point: [Double])] {
        let registry = Registry(problems: BuiltinProblems.all, optimizers: BuiltinOptimizers.all)
        let problem = try #require(try registry.selectProblems(["rosenbrock"], seed: 0).first).problem
        // Methods that need certified curvature bounds (heavy-ball, nag) run only on quadratics; they are theirs alone.
        return try BuiltinOptimizers.all.filter { !$0.requirements.contains(.curvature) }.map { entry in
            let spec = entry.parameters.contains { $0.name == "lr" } ? entry.name + "(lr=0.01)" : entry.name
            let o = try #require(try registry.selectOptimizers([spec]).first)
            let r = Harness.run(problem: problem, method: o.method, optimalValue: 0, options: RunOptions(maxIterations: 400, tolerance: 0))
            return (entry, r.finalPoint)
        }
    }

    @Test("a declared alias runs its target's iterates bit for bit; no two undeclared names do")
    func aliasesAreDeclared() throws {
        let runs = try finalPoints()
        for (i, a) in runs.enumerated() {
            for b in runs[(i + 1)...] {
                let declared = a.entry.aliasOf == b.entry.name || b.entry.aliasOf == a.entry.name
                #expect((a.point == b.point) == declared, "\(a.entry.name) vs \(b.entry.name): same iterates \(a.point == b.point), alias \(declared)")
            }
        }
    }

    @Test("globs and --all select each method once; the alias's own name still selects it")
    func selection() throws {
        let registry = Registry(problems: [], optimizers: BuiltinOptimizers.all)
        let all = try registry.selectOptimizers(["*"]).map(\.label)
        #expect(all.contains("gd") && !all.contains("sgd") && all.count == BuiltinOptimizers.all.count - 1)
        #expect(try registry.selectOptimizers(["sgd"]).map(\.label) == ["sgd"])
        #expect(try registry.selectOptimizers(["s*"]).map(\.label).contains("sgd") == false)
    }
}
