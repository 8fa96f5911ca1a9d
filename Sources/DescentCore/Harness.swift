/// Stopping rules, sampling and logging for one run. Defaults are documented in the README.
public struct RunOptions: Sendable, Equatable {
    /// Wall-clock seconds one run may take (checked every iteration; `nil` for no limit).
    public var timeLimit: Double? = nil
    /// Set to stop runs early (Ctrl-C): the run ends as `interrupted`.
    public var cancellation: CancellationFlag? = nil
    /// Receives each trace row as it is logged.
    public var observer: RowObserver? = nil
    /// μ and L from the problem's certificate, for rules that take their constants from them
    /// (``Requirements/curvature``); `nil` where the certificate gives no global bounds.
    public var curvature: Curvature? = nil

    public static func == (a: RunOptions, b: RunOptions) -> Bool {
        a.maxIterations == b.maxIterations && a.tolerance == b.tolerance && a.logEvery == b.logEvery
            && a.patience == b.patience && a.divergenceFactor == b.divergenceFactor && a.batchSize == b.batchSize
            && a.samplingSeed == b.samplingSeed && a.shuffle == b.shuffle && a.timeLimit == b.timeLimit
            && a.checkEvery == b.checkEvery && a.curvature == b.curvature
    }

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
    /// Mini-batch size for finite-sum problems (1 = SGD); `nil` for full-batch gradients.
    public var batchSize: Int? = nil
    /// Seed of the per-epoch shuffles in stochastic runs.
    public var samplingSeed: UInt64 = 0
    /// Whether stochastic runs shuffle the samples every epoch; `false` takes the batches in row
    /// order every epoch (the peer kit's W3b: rows [bk, bk + b)).
    public var shuffle = true
    /// Full-batch step-wise runs evaluate f and ‖∇f‖ and apply the stopping rules at every
    /// `checkEvery`-th iterate (and at the last, and as soon as the time limit passes or the run is
    /// cancelled); the iterates in between cost one gradient and one step, nothing else. `1` (the
    /// default) checks every iterate. Iterates are the same for every value; statuses, target hits
    /// and trace rows are resolved to checked iterates (rows are logged at checked iterates that are
    /// multiples of `logEvery`). Solvers and stochastic runs (which check at logged iterates) ignore it.
    /// On a separable problem with a fused step, the unchecked iterations run in blocks of up to 64,
    /// chunk by chunk (see ``SeparableProblem``); a cancellation or time limit is then seen between blocks.
    public var checkEvery = 1

    /// Default options.
    public init() {}

    /// Options with the given fields changed.
    public init(maxIterations: Int = 5000, tolerance: Double = 1e-8, logEvery: Int = 10, patience: Int = 500,
                divergenceFactor: Double = 1e10, batchSize: Int? = nil, samplingSeed: UInt64 = 0, shuffle: Bool = true,
                checkEvery: Int = 1, timeLimit: Double? = nil, cancellation: CancellationFlag? = nil, observer: RowObserver? = nil) {
        self.shuffle = shuffle
        self.checkEvery = checkEvery
        self.timeLimit = timeLimit
        self.cancellation = cancellation
        self.observer = observer
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.logEvery = logEvery
        self.patience = patience
        self.divergenceFactor = divergenceFactor
        self.batchSize = batchSize
        self.samplingSeed = samplingSeed
    }
}

/// Owns the optimization loop: evaluates f and ∇f, calls the optimizer, records the
/// trace and applies the stopping rules.
///
/// Full batch: each iteration k evaluates f(x_k) and ∇f(x_k), checks, in order, divergence,
/// the target, the iteration budget and stalling, logs the row if scheduled, then steps. With
/// ``RunOptions/checkEvery`` = K > 1 only every K-th iterate is evaluated and checked; the others
/// take a gradient and a step.
///
/// Stochastic (`batchSize` set, finite-sum problems): each step uses the gradient of the next
/// mini-batch of a permutation of the samples, reshuffled every epoch from `samplingSeed`
/// (the last batch of an epoch may be smaller, as PyTorch's DataLoader without drop_last), or in
/// row order every epoch when `shuffle` is off.
/// The full objective is evaluated only at logged iterates, for the trace and the stopping
/// rules; those monitoring evaluations count neither as work nor as time. Each step takes the
/// mini-batch gradient alone (``FiniteSumProblem/batchGradient(at:batch:gradient:)``); a non-finite
/// mini-batch loss or gradient stops the run as `diverged` at once.
public enum Harness {
    /// Why `optimizer` cannot run on `problem` with `options`, or `nil` when it can.
    public static func unfitReason(problem: any Problem, requirements: Requirements, options: RunOptions,
                                   hasOptimalValue: Bool = true) -> String? {
        let isFiniteSum = problem is any FiniteSumProblem
        if requirements.contains(.optimalValue) && !hasOptimalValue {
            return "needs the certified f*; the problem has none"
        }
        if requirements.contains(.curvature) && options.curvature == nil {
            return "needs μ and L from the certificate; only quadratic problems have global bounds"
        }
        if requirements.contains(.hessian) && !(problem is any TwiceDifferentiable) {
            return "needs a Hessian; the problem has none"
        }
        if requirements.contains(.fullBatch) && options.batchSize != nil {
            return "full-batch only; --batch-size is set"
        }
        if requirements.contains(.stochastic) && (options.batchSize == nil || !isFiniteSum) {
            return options.batchSize == nil ? "stochastic only; set --batch-size" : "stochastic only; the problem is not a finite sum"
        }
        if options.batchSize != nil && !isFiniteSum {
            return "--batch-size needs a finite-sum problem; this one is not"
        }
        return nil
    }

    /// Runs a configured optimizer (a step-wise rule or a solver) on `problem`.
    public static func run(problem: any Problem, method: ConfiguredOptimizer.Method, optimalValue: Double?,
                           options: RunOptions = RunOptions()) -> RunResult {
        switch method {
        case .stepwise(let rule): return run(problem: problem, optimizer: rule, optimalValue: optimalValue, options: options)
        case .solver(let solver): return solver.solve(problem: problem, optimalValue: optimalValue, options: options)
        }
    }

    /// Runs `optimizer` on `problem` from its initial point; `optimalValue` is the reference f*.
    public static func run(problem: any Problem, optimizer: any UpdateRule, optimalValue: Double?,
                           options: RunOptions = RunOptions()) -> RunResult {
        if options.batchSize != nil, let finiteSum = problem as? any FiniteSumProblem {
            return runStochastic(finiteSum, optimizer, optimalValue, options)
        }
        return runFullBatch(problem, optimizer, optimalValue, options)
    }

    private static func runFullBatch<P: Problem, O: UpdateRule>(_ problem: P, _ optimizer: O, _ fStar: Double?,
                                                               _ options: RunOptions) -> RunResult {
        var loop = IterationMonitor(problem: problem, fStar: fStar, options: options)
        let samplesPerGradient = (problem as? any FiniteSumProblem)?.sampleCount ?? 1
        if let (separable, elementwise) = tiling(problem, optimizer) {
            loopTiled(separable, elementwise, &loop, samplesPerGradient)
        } else {
            loopFullBatch(problem, optimizer, &loop, samplesPerGradient)
        }
        return loop.result(samplesPerEpoch: samplesPerGradient)
    }

    /// The problem and rule as a separable problem and an elementwise rule, when the tiled loop applies.
    static func tiling(_ problem: some Problem, _ optimizer: some UpdateRule) -> (any SeparableProblem, any ElementwiseRule)? {
        guard let separable = problem as? any SeparableProblem, separable.chunkAlignment > 0,
              let elementwise = optimizer as? any ElementwiseRule else { return nil }
        return (separable, elementwise)
    }

    /// f(x) and ∇f(x) into `g`, with Σgᵢ² when the problem sums it in the same pass (``FusedGradientNorm``).
    @inline(__always)
    static func evaluate(_ problem: some Problem, _ fused: (any FusedGradientNorm)?, _ x: Vector, _ g: Vector) -> (Double, Double?) {
        if let fused {
            let (f, squaredNorm) = fused.valueGradientAndSquaredNorm(at: x, gradient: g)
            return (f, squaredNorm)
        }
        return (problem.valueAndGradient(at: x, gradient: g), nil)
    }

    /// Coordinates per chunk of the tiled loop (rounded to the problem's alignment): x, ∇f and two
    /// moment buffers of a chunk take 64 KiB, within a core's L2 (1024 to 16384 measured alike).
    static let tile = 2048

    /// The loop for an elementwise rule (``ElementwiseRule``) on a separable problem. Per iteration,
    /// chunk by chunk: the chunk's gradient at x_k into a chunk-sized buffer, the rule's step of the
    /// chunk, and the chunk's terms of f(x_{k+1}) and ‖∇f(x_{k+1})‖² — so each chunk is read from
    /// memory once per iteration and no full-length gradient is written (the gradient is computed
    /// twice per iteration, which costs arithmetic, not memory traffic). The stopping rules still see
    /// f(x_k) and ‖∇f(x_k)‖ before step k, and every number is the same as in ``loopFullBatch``
    /// (elementwise arithmetic; sums fed in order, see ``Kernels/Sums``). ``IterationMonitor/g``
    /// holds ∇f only when the squared norm over- or underflows and the norm needs a rescan.
    ///
    /// With ``RunOptions/checkEvery`` > 1 the unchecked iterations up to the next check (at most
    /// ``blockIterations``) run as one block (``blockedIterations(_:_:_:_:scalars:buffer:previous:evaluate:)``):
    /// memory is crossed once per block rather than once per iteration, with the same iterates bit for bit.
    private static func loopTiled<P: SeparableProblem, O: ElementwiseRule>(_ problem: P, _ optimizer: O,
                                                                          _ loop: inout IterationMonitor, _ samplesPerGradient: Int) {
        var state = optimizer.makeState(dimension: problem.dimension)
        let tiles = Tiles(problem, optimizer, blocks: loop.checkEvery > 1)
        // A rule that reports another point is checked there, by a monitoring evaluation (``Report``);
        // its steps still run tiled, fused and blocked, without the sums at the gradient point.
        let report = Report(optimizer, loop.x.count)
        var (f, squaredNorm) = problem.valueGradientAndSquaredNorm(at: loop.x, gradient: loop.g)
        loop.evaluations += 1
        loop.sampleGradients += samplesPerGradient
        while true {
            if let report {
                let stop = report.check(&loop, optimizer, state) { loop in
                    let (f, squaredNorm) = problem.valueGradientAndSquaredNorm(at: loop.x, gradient: loop.g)
                    return loop.check(f, samplesPerEpoch: samplesPerGradient, squaredNorm: squaredNorm)
                }
                if stop { break }
            } else if loop.check(f, samplesPerEpoch: samplesPerGradient, squaredNorm: squaredNorm) {
                break
            }
            var checked: Bool
            repeat {
                let count = tiles.blockLength(optimizer, &state, from: loop.k + 1, upTo: loop.iterationsToCheck(limit: tiles.scalars.count))
                checked = loop.isCheck(loop.k + count)
                let totals = tiles.advance(problem, optimizer, loop.x, &state, from: loop.k + 1, iterations: count,
                                           previous: loop.beforeSteps(count), evaluate: checked && report == nil)
                loop.afterSteps(count)
                if checked { (f, squaredNorm) = totals }
                loop.evaluations += count
                loop.sampleGradients += count * samplesPerGradient
            } while !checked
            if report == nil && !Kernels.isAccurate(squaredSum: squaredNorm) {
                // The norm needs the gradient itself (a rescaled pass): compute it in full, once.
                (f, squaredNorm) = problem.valueGradientAndSquaredNorm(at: loop.x, gradient: loop.g)
            }
        }
    }

    /// Iterations per block of ``blockedIterations(_:_:_:_:scalars:buffer:previous:evaluate:)`` at most;
    /// a cancellation or time limit is seen between blocks.
    static let blockIterations = 64

    /// Coordinates per chunk of a block (rounded to the problem's alignment): x, the problem's data,
    /// the chunk's gradient and the rule's lanes of a chunk stay in a core's L1 and L2 while every
    /// step of the block runs.
    static let blockTile = 1024

    /// ``blockTile`` rounded to the problem's alignment, at most n.
    static func blockChunkSize(_ problem: some SeparableProblem) -> Int { chunkSize(problem, tile: blockTile) }

    /// The chunk length of the tiled loop for `problem`: `tile` (default ``tile``) rounded down to a
    /// multiple of its alignment (at least one), at most n.
    static func chunkSize(_ problem: some SeparableProblem, tile: Int = tile) -> Int {
        let alignment = problem.chunkAlignment
        return Swift.min(problem.dimension, Swift.max(alignment, tile / alignment * alignment))
    }

    /// The buffers of the tiled loop, allocated once per run: a chunk's gradient, and the scalars of
    /// the iterations of a block (none unless blocks run).
    struct Tiles<O: ElementwiseRule>: ~Copyable {
        let buffer: Vector
        let scalars: UnsafeMutableBufferPointer<O.Scalars>

        init<P: SeparableProblem>(_ problem: P, _ optimizer: O, blocks: Bool) {
            buffer = Vector(count: chunkSize(problem))
            scalars = .allocate(capacity: blocks ? blockIterations : 0)
        }

        deinit { scalars.deallocate() }

        /// How many iterations, from iteration `first`, the next ``advance(_:_:_:_:from:iterations:previous:evaluate:)``
        /// takes: `limit` (at most the block's capacity) when that is above 1, with their scalars
        /// computed in order into ``scalars``, else 1 (its scalars are computed when it runs).
        func blockLength(_ optimizer: O, _ state: inout O.State, from first: Int, upTo limit: Int) -> Int {
            let limit = Swift.min(limit, scalars.count)
            guard limit > 1 else { return 1 }
            for t in 0..<limit {
                (scalars.baseAddress! + t).initialize(to: optimizer.advance(&state, to: first + t))
            }
            return limit
        }

        /// Iterations `first` … `first` + `iterations` − 1, as ``blockLength(_:_:from:upTo:)``
        /// decided: a block from the scalars in ``scalars``, or one ``Harness/tiledIteration(_:_:_:_:iteration:buffer:evaluate:)``.
        /// With `previous`, x at the second-to-last iterate is copied there (a logged row's step norm);
        /// with `evaluate`, returns f and Σgᵢ² at the last iterate.
        @inline(__always)
        func advance<P: SeparableProblem>(_ problem: P, _ optimizer: O, _ x: Vector, _ state: inout O.State,
                                          from first: Int, iterations: Int, previous: Vector?, evaluate: Bool) -> (Double, Double) {
            if iterations > 1 {
                defer { (scalars.baseAddress!).deinitialize(count: iterations) }
                return blockedIterations(problem, optimizer, x, state.lanes,
                                         scalars: UnsafeBufferPointer(rebasing: scalars[..<iterations]), buffer: buffer,
                                         previous: previous, evaluate: evaluate)
            }
            previous?.assign(x)
            return tiledIteration(problem, optimizer, x, &state, iteration: first, buffer: buffer, evaluate: evaluate)
        }
    }

    /// Consecutive iterations with the given scalars, chunk by chunk: each chunk of x takes every
    /// step of the block (its gradient into `buffer`, then the rule's step) while it is in cache, then
    /// the next chunk, so memory is crossed once per block instead of once per iteration. A separable
    /// problem's coordinates in a chunk depend on no others, and each coordinate sees the same
    /// operations in the same order, so the iterates are the same bits as one iteration at a time.
    /// With `previous`, each chunk is copied there before the block's last step (x at the
    /// second-to-last iterate, for a logged row's step norm); with `evaluate`, returns f and Σgᵢ² at
    /// the last iterate (summed chunk by chunk in order: the same lanes and bits as
    /// ``tiledIteration(_:_:_:_:iteration:buffer:evaluate:)``), zeros otherwise.
    @inline(__always)
    static func blockedIterations<P: SeparableProblem, O: ElementwiseRule>(_ problem: P, _ optimizer: O, _ x: Vector, _ lanes: StateLanes,
                                                                          scalars: UnsafeBufferPointer<O.Scalars>, buffer: Vector,
                                                                          previous: Vector?, evaluate: Bool) -> (Double, Double) {
        let n = problem.dimension, last = scalars.count - 1, chunk = blockChunkSize(problem)
        var sums = Kernels.Sums()
        withUnsafeMutablePointer(to: &sums) { sums in
            // On a diagonal quadratic each step fuses with the gradient (in registers); else the
            // chunk's gradient goes through `buffer`.
            let fused: Void? = problem.withDiagonalQuadratic { q in
                var start = 0
                while start < n {
                    let range = start..<Swift.min(start + chunk, n)
                    start = range.upperBound
                    for t in 0..<last { optimizer.apply(x, quadratic: q, lanes: lanes, scalars: scalars[t], range: range, sums: nil) }
                    previous?.copy(range, from: x)
                    optimizer.apply(x, quadratic: q, lanes: lanes, scalars: scalars[last], range: range, sums: evaluate ? sums : nil)
                }
            }
            guard fused == nil else { return }
            var start = 0
            while start < n {
                let range = start..<Swift.min(start + chunk, n)
                start = range.upperBound
                for t in 0...last {
                    if t == last { previous?.copy(range, from: x) }
                    problem.gradient(at: x, range: range, into: buffer.pointer)
                    optimizer.apply(x, gradient: buffer.pointer, lanes: lanes, scalars: scalars[t], range: range)
                }
                if evaluate { problem.accumulate(at: x, range: range, gradient: nil, into: &sums.pointee) }
            }
        }
        return sums.totals
    }

    /// One iteration of the tiled loop: step `iteration` from x_k to x_{k+1} chunk by chunk and, when
    /// `evaluate` (a checked iterate), f(x_{k+1}) with Σgᵢ² (zeros otherwise). `buffer` holds a
    /// chunk's gradient (``chunkSize(_:)`` elements).
    @inline(__always)
    static func tiledIteration<P: SeparableProblem, O: ElementwiseRule>(_ problem: P, _ optimizer: O, _ x: Vector,
                                                                       _ state: inout O.State, iteration: Int,
                                                                       buffer: Vector, evaluate: Bool) -> (Double, Double) {
        let n = problem.dimension, chunk = buffer.count, lanes = state.lanes
        let c = optimizer.advance(&state, to: iteration)
        var sums = Kernels.Sums()
        // On a diagonal quadratic the step fuses with the gradient: no buffer, so no chunks.
        let fused: Void? = withUnsafeMutablePointer(to: &sums) { sums in
            problem.withDiagonalQuadratic { q in
                optimizer.apply(x, quadratic: q, lanes: lanes, scalars: c, range: 0..<n, sums: evaluate ? sums : nil)
            }
        }
        if fused != nil { return sums.totals }
        var start = 0
        while start < n {
            let range = start..<Swift.min(start + chunk, n)
            start = range.upperBound
            problem.gradient(at: x, range: range, into: buffer.pointer)
            optimizer.apply(x, gradient: buffer.pointer, lanes: lanes, scalars: c, range: range)
            if evaluate { problem.accumulate(at: x, range: range, gradient: nil, into: &sums) }
        }
        return sums.totals
    }

    /// `steps` iterations of exactly the harness's arithmetic (the tiled loop where the problem is
    /// separable and the rule elementwise, else gradient then step) with nothing else: no trace, no
    /// stopping tests, no timing. f is evaluated where a run with ``RunOptions/checkEvery`` =
    /// `checkEvery` evaluates it (every `checkEvery`-th iterate and the last). Returns f at the final
    /// point. For measuring what the harness costs (`descent-bench`); allocates its buffers first,
    /// then nothing.
    public static func bareLoop(problem: any Problem, optimizer: any UpdateRule, steps: Int, checkEvery: Int = 1) -> Double {
        let checkEvery = Swift.max(1, checkEvery)
        func run<P: Problem, O: UpdateRule>(_ problem: P, _ optimizer: O) -> Double {
            let x = Vector(problem.initialPoint()), g = Vector(count: problem.dimension)
            if let (separable, elementwise) = tiling(problem, optimizer) {
                func tiled<S: SeparableProblem, R: ElementwiseRule>(_ p: S, _ o: R) -> Double {
                    var state = o.makeState(dimension: p.dimension)
                    let tiles = Tiles(p, o, blocks: checkEvery > 1)
                    var f = p.valueGradientAndSquaredNorm(at: x, gradient: g).value
                    var k = 0
                    while k < steps {
                        let toCheck = Swift.min(checkEvery - k % checkEvery, steps - k)
                        let count = tiles.blockLength(o, &state, from: k + 1, upTo: toCheck)
                        let evaluate = count == toCheck
                        let value = tiles.advance(p, o, x, &state, from: k + 1, iterations: count, previous: nil, evaluate: evaluate).0
                        if evaluate { f = value }
                        k += count
                    }
                    return f
                }
                return tiled(separable, elementwise)
            }
            var state = optimizer.makeState(dimension: problem.dimension)
            let fused = problem as? any FusedGradientNorm
            var f = 0.0
            for k in 0...steps {
                if k % checkEvery == 0 || k == steps {
                    f = evaluate(problem, fused, x, g).0
                } else {
                    _ = problem.valueAndGradient(at: x, gradient: g)
                }
                if k < steps { optimizer.step(x, gradient: g, state: &state, iteration: k + 1) }
            }
            return f
        }
        return run(problem, optimizer)
    }

    /// The loop, in its own function so the optimizer's state is freed before the result copies x.
    private static func loopFullBatch<P: Problem, O: UpdateRule>(_ problem: P, _ optimizer: O, _ loop: inout IterationMonitor,
                                                                _ samplesPerGradient: Int) {
        var state = optimizer.makeState(dimension: problem.dimension)
        let fused = problem as? any FusedGradientNorm
        let report = Report(optimizer, loop.x.count)
        let objective = optimizer.usesStepObjective ? StepObjective(problem) : nil
        while true {
            loop.evaluations += 1
            loop.sampleGradients += samplesPerGradient
            let f: Double
            if loop.isCheck(loop.k) {
                let squaredNorm: Double?
                if let report {
                    // Rows, targets and stops see the reported point; the step the gradient point.
                    let stop = report.check(&loop, optimizer, state) { loop in
                        let (f, squaredNorm) = evaluate(problem, fused, loop.x, loop.g)
                        return loop.check(f, samplesPerEpoch: samplesPerGradient, squaredNorm: squaredNorm)
                    }
                    if stop { break }
                    f = problem.valueAndGradient(at: loop.x, gradient: loop.g)
                } else {
                    (f, squaredNorm) = evaluate(problem, fused, loop.x, loop.g)
                    if loop.check(f, samplesPerEpoch: samplesPerGradient, squaredNorm: squaredNorm) { break }
                }
            } else {
                f = problem.valueAndGradient(at: loop.x, gradient: loop.g)
            }
            loop.beforeStep()
            // f comes with the gradient at every iterate, checked or not; rules that use it get it.
            optimizer.step(loop.x, gradient: loop.g, context: StepContext(value: f, optimalValue: loop.fStar, curvature: loop.options.curvature,
                                                                          objective: objective),
                           state: &state, iteration: loop.k + 1)
            if let objective { loop.extraFunctionEvaluations += objective.collect() }
            loop.afterStep()
        }
    }

    /// For a rule that reports another point than its gradient point (``UpdateRule/reportsAnotherPoint``):
    /// a buffer for the gradient point while ``IterationMonitor/x`` holds the reported one.
    final class Report {
        let gradientPoint: Vector

        /// A report buffer when `rule` needs one, else `nil`.
        init?(_ rule: some UpdateRule, _ n: Int) {
            guard rule.reportsAnotherPoint else { return nil }
            gradientPoint = Vector(count: n)
        }

        /// Puts the reported point in `loop.x`, runs `check` there (untimed, as monitoring), and puts
        /// the gradient point back unless the run stops: then the reported point is the final one.
        func check<O: UpdateRule>(_ loop: inout IterationMonitor, _ rule: O, _ state: O.State,
                                  _ check: (inout IterationMonitor) -> Bool) -> Bool {
            let started = loop.clock.now
            gradientPoint.assign(loop.x)
            rule.reportedPoint(gradientPoint, state: state, into: loop.x)
            let stop = check(&loop)
            if !stop { loop.x.assign(gradientPoint) }
            loop.monitoring += loop.clock.now - started
            return stop
        }
    }

    private static func runStochastic<P: FiniteSumProblem, O: UpdateRule>(_ problem: P, _ optimizer: O, _ fStar: Double?,
                                                                         _ options: RunOptions) -> RunResult {
        var loop = IterationMonitor(problem: problem, fStar: fStar, options: options)
        var state = optimizer.makeState(dimension: problem.dimension)
        let report = Report(optimizer, loop.x.count)
        let m = problem.sampleCount
        let batchSize = Swift.min(Swift.max(1, options.batchSize ?? m), m)
        var order = Array(0..<m)
        var rng = SeededGenerator(seed: options.samplingSeed)
        if options.shuffle { shuffle(&order, &rng) }
        var cursor = 0
        let logEvery = Swift.max(1, options.logEvery)
        let objective = optimizer.usesStepObjective ? StepObjective(finiteSum: problem) : nil
        let stepsPerEpoch = (m + batchSize - 1) / batchSize
        while true {
            if loop.k % logEvery == 0 || loop.k >= options.maxIterations {
                let stop: Bool
                if let report {
                    stop = report.check(&loop, optimizer, state) { loop in
                        loop.check(problem.valueAndGradient(at: loop.x, gradient: loop.g), samplesPerEpoch: m)
                    }
                } else {
                    let started = loop.clock.now
                    let f = problem.valueAndGradient(at: loop.x, gradient: loop.g)
                    loop.monitoring += loop.clock.now - started
                    stop = loop.check(f, samplesPerEpoch: m)
                }
                if stop { break }
            }
            let end = Swift.min(cursor + batchSize, m)
            let batch = order[cursor..<end]
            // A rule that searches along its step needs the batch's loss too.
            var batchLoss: Double? = nil
            let finite: Bool
            if objective != nil {
                let loss = problem.batchValueAndGradient(at: loop.x, batch: batch, gradient: loop.g)
                batchLoss = loss
                finite = loss.isFinite
            } else {
                finite = problem.batchGradient(at: loop.x, batch: batch, gradient: loop.g)
            }
            loop.evaluations += 1
            loop.sampleGradients += end - cursor
            if !finite || !loop.g.norm().isFinite {
                // Maybe diverged: the loss itself decides (and is the row's value), with the same gradient.
                let fb = problem.batchValueAndGradient(at: loop.x, batch: batch, gradient: loop.g)
                if !fb.isFinite || !loop.g.norm().isFinite {
                    loop.stop(.diverged, value: fb, samplesPerEpoch: m)
                    break
                }
            }
            loop.beforeStep()
            if let objective, let batchLoss {
                objective.batch = batch
                optimizer.step(loop.x, gradient: loop.g,
                               context: StepContext(value: batchLoss, optimalValue: nil, curvature: nil, objective: objective,
                                                    stepsPerEpoch: stepsPerEpoch),
                               state: &state, iteration: loop.k + 1)
                objective.batch = nil
                loop.extraFunctionEvaluations += objective.collect()
            } else {
                optimizer.step(loop.x, gradient: loop.g, state: &state, iteration: loop.k + 1)
            }
            loop.afterStep()
            // The next batch; a new permutation after the last (after the step, so that no slice of
            // the old one is alive when it is shuffled in place).
            cursor = end
            if cursor == m {
                if options.shuffle { shuffle(&order, &rng) }
                cursor = 0
            }
        }
        return loop.result(samplesPerEpoch: m)
    }

    /// Fisher–Yates with ``SeededGenerator``: the same permutation on every platform and Swift version.
    static func shuffle(_ a: inout [Int], _ rng: inout SeededGenerator) {
        var i = a.count - 1
        while i > 0 {
            let j = Int(rng.next() % UInt64(i + 1))
            a.swapAt(i, j)
            i -= 1
        }
    }
}

/// A method that runs its own iterations and counts its own evaluations (GSL's minimizers, Newton's
/// method with a line search). The harness hands it the problem and the options; it reports every
/// iterate to an ``IterationMonitor``, which applies the same stopping rules and logging as the
/// harness's own loop, and returns the monitor's result.
public protocol Solver: Sendable {
    /// Minimizes `problem` from its initial point under `options`.
    func solve(problem: any Problem, optimalValue: Double?, options: RunOptions) -> RunResult
}

/// The bookkeeping of a run: buffers, counters, stopping rules and the trace. The harness's loops
/// use it, and so can a ``Solver``: write the iterate into ``x`` (through ``advance(_:)``) and its
/// gradient into ``g``, keep the counters current, and call ``check(_:)`` after each iteration.
public struct IterationMonitor {
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant
    let options: RunOptions
    let fStar: Double?
    let logEvery: Int
    let checkEvery: Int
    /// The current iterate.
    public let x: Vector
    /// The gradient at the current iterate.
    public let g: Vector
    let previous: Vector
    var trace: [TraceRow] = []
    /// Iterations completed.
    public internal(set) var k = 0
    /// Gradient evaluations so far.
    public var evaluations = 0
    /// Function-only evaluations so far (in addition to those made with a gradient).
    public var extraFunctionEvaluations = 0
    var sampleGradients = 0
    var monitoring: Duration = .zero
    var f0 = 0.0
    var best = Double.infinity
    var lastBestIteration = 0
    var stepNorm: Double? = nil
    var keptPrevious = false
    var value = Double.nan
    var gradientNorm = Double.nan
    var status: RunStatus = .maxIterations
    var note: String? = nil
    var hits: [TargetHit] = []
    /// Scores the iterate on held-out data at logged rows (not timed), for problems with a split.
    let validate: ((Vector) -> (loss: Double, accuracy: Double?))?

    /// A monitor for a run of `problem` from its initial point (already in ``x``).
    public init(problem: some Problem, fStar: Double?, options: RunOptions) {
        start = clock.now
        if let p = problem as? any ValidationMetrics, p.validation(at: Vector(p.initialPoint())).loss.isFinite {
            validate = { p.validation(at: $0) }
        } else {
            validate = nil
        }
        self.options = options
        self.fStar = fStar
        logEvery = Swift.max(1, options.logEvery)
        checkEvery = Swift.max(1, options.checkEvery)
        x = Vector(problem.initialPoint())
        g = Vector(count: problem.dimension)
        previous = Vector(count: problem.dimension)
        trace.reserveCapacity(Swift.min(options.maxIterations / logEvery + 2, 1 << 16))
        hits.reserveCapacity(Targets.all.count)
    }

    var elapsed: Double { (clock.now - start - monitoring).seconds }

    /// Whether iterate `k` is evaluated and checked (``RunOptions/checkEvery``): every K-th, the
    /// last, and any once the run is cancelled or over its time limit.
    @inline(__always) func isCheck(_ k: Int) -> Bool {
        if checkEvery == 1 || k % checkEvery == 0 || k >= options.maxIterations { return true }
        if options.cancellation?.isSet == true { return true }
        if let limit = options.timeLimit, elapsed > limit { return true }
        return false
    }

    /// Applies the stopping rules to f(x_k) and ∇f(x_k) (in ``g``), logs row k if due; true to stop.
    public mutating func check(_ f: Double) -> Bool { check(f, samplesPerEpoch: 1) }

    /// Moves to the next iterate: `update` writes x_{k+1} into ``x`` (the step norm is kept for logged rows).
    public mutating func advance(_ update: (Vector) -> Void) {
        beforeStep()
        update(x)
        afterStep()
    }

    /// Ends the run with `status` and a note, logging the current row if it was not.
    public mutating func finish(_ s: RunStatus, note text: String?) {
        status = s
        note = text
        if trace.last?.iteration != k { record(1) }
    }

    /// The run's result.
    public func result() -> RunResult { result(samplesPerEpoch: 1) }

    /// `squaredNorm`: Σgᵢ² when the problem summed it in its gradient pass (``FusedGradientNorm``).
    mutating func check(_ f: Double, samplesPerEpoch m: Int, squaredNorm: Double? = nil) -> Bool {
        value = f
        gradientNorm = squaredNorm.map { Kernels.norm(squaredSum: $0, g.pointer, g.count) } ?? g.norm()
        if k == 0 { f0 = f }
        let error = fStar.map { f - $0 } ?? gradientNorm
        var stop: RunStatus? = nil
        if !f.isFinite || !gradientNorm.isFinite || f > f0 + options.divergenceFactor * Swift.max(1, Swift.abs(f0)) {
            stop = .diverged
        } else if options.tolerance > 0 && error <= options.tolerance {
            stop = .converged
        } else if k >= options.maxIterations {
            stop = .maxIterations
        } else if options.cancellation?.isSet == true {
            stop = .interrupted
        } else if let limit = options.timeLimit, elapsed > limit {
            stop = .timeout
        } else if f < best {
            best = f
            lastBestIteration = k
        } else if k - lastBestIteration >= options.patience {
            stop = .stalled
        }
        if stop != .diverged { recordHits(error, m) }
        if stop != nil || k % logEvery == 0 { record(m) }
        if let stop { status = stop }
        return stop != nil
    }

    /// Records every target of ``Targets/all`` that `measure` reaches for the first time.
    @inline(__always) mutating func recordHits(_ measure: Double, _ m: Int) {
        while hits.count < Targets.all.count && measure <= Targets.all[hits.count] {
            hits.append(TargetHit(target: Targets.all[hits.count], iteration: k, gradientEvaluations: evaluations,
                                  functionEvaluations: evaluations + extraFunctionEvaluations,
                                  sampleGradients: countedSampleGradients, epochs: Double(countedSampleGradients) / Double(m),
                                  time: elapsed))
        }
    }

    /// Stops at once with `status` (a non-finite mini-batch), logging the row.
    mutating func stop(_ s: RunStatus, value f: Double, samplesPerEpoch m: Int) {
        value = f
        gradientNorm = g.norm()
        status = s
        record(m)
    }

    mutating func record(_ m: Int) {
        let time = elapsed
        var scores: (loss: Double, accuracy: Double?)? = nil
        if let validate {
            let started = clock.now
            scores = validate(x)
            monitoring += clock.now - started
        }
        let row = TraceRow(iteration: k, gradientEvaluations: evaluations, sampleGradients: sampleGradients,
                           epochs: Double(sampleGradients) / Double(m), value: value,
                           suboptimality: fStar.map { value - $0 }, gradientNorm: gradientNorm,
                           stepNorm: k == 0 ? nil : stepNorm, time: time,
                           validationLoss: scores?.loss, validationAccuracy: scores?.accuracy ?? nil)
        trace.append(row)
        options.observer?.receive(row)
    }

    /// Iterations from x_k to the next iterate that must be checked (every ``RunOptions/checkEvery``-th
    /// and the last), at most `limit`; 1 once the run is cancelled or over its time limit.
    func iterationsToCheck(limit: Int) -> Int {
        if isCheck(k + 1) { return 1 }
        let toScheduled = checkEvery - k % checkEvery
        return Swift.min(limit, toScheduled, options.maxIterations - k)
    }

    /// ``beforeStep()`` for `count` iterations: the buffer that must receive the second-to-last
    /// iterate when row k + `count` is scheduled (for its step norm), else `nil`.
    mutating func beforeSteps(_ count: Int) -> Vector? {
        keptPrevious = (k + count) % logEvery == 0 || k + count == options.maxIterations
        return keptPrevious ? previous : nil
    }

    /// ``afterStep()`` for `count` iterations.
    mutating func afterSteps(_ count: Int) {
        stepNorm = keptPrevious ? x.distance(to: previous) : nil
        k += count
    }

    /// Keeps x_k only when row k+1 is scheduled, so the step norm costs nothing otherwise.
    mutating func beforeStep() { beforeSteps(1)?.assign(x) }

    mutating func afterStep() { afterSteps(1) }

    /// Sample gradients so far; gradient evaluations for a solver that never counted them.
    var countedSampleGradients: Int { sampleGradients == 0 ? evaluations : sampleGradients }

    func result(samplesPerEpoch m: Int) -> RunResult {
        RunResult(status: status, iterations: k, gradientEvaluations: evaluations,
                  functionEvaluations: evaluations + extraFunctionEvaluations,
                  sampleGradients: countedSampleGradients, epochs: Double(countedSampleGradients) / Double(m), initialValue: f0,
                  finalValue: value, optimalValue: fStar, gradientNorm: gradientNorm, time: elapsed, trace: trace,
                  finalPoint: x.array, note: note, hits: hits)
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
