import DescentCore
import DescentProblems
import DescentReference
import Foundation
import GSL
import Testing

/// A temporary file path (not created).
private func temporaryPath(_ suffix: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("descent-trust-\(UUID().uuidString)\(suffix)").path
}

/// A CSV whose column `c` is constant: rank-deficient least squares (without standardization, and
/// with it: a constant column standardizes to 0/0).
private func rankDeficientCSV() throws -> String {
    let path = temporaryPath(".csv")
    try "a,b,c,y\n1,2,5,3\n1,3,5,4\n1,4,5,6\n1,5,5,7\n1,7,5,8\n1,8,5,11\n".write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// f(x) = x² − 2x with a closed form that is wrong in the way a singular solve is: NaN.
private struct NaNClosedForm: Problem {
    var dimension: Int { 1 }
    func initialPoint() -> [Double] { [3] }
    func value(at x: Vector) -> Double { x[0] * x[0] - 2 * x[0] }
    func valueAndGradient(at x: Vector, gradient: Vector) -> Double {
        gradient[0] = 2 * x[0] - 2
        return value(at: x)
    }
    var analyticOptimum: Optimum? { Optimum(value: .nan, point: [.nan], source: .linearSolve) }
}

/// f(x) = x² away from 0 but NaN on |x| < 0.5, with the exact gradient 2x everywhere: BFGS2 reaches
/// ∇f = 0 where f is NaN (the case whose message used to read "‖∇f‖ = 0.0, above 1e-06").
private struct NaNNearMinimum: Problem {
    var dimension: Int { 1 }
    func initialPoint() -> [Double] { [2] }
    func value(at x: Vector) -> Double { Swift.abs(x[0]) < 0.5 ? .nan : x[0] * x[0] }
    func valueAndGradient(at x: Vector, gradient: Vector) -> Double {
        gradient[0] = 2 * x[0]
        return value(at: x)
    }
}

@Suite("Reference certificates that can be trusted")
struct CacheTrustTests {
    @Test("the content fingerprint sees parameters that vanish at x₀, data bytes, seeds and instances; the old key did not")
    func fingerprint() throws {
        let k10 = try instance("quadratic(n=6,kappa=10)"), k100 = try instance("quadratic(n=6,kappa=100)")
        let l3 = try instance("logistic(lambda=0.001)"), l1 = try instance("logistic(lambda=0.1)")
        // The old key hashed x₀, f(x₀) and ∇f(x₀) only: κ and λ vanish there, so it could not tell them apart.
        func oldKey(_ p: any Problem) -> UInt64 {
            var h = StableHash()
            let x0 = p.initialPoint(), g = Vector(count: p.dimension)
            x0.forEach { h.combine($0) }
            h.combine(p.valueAndGradient(at: Vector(x0), gradient: g))
            for i in 0..<g.count { h.combine(g[i]) }
            return h.value
        }
        #expect(oldKey(k10.problem) == oldKey(k100.problem) && oldKey(l3.problem) == oldKey(l1.problem))
        #expect(k10.contentFingerprint != k100.contentFingerprint)
        #expect(l3.contentFingerprint != l1.contentFingerprint)
        // Deterministic: the same instance built twice, and a value pinned across runs and machines.
        #expect(try instance("quadratic(n=6,kappa=10)").contentFingerprint == k10.contentFingerprint)
        let pinned = try instance("rosenbrock").contentFingerprint
        #expect(pinned == "2af3419f1478d829", "rosenbrock's fingerprint is \(pinned)")
        #expect(k10.contentFingerprint.count == 16)
        // The data seed and the instance index enter it.
        #expect(try instance("quadratic(n=6,kappa=10)", seed: 8).contentFingerprint != k10.contentFingerprint)
        let registry = Registry(problems: BuiltinProblems.all, optimizers: [])
        #expect(try registry.instance(1, of: try instance("rosenbrock"), seed: 7).contentFingerprint
                != (try instance("rosenbrock").contentFingerprint))
        // The bytes of a data file enter it, even when the numbers read are the same (a comment-free edit).
        let csv = try rankDeficientCSV()
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let spec = "least-squares-data(data=\(csv),validation=0)"
        let before = try instance(spec).contentFingerprint
        try "a,b,c,y\n1,2,5,3\n1,3,5,4\n1,4,5,6\n1,5,5,7\n1,7,5,8\n1,8,5,11.0\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try instance(spec).contentFingerprint != before)
    }

    @Test("the cache key carries the fingerprint, the certification version and the suite version")
    func key() throws {
        let path = temporaryPath(".csv")
        let a = try ReferenceCache(path: path, suiteVersion: "1.0"), b = try ReferenceCache(path: path, suiteVersion: "1.1")
        let i = try instance("quadratic(n=6,kappa=10)")
        #expect(a.key(for: i) != b.key(for: i))
        #expect(a.key(for: i).contains(i.contentFingerprint) && a.key(for: i).contains("|v\(Reference.version)|"))
        #expect(a.key(for: i) != a.key(for: try instance("quadratic(n=6,kappa=100)")))
    }

    @Test("a genuine certificate verifies bit for bit; a changed f*, x* or ‖∇f(x*)‖ does not",
          arguments: ["rosenbrock", "quadratic(n=8)", "logistic", "least-squares", "ill-conditioned-quadratic", "beale", "bard",
                      "penalty-i", "powell-badly-scaled", "chained-rosenbrock(n=10)", "softmax-regression"])
    func verify(spec: String) throws {
        let i = spec == "ill-conditioned-quadratic"
            ? try #require(try Registry(problems: BuiltinProblems.all, optimizers: []).instantiateQuadratic())
            : try instance(spec)
        let genuine = try Reference.optimum(of: i.problem, label: i.label)
        #expect(Reference.verify(genuine, of: i.problem) == nil, "\(spec): \(Reference.verify(genuine, of: i.problem) ?? "")")
        var wrongValue = genuine
        wrongValue.value = -5
        #expect(Reference.verify(wrongValue, of: i.problem) != nil)
        var wrongPoint = genuine
        wrongPoint.point = genuine.point.map { $0.map { $0 + 0.25 } }
        #expect(Reference.verify(wrongPoint, of: i.problem) != nil)
        var wrongNorm = genuine
        wrongNorm.gradientNorm = 1e-300
        #expect(Reference.verify(wrongNorm, of: i.problem) != nil || genuine.gradientNorm == 1e-300)
        var nonFinite = genuine
        nonFinite.value = .nan
        #expect(Reference.verify(nonFinite, of: i.problem) != nil)
        #expect(Reference.verify(Optimum(value: genuine.value, point: nil, source: .gslBFGS2), of: i.problem) != nil)
    }

    @Test("x* of every size is kept: on the line, or in a sidecar file read on lookup; a damaged line or sidecar is a miss")
    func storage() throws {
        let path = temporaryPath("/references.csv")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let small = try instance("quadratic(n=6)"), large = try instance("quadratic(n=\(ReferenceCache.inlinePointLimit + 50))")
        var cache = try ReferenceCache(path: path, suiteVersion: "t")
        let os = try Reference.optimum(of: small.problem, label: small.label)
        let ol = try Reference.optimum(of: large.problem, label: large.label)
        cache.store(os, key: cache.key(for: small))
        cache.store(ol, key: cache.key(for: large))
        try cache.save()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix(ReferenceCache.header + "\n"))
        let reloaded = try ReferenceCache(path: path, suiteVersion: "t")
        #expect(reloaded.lookup(reloaded.key(for: small)) == os)
        #expect(reloaded.lookup(reloaded.key(for: large)) == ol)
        #expect(Reference.verify(try #require(reloaded.lookup(reloaded.key(for: large))), of: large.problem) == nil)
        let sidecars = try FileManager.default.contentsOfDirectory(atPath: path + ".xstar")
        #expect(sidecars.count == 1)
        // A damaged sidecar is a miss (recomputed), not a wrong x*.
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path + ".xstar/" + sidecars[0]))
        #expect(try ReferenceCache(path: path, suiteVersion: "t").lookup(reloaded.key(for: large)) == nil)
        // A line edited by hand fails its check hash and is dropped.
        try text.replacingOccurrences(of: "," + os.value.description + ",", with: ",-5.0,").write(toFile: path, atomically: true, encoding: .utf8)
        let edited = try ReferenceCache(path: path, suiteVersion: "t")
        #expect(edited.lookup(edited.key(for: small)) == nil)
    }

    @Test("a file that is not a cache is refused; an older cache is a cache to rewrite")
    func notACache() throws {
        let data = try rankDeficientCSV()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(throws: ReferenceCacheError.self) { try ReferenceCache(path: data, suiteVersion: "t") }
        #expect(throws: ReferenceCacheError.self) { try ReferenceCache(path: FileManager.default.temporaryDirectory.path, suiteVersion: "t") }
        let old = temporaryPath(".csv")
        defer { try? FileManager.default.removeItem(atPath: old) }
        try "key,f_star,source,grad_norm,hessian_min,hessian_max,x_star\nrosenbrock|seed=-|abc|v2,-5,analytic,0,,,1;1\n"
            .write(toFile: old, atomically: true, encoding: .utf8)
        let cache = try ReferenceCache(path: old, suiteVersion: "t")
        #expect(cache.count == 0 && cache.needsRewrite && cache.warning != nil)
    }

    @Test("a closed form that is not finite falls back to BFGS2, which certifies a rank-deficient least-squares f*")
    func nonFiniteClosedForm() throws {
        let csv = try rankDeficientCSV()
        defer { try? FileManager.default.removeItem(atPath: csv) }
        for spec in ["least-squares-data(data=\(csv),validation=0)", "least-squares-data(data=\(csv),validation=0,standardize=false)"] {
            let i = try instance(spec)
            let o = try Reference.optimum(of: i.problem, label: i.label)
            #expect(o.value.isFinite && o.source != .linearSolve, "\(spec): \(o)")
            #expect(Reference.certificateFailure(o, dimension: i.problem.dimension) == nil)
            #expect(Swift.abs(o.value - 0.17805383022774326) < 1e-12, "\(spec): f* = \(o.value)")
        }
        let o = try Reference.optimum(of: NaNClosedForm(), label: "nan-closed-form")
        #expect(o.source == .gslBFGS2 && Swift.abs(o.value + 1) < 1e-15)
    }

    @Test("the refusal names what failed, never a norm within the bound")
    func messages() {
        do {
            _ = try Reference.optimum(of: NaNNearMinimum(), label: "nan-near-minimum")
            Issue.record("a NaN f* was certified")
        } catch {
            #expect(error.description.contains("f* is nan"), "\(error)")
            #expect(!error.description.contains("above"), "\(error)")
        }
        do {
            // It used to run BFGS2 in place for minutes, Newton-polish to ‖∇f‖ ≈ 1e-18 and then say
            // "‖∇f‖ = 2.4e-18, above 1e-06", because f = inf was judged at GSL's point.
            _ = try Reference.optimum(of: try instance("logistic(start=1e200,samples=10,features=2)"))
            Issue.record("certified from f(x₀) = inf")
        } catch {
            #expect("\(error)".contains("f = inf") && !"\(error)".contains("above"), "\(error)")
        }
    }

    @Test("certification stops at its deadline and within its evaluation budget", .timeLimit(.minutes(1)))
    func bounded() throws {
        let started = ContinuousClock.now
        let slow = try instance("logistic(start=1e150)"), problem = slow.problem
        do {
            _ = try Reference.optimum(of: problem, from: slow.initialPoint(), label: "slow", deadline: .now + .milliseconds(200))
            Issue.record("certified")
        } catch {
            guard case .timeLimit = error else { Issue.record("\(error)"); return }
            #expect(error.description.contains("within the time limit"))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        // Without a deadline the evaluation budget ends it (it used to run for minutes).
        let objective = ProblemObjective(problem, evaluationLimit: 5000)
        let r = try Multimin.bfgs2(objective, start: slow.initialPoint(), gradientTolerance: Reference.targetGradientNorm)
        #expect(r.stop == .stopped && objective.stopReason == .evaluationLimit && objective.evaluations == 5000)
    }

    @Test("one GSL iteration cannot spin: steepest descent with tol = 1 ends as stalled with a note", .timeLimit(.minutes(1)))
    func iterateBudget() throws {
        var solver = GSLGradientSolver()
        solver.method = .steepestDescent
        solver.tol = 1
        let started = ContinuousClock.now
        let r = solver.solve(problem: try instance("rosenbrock").problem, optimalValue: 0, options: RunOptions(maxIterations: 1000))
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(r.status == .stalled, "\(r.status)")
        #expect(r.note?.contains("more than \(defaultMaximumEvaluationsPerIterate) evaluations") == true, "\(r.note ?? "")")
    }
}

extension Registry {
    /// The shipped ill-conditioned quadratic (Problems/ill-conditioned-quadratic.toml).
    fileprivate func instantiateQuadratic() throws -> ProblemInstance? {
        var registry = self
        let problems = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Problems").path
        try registry.addInstances(from: problems)
        return try registry.selectProblems(["ill-conditioned-quadratic"], seed: 0).first
    }
}
