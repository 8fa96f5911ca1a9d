/// Stopping rules and logging for one run. Defaults are documented in the README.
public struct RunOptions: Sendable, Equatable {
    /// The most optimizer steps to take.
    public var maxIterations: Int = 5000
    /// Target on f − f* where f* is known, else on ‖∇f‖₂. `0` disables the target.
    public var tolerance: Double = 1e-8
    /// Log every `logEvery`-th iterate (the first and last are always logged).
    public var logEvery: Int = 10
    /// Stop as `stalled` after this many consecutive iterations without a new best f.
    public var patience: Int = 500
    /// `diverged` once f > f(x₀) + divergenceFactor · max(1, |f(x₀)|).
    public var divergenceFactor: Double = 1e10

    /// Default options.
    public init() {}

    /// Options with the given fields changed.
    public init(maxIterations: Int = 5000, tolerance: Double = 1e-8, logEvery: Int = 10,
                patience: Int = 500, divergenceFactor: Double = 1e10) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.logEvery = logEvery
        self.patience = patience
        self.divergenceFactor = divergenceFactor
    }
}

/// Owns the optimization loop: evaluates f and ∇f, calls the optimizer, records the
/// trace and applies the stopping rules.
public enum Harness {
    /// Runs `optimizer` on `problem` from its initial point; `optimalValue` is the reference f*.
    ///
    /// Buffers (x, ∇f, the previous iterate and the optimizer's state) are allocated once,
    /// before the loop. Each iteration k evaluates f(x_k) and ∇f(x_k), checks, in order,
    /// divergence, the target, the iteration budget and stalling, logs the row if scheduled,
    /// then takes step k+1.
    public static func run(problem: any Problem, optimizer: any Optimizer, optimalValue: Double?,
                           options: RunOptions = RunOptions()) -> RunResult {
        run(problem, optimizer, optimalValue, options)
    }

    private static func run<P: Problem, O: Optimizer>(_ problem: P, _ optimizer: O, _ fStar: Double?,
                                                     _ options: RunOptions) -> RunResult {
        let clock = ContinuousClock()
        let start = clock.now
        let n = problem.dimension
        let x = Vector(problem.initialPoint())
        let g = Vector(count: n)
        let previous = Vector(count: n)
        var state = optimizer.makeState(dimension: n)
        let logEvery = Swift.max(1, options.logEvery)
        var trace: [TraceRow] = []
        trace.reserveCapacity(Swift.min(options.maxIterations / logEvery + 2, 1 << 16))

        var k = 0
        var evaluations = 0
        var f0 = 0.0
        var best = Double.infinity
        var sinceBest = 0
        var stepNorm: Double? = nil
        var f = 0.0
        var gradientNorm = 0.0
        var status: RunStatus
        while true {
            f = problem.valueAndGradient(at: x, gradient: g)
            evaluations += 1
            gradientNorm = g.norm()
            if k == 0 { f0 = f }
            let suboptimality = fStar.map { f - $0 }

            var stop: RunStatus? = nil
            if !f.isFinite || !gradientNorm.isFinite || f > f0 + options.divergenceFactor * Swift.max(1, Swift.abs(f0)) {
                stop = .diverged
            } else if options.tolerance > 0 && (suboptimality ?? gradientNorm) <= options.tolerance {
                stop = .converged
            } else if k >= options.maxIterations {
                stop = .maxIterations
            } else {
                if f < best { best = f; sinceBest = 0 } else { sinceBest += 1 }
                if sinceBest >= options.patience { stop = .stalled }
            }

            if stop != nil || k % logEvery == 0 {
                trace.append(TraceRow(iteration: k, gradientEvaluations: evaluations, value: f,
                                      suboptimality: suboptimality, gradientNorm: gradientNorm,
                                      stepNorm: stepNorm, time: (clock.now - start).seconds))
            }
            if let stop {
                status = stop
                break
            }
            // Keep x_k only when row k+1 is scheduled, so the step norm costs nothing otherwise.
            let logNext = (k + 1) % logEvery == 0 || k + 1 == options.maxIterations
            if logNext { previous.assign(x) }
            optimizer.step(x, gradient: g, state: &state, iteration: k + 1)
            stepNorm = logNext ? x.distance(to: previous) : nil
            k += 1
        }
        return RunResult(status: status, iterations: k, gradientEvaluations: evaluations, initialValue: f0,
                         finalValue: f, optimalValue: fStar, gradientNorm: gradientNorm,
                         time: (clock.now - start).seconds, trace: trace, finalPoint: x.array)
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
