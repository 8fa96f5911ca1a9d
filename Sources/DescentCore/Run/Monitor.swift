/// A method that runs its own iterations and counts its own evaluations (GSL's minimizers, Newton's
/// method with a line search): the fourth way of stepping, besides the run loop's own strategies
/// (``Harness``). The harness hands it the problem, x₀ and the options; it reports every iterate to an
/// ``IterationMonitor``, the same monitor (stopping rules, trace, targets, validation, timing) the
/// run loop checks with, and returns the monitor's result.
public protocol Solver: Sendable {
    /// Minimizes `problem` from `start` (x₀, n values) under `options`.
    func solve(problem: any Problem, from start: consuming [Double], optimalValue: Double?, options: RunOptions) -> RunResult
}

extension Solver {
    /// Minimizes `problem` from its standard starting point (``Problem/initialPoint()``).
    public func solve(problem: any Problem, optimalValue: Double?, options: RunOptions) -> RunResult {
        solve(problem: problem, from: problem.initialPoint(), optimalValue: optimalValue, options: options)
    }
}

/// The monitor of a run: buffers, counters, stopping rules, the trace, target hits, validation
/// scores and timing, written once. The run loop (``Harness``) checks every strategy's iterates
/// with it, and so can a ``Solver``: write the iterate into ``x`` (through ``advance(_:)``) and its
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
    /// Sample gradients per epoch: m for a finite sum, else 1 (one per gradient).
    var samplesPerEpoch = 1
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

    /// A monitor for a run of `problem` from x₀ = `initialPoint` (n values), which it puts in ``x``.
    public init(problem: some Problem, from initialPoint: [Double], fStar: Double?, options: RunOptions) {
        precondition(initialPoint.count == problem.dimension, "x₀ has \(initialPoint.count) values, the problem \(problem.dimension)")
        start = clock.now
        if let p = problem as? any ValidationMetrics, p.validation(at: Vector(initialPoint)).loss.isFinite {
            validate = { p.validation(at: $0) }
        } else {
            validate = nil
        }
        self.options = options
        self.fStar = fStar
        logEvery = Swift.max(1, options.logEvery)
        checkEvery = Swift.max(1, options.checkEvery)
        x = Vector(initialPoint)
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
    public mutating func check(_ f: Double) -> Bool { check(f, squaredNorm: nil) }

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
        if trace.last?.iteration != k { record() }
    }

    /// The run's result.
    public func result() -> RunResult {
        let m = samplesPerEpoch
        return RunResult(status: status, iterations: k, gradientEvaluations: evaluations,
                         functionEvaluations: evaluations + extraFunctionEvaluations,
                         sampleGradients: countedSampleGradients, epochs: Double(countedSampleGradients) / Double(m),
                         initialValue: f0, finalValue: value, optimalValue: fStar, gradientNorm: gradientNorm, time: elapsed,
                         trace: trace, finalPoint: x.array, note: note, hits: hits)
    }

    /// Counts `count` full gradients (each ``samplesPerEpoch`` sample gradients).
    @inline(__always) mutating func countGradients(_ count: Int) {
        evaluations += count
        sampleGradients += count * samplesPerEpoch
    }

    /// `squaredNorm`: Σgᵢ² when the problem summed it in its gradient pass (``FusedGradientNorm``).
    mutating func check(_ f: Double, squaredNorm: Double?) -> Bool {
        value = f
        gradientNorm = squaredNorm.map { VectorMath.norm(squaredSum: $0, g.pointer, g.count) } ?? g.norm()
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
        if stop != .diverged { recordHits(error) }
        if stop != nil || k % logEvery == 0 { record() }
        if let stop { status = stop }
        return stop != nil
    }

    /// Records every target of ``Targets/all`` that `measure` reaches for the first time.
    @inline(__always) mutating func recordHits(_ measure: Double) {
        let m = samplesPerEpoch
        while hits.count < Targets.all.count && measure <= Targets.all[hits.count] {
            hits.append(TargetHit(target: Targets.all[hits.count], iteration: k, gradientEvaluations: evaluations,
                                  functionEvaluations: evaluations + extraFunctionEvaluations,
                                  sampleGradients: countedSampleGradients, epochs: Double(countedSampleGradients) / Double(m),
                                  time: elapsed))
        }
    }

    /// Stops at once with `status` (a non-finite mini-batch), logging the row.
    mutating func stop(_ s: RunStatus, value f: Double) {
        value = f
        gradientNorm = g.norm()
        status = s
        record()
    }

    mutating func record() {
        let time = elapsed, m = samplesPerEpoch
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
}
