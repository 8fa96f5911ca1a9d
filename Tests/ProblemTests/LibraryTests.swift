import DescentCore
import DescentOptimizers
import DescentProblems
import DescentReference
import DescentTestSupport
import Foundation
import GSL
import Testing

@Suite("Problem library: literature minima, certificates, baselines")
struct LibraryTests {
    @Test("every classic with a stated minimum reproduces it", arguments: BuiltinProblems.all.filter { $0.literatureMinimum != nil }.map(\.name))
    func literature(name: String) throws {
        let entry = try #require(BuiltinProblems.all.first { $0.name == name })
        let (value, tolerance) = try #require(entry.literatureMinimum)
        let i = try instance(name)
        let optimum = try Reference.optimum(of: i.problem, label: name)
        #expect(Swift.abs(optimum.value - value) <= tolerance * Swift.max(Swift.abs(value), 1e-300) + (value == 0 ? 1e-20 : 0),
                "\(name): certified f* = \(optimum.value), literature \(value)")
    }

    @Test("analytic optima are exact zeros of the residuals", arguments: BuiltinProblems.classics.map(\.name))
    func analyticClassics(name: String) throws {
        let p = try instance(name).problem
        guard let known = p.analyticOptimum, let x = known.point else { return }
        #expect(Swift.abs(p.value(at: Vector(x)) - known.value) <= 1e-20, "\(name)")
    }

    @Test("the certificate reports the quadratic's spectrum: λmin = μ = 1, λmax = L = κ", arguments: ["log", "uniform", "clustered"])
    func spectrum(kind: String) throws {
        let i = try instance("quadratic(n=12,kappa=500,spectrum=\(kind))")
        let eig = try #require(try Reference.optimum(of: i.problem, label: i.label).hessianEigenvalues)
        #expect(Swift.abs(eig.min - 1) < 1e-10 && Swift.abs(eig.max - 500) < 1e-9)
    }

    @Test("a diagonal quadratic needs no dense matrix and knows x* = b/λ")
    func diagonal() throws {
        let q = try Quadratic(dimension: 100_000, conditionNumber: 1e3, spectrum: .log, rotated: false, seed: 1)
        #expect(q.matrix.isEmpty)
        let g = Vector(count: q.dimension)
        _ = q.valueAndGradient(at: Vector(q.minimizer), gradient: g)
        #expect(g.norm() < 1e-12)
    }

    @Test("the saddle: momentum escapes faster than gradient descent")
    func saddleEscape() {
        let options = RunOptions(maxIterations: 20_000, tolerance: 1e-8)
        let gd = Harness.run(problem: Saddle(), optimizer: SGD(lr: 0.01), optimalValue: -0.25, options: options)
        let heavy = Harness.run(problem: Saddle(), optimizer: SGD(lr: 0.01, momentum: 0.9), optimalValue: -0.25, options: options)
        #expect(gd.status == .converged && heavy.status == .converged)
        #expect(heavy.iterations * 3 < gd.iterations, "momentum \(heavy.iterations) vs gd \(gd.iterations)")
    }
}

@Suite("Newton's method and GSL baselines")
struct SolverTests {
    @Test("Newton reaches the quadratic's exact x* in one step")
    func newtonQuadratic() throws {
        let q = try Quadratic(dimension: 15, conditionNumber: 1e4, seed: 3)
        let r = Newton().solve(problem: q, optimalValue: nil, options: RunOptions(maxIterations: 1, tolerance: 0))
        #expect(r.iterations == 1)
        expectClose(r.finalPoint, q.minimizer, relative: 1e-10)
        #expect(r.gradientNorm < 1e-10)
    }

    @Test("on logistic regression, Newton's optimum agrees with GSL BFGS2's to 1e-10")
    func newtonVersusBFGS2() throws {
        let p = LogisticRegression(samples: 300, features: 6, regularization: 1e-2, noise: 0.1, seed: 4)
        let newton = Newton().solve(problem: p, optimalValue: nil, options: RunOptions(maxIterations: 50, tolerance: 1e-12))
        #expect(newton.status == .converged && newton.iterations < 10, "\(newton.statusDescription)")
        let bfgs = try Multimin.bfgs2(ProblemObjective(p), start: p.initialPoint(), gradientTolerance: 1e-12)
        // f* agrees to 1e-10 relative (both are certified minima of the same strictly convex f) ...
        #expect(Swift.abs(newton.finalValue - bfgs.value) <= 1e-10 * newton.finalValue)
        // ... and x* as closely as BFGS2's own certificate allows: ‖x − x*‖ ≤ ‖∇f(x)‖/λmin, λmin ≥ λ = 0.01.
        let gap = zip(newton.finalPoint, bfgs.point).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        #expect(gap <= bfgs.gradientNorm / 1e-2 + 1e-12, "‖Δx‖ = \(gap), BFGS2 ‖∇f‖ = \(bfgs.gradientNorm)")
    }

    @Test("GSL baselines report GSL's own counts", arguments: ["gsl-bfgs2", "gsl-bfgs", "gsl-cg-pr", "gsl-cg-fr"])
    func counts(name: String) throws {
        let registry = Registry(problems: [], optimizers: ReferenceSolvers.all)
        let method = try #require(try registry.selectOptimizers([name]).first).method
        let r = Harness.run(problem: ExtendedRosenbrock(dimension: 2), method: method, optimalValue: 0)
        #expect(r.status == .converged, "\(name): \(r.statusDescription)")
        #expect(r.gradientEvaluations > r.iterations)  // line searches evaluate more than once per iteration
        #expect(r.functionEvaluations >= r.gradientEvaluations)
    }

    @Test("Nelder–Mead uses f only")
    func simplex() {
        let r = GSLSimplexSolver().solve(problem: ExtendedRosenbrock(dimension: 2), optimalValue: 0,
                                         options: RunOptions(tolerance: 1e-8))
        #expect(r.status == .converged)
        #expect(r.gradientEvaluations == 0 && r.functionEvaluations > r.iterations)
    }

    @Test("Newton is skipped where there is no Hessian, and solvers refuse modifiers")
    func unfit() {
        #expect(Harness.unfitReason(problem: PoisonedParabola(threshold: 0), requirements: [.fullBatch, .hessian],
                                    options: RunOptions()) != nil)
        let registry = Registry(problems: [], optimizers: ReferenceSolvers.all, modifiers: BuiltinOptimizers.modifiers)
        #expect(throws: SpecError.self) { try registry.selectOptimizers(["newton + clip(norm=1)"]) }
    }
}

@Suite("Reference cache")
struct CacheTests {
    @Test("a cached optimum is bit-identical, and a changed instance misses")
    func roundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("descent-cache-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let i = try instance("logistic(samples=50,features=3,lambda=0.1,noise=0.1)", seed: 1)
        var cache = try ReferenceCache(path: path, suiteVersion: "test")
        let key = cache.key(for: i)
        let optimum = try Reference.optimum(of: i.problem, label: i.label)
        cache.store(optimum, key: key)
        try cache.save()
        let reloaded = try ReferenceCache(path: path, suiteVersion: "test")
        #expect(reloaded.lookup(key) == optimum)
        let other = try instance("logistic(samples=50,features=3,lambda=0.1,noise=0.1)", seed: 2)
        #expect(reloaded.key(for: other) != key)
    }
}
