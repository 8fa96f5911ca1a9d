import DescentCore
import DescentProblems
import DescentReference
import GSL

/// W4: GSL's `vector_bfgs2` and `conjugate_pr` on the chained Rosenbrock function, called through
/// Descent (GSL calls back into the Swift problem), with the peer kit's stopping rule:
/// ‖∇f‖∞ ≤ 1e-5 or GSL reports no progress.
enum GSLWorkloads {
    struct Result {
        var name: String
        var iterations: Int
        var functionCalls: Int
        var gradientCalls: Int
        var seconds: Double
        var final: Double
    }

    static func run(n: Int, method: GradientMethod, repeats: Int) throws -> Result {
        let problem = ChainedRosenbrock(dimension: n)
        let (step, tol) = method == .bfgs2 ? (0.01, 0.1) : (0.01, 1e-4)
        var times: [Double] = []
        var last: Result? = nil
        for _ in 0..<repeats {
            let started = Measure.clock.now
            let objective = ProblemObjective(problem)
            let m = try GradientMinimizer(method, objective: objective, start: problem.initialPoint(), initialStep: step,
                                          lineSearchTolerance: tol)
            var g = [Double](repeating: 0, count: n)
            var iterations = 0
            while true {
                g.withUnsafeMutableBufferPointer { var s = $0.mutableSpan; m.gradient(into: &s) }
                if g.reduce(0, { Swift.max($0, Swift.abs($1)) }) <= 1e-5 { break }
                let progressed = try m.iterate()
                iterations += 1
                if !progressed || iterations >= 100_000 { break }
            }
            times.append((Measure.clock.now - started).seconds)
            last = Result(name: "W4-n\(n)-\(method == .bfgs2 ? "vector_bfgs2" : "conjugate_pr")", iterations: iterations,
                          functionCalls: m.functionEvaluations, gradientCalls: m.gradientEvaluations,
                          seconds: 0, final: m.value)
        }
        var r = last!
        r.seconds = Measure.median(times)
        return r
    }
}
