import DescentCore
import DescentProblems
import DescentReference
import DescentTestSupport
import GSL
import Testing

/// Eigenvalues through the GSL wrapper, for spectrum checks.
enum GSLEigen {
    static func eigenvalues(_ a: [Double], n: Int) throws -> [Double] {
        try LinearAlgebra.symmetricEigenvalues(a, dimension: n)
    }
}

@Suite("Certified reference optima")
struct ReferenceTests {
    @Test("every registered problem has a reference with ‖∇f(x*)‖ ≤ 1e-10", arguments: problemSpecs)
    func certificate(spec: String) throws {
        let i = try instance(spec)
        let optimum = try Reference.optimum(of: i.problem, label: i.label)
        let norm = try #require(optimum.gradientNorm)
        #expect(norm <= 1e-10, "\(spec): ‖∇f(x*)‖ = \(norm) via \(optimum.source)")
        let point = try #require(optimum.point)
        #expect(Swift.abs(i.problem.value(at: Vector(point)) - optimum.value) <= 1e-14 * Swift.max(1, Swift.abs(optimum.value)))
    }

    @Test("logistic regression's f* comes from GSL BFGS2 and is a strict minimum")
    func logisticFromGSL() throws {
        let p = LogisticRegression(samples: 200, features: 5, regularization: 1e-2, noise: 0.1, seed: 1)
        let optimum = try Reference.optimum(of: p, label: "logistic")
        #expect(optimum.source == .gslBFGS2 || optimum.source == .gslBFGS2Newton)
        // Every nearby point is worse: f(x* + δ) > f* for seeded perturbations.
        for point in FiniteDifferences.points(around: try #require(optimum.point), count: 5, seed: 3, scale: 1e-3) {
            #expect(p.value(at: Vector(point)) > optimum.value)
        }
    }

    @Test("BFGS2 through the wrapper reproduces GSL's own Rosenbrock result")
    func bfgs2Rosenbrock() throws {
        final class Rosen: GSLObjective {
            var dimension: Int { 2 }
            func evaluate(_ x: Span<Double>, gradient: inout MutableSpan<Double>?) -> Double {
                let r = x[1] - x[0] * x[0]
                if gradient != nil {
                    gradient![0] = -400 * x[0] * r - 2 * (1 - x[0])
                    gradient![1] = 200 * r
                }
                return 100 * r * r + (1 - x[0]) * (1 - x[0])
            }
        }
        let result = try Multimin.bfgs2(Rosen(), start: [-1.2, 1], gradientTolerance: 1e-10)
        #expect(Swift.abs(result.point[0] - 1) < 1e-6 && Swift.abs(result.point[1] - 1) < 1e-6)
        #expect(result.value < 1e-15)
        #expect(result.gradientEvaluations > 0 && result.iterations > 0)
    }
}
