extension Harness {
    /// `steps` iterations of exactly the run loop's arithmetic, from the same strategies' pieces
    /// (tiled stepping where the problem is separable and the rule elementwise, else plain
    /// stepping) with nothing else: no monitor, so no trace, no stopping tests, no timing. f is
    /// evaluated where a run with ``RunOptions/checkEvery`` = `checkEvery` evaluates it (every
    /// `checkEvery`-th iterate and the last). Returns f at the final point. For measuring what the
    /// monitor costs (`descent-bench`); allocates its buffers first, then nothing.
    public static func bareLoop(problem: any Problem, optimizer: any UpdateRule, steps: Int, checkEvery: Int = 1) -> Double {
        let checkEvery = Swift.max(1, checkEvery)
        func run<P: Problem, O: UpdateRule>(_ problem: P, _ optimizer: O) -> Double {
            let x = Vector(problem.initialPoint()), g = Vector(count: problem.dimension)
            if let (separable, elementwise) = tiling(problem, optimizer) {
                func tiled<S: SeparableProblem, R: ElementwiseRule>(_ p: S, _ o: R) -> Double {
                    var s = TiledStepping(bare: p, o, blocks: checkEvery > 1, x: x, g: g)
                    var f = s.f, k = 0
                    while k < steps {
                        let toCheck = Swift.min(checkEvery - k % checkEvery, steps - k)
                        let count = s.chunks.blockLength(o, &s.state, from: k + 1, upTo: toCheck)
                        let evaluate = count == toCheck
                        let value = s.advance(x, iterations: count, previous: nil, evaluate: evaluate).0
                        if evaluate { f = value }
                        k += count
                    }
                    return f
                }
                return tiled(separable, elementwise)
            }
            var s = PlainStepping(bare: problem, optimizer)
            var f = 0.0
            for k in 0...steps {
                let evaluate = k % checkEvery == 0 || k == steps
                let value = s.bareIteration(x, g, k: k, evaluate: evaluate, step: k < steps)
                if evaluate { f = value }
            }
            return f
        }
        return run(problem, optimizer)
    }

    /// `steps` mini-batch steps of `batchSize` samples in row order (stochastic stepping's
    /// ``Batches`` without shuffling), each the batch gradient and the rule's step, with nothing
    /// else. Returns the final point; f there is the caller's to evaluate (outside its timing).
    public static func bareBatchLoop(problem: any FiniteSumProblem, optimizer: any UpdateRule, steps: Int, batchSize: Int) -> Vector {
        func run<P: FiniteSumProblem, O: UpdateRule>(_ problem: P, _ optimizer: O) -> Vector {
            let x = Vector(problem.initialPoint()), g = Vector(count: problem.dimension)
            var state = optimizer.makeState(dimension: problem.dimension)
            var batches = Batches(samples: problem.sampleCount, batchSize: batchSize, shuffle: false, seed: 0)
            for k in 0..<steps {
                _ = problem.batchGradient(at: x, batch: batches.order[batches.next], gradient: g)
                batches.advance()
                optimizer.step(x, gradient: g, state: &state, iteration: k + 1)
            }
            return x
        }
        return run(problem, optimizer)
    }
}
