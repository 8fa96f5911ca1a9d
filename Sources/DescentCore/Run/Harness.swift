/// Owns the optimization loop: one loop (``drive(_:_:)``) evaluates f at the iterate, checks it
/// with the run's ``IterationMonitor`` (stopping rules, trace, targets, validation, timing) and
/// steps; how it steps is a strategy it calls (``SteppingStrategy``):
///
/// - plain (``PlainStepping``): each iteration k takes f(x_k) and ∇f(x_k), and steps. With
///   ``RunOptions/checkEvery`` = K > 1 only every K-th iterate is evaluated and checked; the others
///   take a gradient and a step.
/// - tiled (``TiledStepping``), for an ``ElementwiseRule`` on a ``SeparableProblem``: chunk by
///   chunk, in cache, with the same bits as plain; unchecked iterations run as blocks.
/// - stochastic (``StochasticStepping``, `batchSize` set, finite-sum problems): each step uses the
///   gradient of the next mini-batch of a permutation of the samples, reshuffled every epoch from
///   `samplingSeed` (the last batch of an epoch may be smaller, as PyTorch's DataLoader without
///   drop_last), or in row order every epoch when `shuffle` is off. The full objective is evaluated
///   only at logged iterates, for the trace and the stopping rules; those monitoring evaluations
///   count neither as work nor as time. Each step takes the mini-batch gradient alone
///   (``FiniteSumProblem/batchGradient(at:batch:gradient:)``); a non-finite mini-batch loss or
///   gradient stops the run as `diverged` at once.
/// - a solver's own iterations (``Solver``), which it reports to the same monitor.
///
/// At a checked iterate the monitor applies, in order, divergence, the target, the iteration
/// budget and stalling, and logs the row if scheduled.
public enum Harness {
    /// Runs a configured optimizer (a step-wise rule or a solver) on `problem` from `start` (x₀, n
    /// values): the starting point belongs to the run, as in Optim.jl's `optimize(f, x0)`;
    /// ``ProblemInstance/forRun(seed:)`` gives an instance's x₀ for a run seed.
    /// The run owns `start`: it is freed once copied into the iterate (one vector less at the peak).
    public static func run(problem: any Problem, from start: consuming [Double], method: ConfiguredOptimizer.Method,
                           optimalValue: Double?, options: RunOptions = RunOptions()) -> RunResult {
        switch method {
        case .stepwise(let rule): return run(problem: problem, from: consume start, optimizer: rule, optimalValue: optimalValue, options: options)
        case .solver(let solver): return solver.solve(problem: problem, from: consume start, optimalValue: optimalValue, options: options)
        }
    }

    /// Runs `optimizer` on `problem` from `start` (x₀, n values); `optimalValue` is the reference f*.
    public static func run(problem: any Problem, from start: consuming [Double], optimizer: any UpdateRule, optimalValue: Double?,
                           options: RunOptions = RunOptions()) -> RunResult {
        if options.batchSize != nil, let finiteSum = problem as? any FiniteSumProblem {
            return runStochastic(finiteSum, consume start, optimizer, optimalValue, options)
        }
        return runFullBatch(problem, consume start, optimizer, optimalValue, options)
    }

    /// Runs a configured optimizer on `problem` from its standard starting point (``Problem/initialPoint()``).
    public static func run(problem: any Problem, method: ConfiguredOptimizer.Method, optimalValue: Double?,
                           options: RunOptions = RunOptions()) -> RunResult {
        run(problem: problem, from: problem.initialPoint(), method: method, optimalValue: optimalValue, options: options)
    }

    /// Runs `optimizer` on `problem` from its standard starting point (``Problem/initialPoint()``).
    public static func run(problem: any Problem, optimizer: any UpdateRule, optimalValue: Double?,
                           options: RunOptions = RunOptions()) -> RunResult {
        run(problem: problem, from: problem.initialPoint(), optimizer: optimizer, optimalValue: optimalValue, options: options)
    }

    private static func runFullBatch<P: Problem, O: UpdateRule>(_ problem: P, _ start: consuming [Double], _ optimizer: O,
                                                               _ fStar: Double?, _ options: RunOptions) -> RunResult {
        var monitor = IterationMonitor(problem: problem, from: consume start, fStar: fStar, options: options)
        monitor.samplesPerEpoch = (problem as? any FiniteSumProblem)?.sampleCount ?? 1
        // The strategy (the rule's state) is freed before the result copies x: one vector less at the peak.
        if let (separable, elementwise) = tiling(problem, optimizer) {
            func tiled<S: SeparableProblem, R: ElementwiseRule>(_ problem: S, _ rule: R) {
                var strategy = TiledStepping(problem, rule, &monitor)
                drive(&strategy, &monitor)
            }
            tiled(separable, elementwise)
        } else {
            func plain() {
                var strategy = PlainStepping(problem, optimizer, &monitor)
                drive(&strategy, &monitor)
            }
            plain()
        }
        return monitor.result()
    }

    private static func runStochastic<P: FiniteSumProblem, O: UpdateRule>(_ problem: P, _ start: consuming [Double], _ optimizer: O,
                                                                         _ fStar: Double?, _ options: RunOptions) -> RunResult {
        var monitor = IterationMonitor(problem: problem, from: consume start, fStar: fStar, options: options)
        monitor.samplesPerEpoch = problem.sampleCount
        var strategy = StochasticStepping(problem, optimizer, options)
        drive(&strategy, &monitor)
        // The run's time ends before the strategy (its sample order) is freed.
        let result = monitor.result()
        withExtendedLifetime(strategy) {}
        return result
    }

    /// The problem and rule as a separable problem and an elementwise rule, when the tiled loop applies.
    static func tiling(_ problem: some Problem, _ optimizer: some UpdateRule) -> (any SeparableProblem, any ElementwiseRule)? {
        guard let separable = problem as? any SeparableProblem, separable.chunkAlignment > 0,
              let elementwise = optimizer as? any ElementwiseRule else { return nil }
        return (separable, elementwise)
    }

    /// The run loop, for every strategy: at each iterate the strategy says is checked, f there (and
    /// ∇f in the monitor's `g`) goes to the monitor, which applies the stopping rules and logs; then
    /// the strategy steps to the next iterate it checks. A rule that reports another point than its
    /// gradient point (``UpdateRule/reportsAnotherPoint``) is checked there, by a monitoring
    /// evaluation (untimed), and steps from its gradient point; when the run stops, the reported
    /// point is the final one.
    static func drive<S: SteppingStrategy>(_ strategy: inout S, _ monitor: inout IterationMonitor) {
        let gradientPoint = strategy.reportsAnotherPoint ? Vector(count: monitor.x.count) : nil
        while true {
            let checked = strategy.isCheck(monitor)
            if checked {
                let stop: Bool
                if let gradientPoint {
                    let started = monitor.clock.now
                    gradientPoint.assign(monitor.x)
                    strategy.reportedPoint(gradientPoint, into: monitor.x)
                    let (f, squaredNorm) = strategy.valueAtReportedPoint(&monitor)
                    stop = monitor.check(f, squaredNorm: squaredNorm)
                    if !stop { monitor.x.assign(gradientPoint) }
                    monitor.monitoring += monitor.clock.now - started
                } else {
                    let (f, squaredNorm) = strategy.valueForCheck(&monitor)
                    stop = monitor.check(f, squaredNorm: squaredNorm)
                }
                if stop { return }
            }
            if !strategy.step(&monitor, checked: checked) { return }
        }
    }
}
