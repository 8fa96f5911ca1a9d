import DescentCore
import DescentOptimizers
import DescentProblems

/// W4 with L-BFGS: Descent's `lbfgs-wolfe` with the peer kit's torch.optim.LBFGS settings (lr = 1,
/// history 10, strong Wolfe, tolerance_grad = 1e-5 on max|∇f|, tolerance_change = 0, one long
/// step call), on chained Rosenbrock from the kit's x₀, through `Harness.run` (trace, monitor).
enum LBFGSWorkload {
    static func run(n: Int, repeats: Int) -> GSLWorkloads.Result {
        let problem = ChainedRosenbrock(dimension: n)
        var solver = LBFGS()
        solver.maxIter = 100_000
        solver.maxEval = 200_000
        solver.toleranceGrad = 1e-5
        solver.toleranceChange = 0
        solver.historySize = 10
        solver.lineSearch = .strongWolfe
        var options = RunOptions(maxIterations: 100_000, tolerance: 0, logEvery: 100_000, patience: 100_000)
        options.divergenceFactor = .infinity
        var times: [Double] = []
        var last: RunResult? = nil
        for _ in 0..<repeats {
            let started = Measure.clock.now
            let r = solver.solve(problem: problem, optimalValue: nil, options: options)
            times.append((Measure.clock.now - started).seconds)
            last = r
        }
        let r = last!
        return GSLWorkloads.Result(name: "W4-n\(n)-LBFGS", iterations: r.iterations, functionCalls: r.functionEvaluations,
                                   gradientCalls: r.gradientEvaluations, seconds: Measure.median(times), final: r.finalValue)
    }
}
