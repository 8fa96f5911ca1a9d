/// Stochastic stepping, for a finite-sum problem with a batch size (see ``Harness``): the next
/// mini-batch's gradient, then the rule's step; checked at logged iterates, by an untimed
/// evaluation of the full objective.
struct StochasticStepping<P: FiniteSumProblem, O: UpdateRule>: SteppingStrategy {
    let problem: P
    let rule: O
    var state: O.State
    let reportsAnotherPoint: Bool
    let objective: StepObjective?
    var batches: Batches
    let logEvery: Int
    let maxIterations: Int

    /// The strategy for `rule` on `problem` under `options` (`batchSize` set).
    init(_ problem: P, _ rule: O, _ options: RunOptions) {
        self.problem = problem
        self.rule = rule
        state = rule.makeState(dimension: problem.dimension)
        reportsAnotherPoint = rule.reportsAnotherPoint
        batches = Batches(samples: problem.sampleCount, batchSize: options.batchSize, shuffle: options.shuffle, seed: options.samplingSeed)
        logEvery = Swift.max(1, options.logEvery)
        maxIterations = options.maxIterations
        objective = rule.usesStepObjective ? StepObjective(finiteSum: problem) : nil
    }

    func isCheck(_ monitor: IterationMonitor) -> Bool { monitor.k % logEvery == 0 || monitor.k >= maxIterations }

    func valueForCheck(_ monitor: inout IterationMonitor) -> (Double, Double?) {
        let started = monitor.clock.now
        let f = problem.valueAndGradient(at: monitor.x, gradient: monitor.g)
        monitor.monitoring += monitor.clock.now - started
        return (f, nil)
    }

    func reportedPoint(_ gradientPoint: Vector, into point: Vector) {
        rule.reportedPoint(gradientPoint, state: state, into: point)
    }

    func valueAtReportedPoint(_ monitor: inout IterationMonitor) -> (Double, Double?) {
        (problem.valueAndGradient(at: monitor.x, gradient: monitor.g), nil)
    }

    mutating func step(_ monitor: inout IterationMonitor, checked _: Bool) -> Bool {
        guard step(&monitor, batch: batches.next) else { return false }
        // The next batch; a new permutation after the last (after the step, so that no slice of
        // the old one is alive when it is shuffled in place).
        batches.advance()
        return true
    }

    /// The step on the samples at `range` of the batch order; `false` when it diverged.
    private mutating func step(_ monitor: inout IterationMonitor, batch range: Range<Int>) -> Bool {
        let batch = batches.order[range]
        // A rule that searches along its step needs the batch's loss too.
        var batchLoss: Double? = nil
        let finite: Bool
        if objective != nil {
            let loss = problem.batchValueAndGradient(at: monitor.x, batch: batch, gradient: monitor.g)
            batchLoss = loss
            finite = loss.isFinite
        } else {
            finite = problem.batchGradient(at: monitor.x, batch: batch, gradient: monitor.g)
        }
        monitor.evaluations += 1
        monitor.sampleGradients += range.count
        if !finite || !monitor.g.norm().isFinite {
            // Maybe diverged: the loss itself decides (and is the row's value), with the same gradient.
            let fb = problem.batchValueAndGradient(at: monitor.x, batch: batch, gradient: monitor.g)
            if !fb.isFinite || !monitor.g.norm().isFinite {
                monitor.stop(.diverged, value: fb)
                return false
            }
        }
        monitor.beforeStep()
        if let objective, let batchLoss {
            objective.batch = batch
            rule.step(monitor.x, gradient: monitor.g,
                      context: StepContext(value: batchLoss, optimalValue: nil, curvature: nil, objective: objective,
                                           stepsPerEpoch: batches.stepsPerEpoch),
                      state: &state, iteration: monitor.k + 1)
            objective.batch = nil
            monitor.extraFunctionEvaluations += objective.collect()
        } else {
            rule.step(monitor.x, gradient: monitor.g, state: &state, iteration: monitor.k + 1)
        }
        monitor.afterStep()
        return true
    }
}

/// The mini-batches of a stochastic run: consecutive slices of a permutation of the samples,
/// reshuffled every epoch from the seed, or the rows in order every epoch without shuffling.
struct Batches {
    /// The samples in this epoch's order.
    private(set) var order: [Int]
    var rng: SeededGenerator
    let batchSize: Int
    let shuffle: Bool
    /// Where the next batch starts in ``order``.
    var cursor = 0

    /// Batches of `batchSize` (clamped to 1…m; all m when `nil`) of `samples` samples.
    init(samples m: Int, batchSize: Int?, shuffle: Bool, seed: UInt64) {
        self.batchSize = Swift.min(Swift.max(1, batchSize ?? m), m)
        self.shuffle = shuffle
        order = Array(0..<m)
        rng = SeededGenerator(seed: seed)
        if shuffle { Harness.shuffle(&order, &rng) }
    }

    /// Steps per epoch (the last batch of an epoch may be smaller).
    var stepsPerEpoch: Int { (order.count + batchSize - 1) / batchSize }

    /// The positions in ``order`` of the next batch.
    var next: Range<Int> { cursor..<Swift.min(cursor + batchSize, order.count) }

    /// Moves past the batch ``next``; a new permutation after the last. Call it once no slice of
    /// ``order`` is alive, so that the shuffle in place copies nothing.
    mutating func advance() {
        cursor = next.upperBound
        if cursor == order.count {
            if shuffle { Harness.shuffle(&order, &rng) }
            cursor = 0
        }
    }
}

extension Harness {
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
