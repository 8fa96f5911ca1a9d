import DescentCore
import DescentProblems
import DescentTestSupport
import Foundation
import Testing

/// The shipped data sets, for the template families.
let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Problems/data").standardized.path

/// Every built-in family's default instance (templates on the shipped data) plus variants.
let problemSpecs: [String] = BuiltinProblems.all.filter { !$0.isTemplate }.map(\.name).map {
    // The defaults' Hessians have 10⁴–10⁵ entries (seconds by differences); smaller instances check the same code.
    ["quadratic-deep": "quadratic-deep(n=12,samples=40)", "matrix-factorization": "matrix-factorization(rows=8,columns=6,rank=2,observed=0.6)"][$0] ?? $0
} + [
    "matrix-factorization(rows=7,columns=5,rank=2,observed=0.7,noise=0.1,lambda=0.01)",
    "logistic-data(data=\(dataFolder)/breast_cancer.csv,target=malignant)",
    "least-squares-data(data=\(dataFolder)/diabetes.csv,target=progression,lambda=0.1)",
    "parabola(start=-3)", "quadratic(n=5,kappa=1000)", "extended-rosenbrock(n=6)",
    "logistic(samples=40,features=3,lambda=0.5,noise=0)",
    "softmax-regression(data=\(dataFolder)/wine.csv,target=cultivar)",
    "softmax-regression(samples=50,features=2,classes=4,intercept=false,lambda=0.3)",
]

func instance(_ spec: String, seed: UInt64 = 7) throws -> ProblemInstance {
    let registry = Registry(problems: BuiltinProblems.all, optimizers: [])
    return try #require(try registry.selectProblems([spec], seed: seed).first)
}

@Suite("Derivatives of every registered problem")
struct DerivativeTests {
    @Test("gradient agrees with central finite differences", arguments: problemSpecs)
    func gradient(spec: String) throws {
        let p = try instance(spec).problem
        for point in FiniteDifferences.points(around: p.initialPoint(), count: 4, seed: 11) {
            let g = Vector(count: p.dimension)
            _ = p.valueAndGradient(at: Vector(point), gradient: g)
            let error = FiniteDifferences.relativeError(FiniteDifferences.gradient(of: p, at: point), g.array)
            #expect(error <= 1e-6, "\(spec) at \(point): relative error \(error)")
        }
    }

    @Test("valueAndGradient returns the same f as value", arguments: problemSpecs)
    func valueConsistency(spec: String) throws {
        let p = try instance(spec).problem
        for point in FiniteDifferences.points(around: p.initialPoint(), count: 3, seed: 12) {
            let x = Vector(point)
            let f = p.valueAndGradient(at: x, gradient: Vector(count: p.dimension))
            #expect(Swift.abs(f - p.value(at: x)) <= 1e-13 * Swift.max(1, Swift.abs(f)), "\(spec)")
        }
    }

    @Test("Hessian agrees with finite differences of the gradient", arguments: problemSpecs)
    func hessian(spec: String) throws {
        let p = try #require(try instance(spec).problem as? any TwiceDifferentiable)
        let n = p.dimension
        for point in FiniteDifferences.points(around: p.initialPoint(), count: 3, seed: 13) {
            let h = Vector(count: n * n)
            p.hessian(at: Vector(point), into: h)
            let error = FiniteDifferences.relativeError(FiniteDifferences.hessian(of: p, at: point), h.array)
            #expect(error <= 1e-6, "\(spec): relative error \(error)")
            for i in 0..<n { for j in 0..<i { #expect(h[i * n + j] == h[j * n + i], "\(spec): H not symmetric") } }
        }
    }
}

@Suite("Problem definitions")
struct ProblemDefinitionTests {
    @Test("Rosenbrock matches the literature: f(x₀) = 24.2, f(1, 1) = 0")
    func rosenbrockValues() {
        let p = ExtendedRosenbrock(dimension: 2)
        #expect(Swift.abs(p.value(at: Vector(p.initialPoint())) - 24.2) < 1e-12)
        #expect(p.value(at: Vector([1, 1])) == 0)
        // Extended form: n/2 copies of the 2-D term.
        let q = ExtendedRosenbrock(dimension: 10)
        #expect(Swift.abs(q.value(at: Vector(q.initialPoint())) - 5 * 24.2) < 1e-11)
    }

    @Test("the quadratic has the requested spectrum: eigenvalues log-spaced from 1 to κ")
    func quadraticSpectrum() throws {
        let q = try Quadratic(dimension: 6, conditionNumber: 1e3, seed: 3)
        let computed = try GSLEigen.eigenvalues(q.matrix, n: 6)
        for (a, b) in zip(computed, q.eigenvalues) { #expect(Swift.abs(a - b) <= 1e-10 * b) }
        #expect(Swift.abs(q.smoothness / q.strongConvexity - 1e3) < 1e-9)
    }

    @Test("the quadratic's x* solves Ax = b")
    func quadraticSolution() throws {
        let q = try Quadratic(dimension: 8, conditionNumber: 50, seed: 4)
        let g = Vector(count: 8)
        _ = q.valueAndGradient(at: Vector(q.minimizer), gradient: g)
        #expect(g.norm() < 1e-12)
    }

    @Test("seeded data: the same seed gives the same instance, another seed a different one")
    func seededData() {
        let a = LogisticRegression(samples: 30, features: 3, regularization: 0.1, noise: 0.1, seed: 5)
        let b = LogisticRegression(samples: 30, features: 3, regularization: 0.1, noise: 0.1, seed: 5)
        let c = LogisticRegression(samples: 30, features: 3, regularization: 0.1, noise: 0.1, seed: 6)
        #expect(a.features == b.features && a.labels == b.labels)
        #expect(a.features != c.features)
    }

    @Test("logistic loss is finite and exact for huge margins")
    func logisticStability() {
        // One sample x = 1, y = +1, λ = 0: f(w) = log(1 + e^{−w}).
        let p = LogisticRegression(features: [1], labels: [1], dimension: 1, regularization: 0)
        let g = Vector(count: 1)
        // w = 800: e^{−800} underflows to 0 in a naive formula; the exact value is ≈ e^{−800}.
        let f = p.valueAndGradient(at: Vector([800]), gradient: g)
        #expect(f >= 0 && f < 1e-300)
        // w = −800: naive log(1 + e^{800}) overflows; the exact value is 800 + log1p(e^{−800}) = 800.
        let h = p.valueAndGradient(at: Vector([-800]), gradient: g)
        #expect(h == 800)
        #expect(g[0] == -1)
    }

    @Test("label noise flips about the requested fraction of labels")
    func labelNoise() {
        let clean = LogisticRegression(samples: 4000, features: 2, regularization: 0.1, noise: 0, seed: 9)
        let noisy = LogisticRegression(samples: 4000, features: 2, regularization: 0.1, noise: 0.25, seed: 9)
        let flipped = zip(clean.labels, noisy.labels).filter { $0 != $1 }.count
        #expect(clean.features == noisy.features)
        #expect(Swift.abs(Double(flipped) / 4000 - 0.25) < 0.03)
    }
}
