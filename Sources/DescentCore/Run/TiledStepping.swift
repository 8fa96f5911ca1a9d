/// Tiled stepping, for an elementwise rule (``ElementwiseRule``) on a separable problem. Per
/// iteration, chunk by chunk: the chunk's gradient at x_k into a chunk-sized buffer, the rule's step
/// of the chunk, and the chunk's terms of f(x_{k+1}) and ‖∇f(x_{k+1})‖² — so each chunk is read from
/// memory once per iteration and no full-length gradient is written (the gradient is computed
/// twice per iteration, which costs arithmetic, not memory traffic). The stopping rules still see
/// f(x_k) and ‖∇f(x_k)‖ before step k, and every number is the same as in ``PlainStepping``
/// (elementwise arithmetic; sums fed in order, see ``VectorMath/Sums``). ``IterationMonitor/g``
/// holds ∇f only when the squared norm over- or underflows and the norm needs a rescan.
///
/// With ``RunOptions/checkEvery`` > 1 the unchecked iterations up to the next check (at most
/// ``Harness/blockIterations``) run as one block (``Harness/iterations(_:_:_:_:_:scalars:chunk:buffer:previous:evaluate:)``):
/// memory is crossed once per block rather than once per iteration, with the same iterates bit for bit.
/// A rule that reports another point is checked there by the loop; its steps still run tiled,
/// fused and blocked, without the sums at the gradient point.
struct TiledStepping<P: SeparableProblem, O: ElementwiseRule>: SteppingStrategy {
    let problem: P
    let rule: O
    var state: O.State
    let chunks: ChunkBuffers<O>
    /// The problem's gradient as data, when steps fuse with it (``AffineGradientProblem``).
    let affine: (any AffineGradientProblem)?
    let reportsAnotherPoint: Bool
    /// f and Σgᵢ² at x_k, from the last step's pass.
    var f: Double
    var squaredNorm: Double

    /// The strategy for `rule` on `problem`: f, ∇f and Σgᵢ² at x₀ (counted).
    init(_ problem: P, _ rule: O, _ monitor: inout IterationMonitor) {
        self.init(bare: problem, rule, blocks: monitor.checkEvery > 1, x: monitor.x, g: monitor.g)
        monitor.countGradients(1)
    }

    /// The same without a monitor (the bare loop).
    init(bare problem: P, _ rule: O, blocks: Bool, x: Vector, g: Vector) {
        self.problem = problem
        self.rule = rule
        state = rule.makeState(dimension: problem.dimension)
        chunks = ChunkBuffers(problem, rule, blocks: blocks)
        affine = problem as? any AffineGradientProblem
        reportsAnotherPoint = rule.reportsAnotherPoint
        (f, squaredNorm) = problem.valueGradientAndSquaredNorm(at: x, gradient: g)
    }

    /// Every iterate the loop sees is one it checks: ``step(_:checked:)`` runs up to the next.
    func isCheck(_ monitor: IterationMonitor) -> Bool { true }

    func valueForCheck(_ monitor: inout IterationMonitor) -> (Double, Double?) { (f, squaredNorm) }

    func reportedPoint(_ gradientPoint: Vector, into point: Vector) {
        rule.reportedPoint(gradientPoint, state: state, into: point)
    }

    func valueAtReportedPoint(_ monitor: inout IterationMonitor) -> (Double, Double?) {
        let (f, squaredNorm) = problem.valueGradientAndSquaredNorm(at: monitor.x, gradient: monitor.g)
        return (f, squaredNorm)
    }

    mutating func step(_ monitor: inout IterationMonitor, checked _: Bool) -> Bool {
        var checked: Bool
        repeat {
            let count = chunks.blockLength(rule, &state, from: monitor.k + 1,
                                           upTo: monitor.iterationsToCheck(limit: chunks.scalars.count))
            checked = monitor.isCheck(monitor.k + count)
            let totals = advance(monitor.x, iterations: count, previous: monitor.beforeSteps(count),
                                 evaluate: checked && !reportsAnotherPoint)
            monitor.afterSteps(count)
            if checked { (f, squaredNorm) = totals }
            monitor.countGradients(count)
        } while !checked
        if !reportsAnotherPoint && !VectorMath.isAccurate(squaredSum: squaredNorm) {
            // The norm needs the gradient itself (a rescaled pass): compute it in full, once.
            (f, squaredNorm) = problem.valueGradientAndSquaredNorm(at: monitor.x, gradient: monitor.g)
        }
        return true
    }

    /// The `iterations` whose scalars ``ChunkBuffers/blockLength(_:_:from:upTo:)`` put in the
    /// buffers. With `previous`, x at the second-to-last iterate is copied there (a logged row's
    /// step norm); with `evaluate`, returns f and Σgᵢ² at the last iterate (zeros otherwise).
    @inline(__always)
    func advance(_ x: Vector, iterations: Int, previous: Vector?, evaluate: Bool) -> (Double, Double) {
        defer { chunks.scalars.baseAddress!.deinitialize(count: iterations) }
        // One iteration goes over memory in the loop's chunks; a block in smaller ones, which stay
        // in L1 and L2 for all its steps.
        let chunk = iterations > 1 ? Harness.blockChunkSize(problem) : chunks.buffer.count
        return Harness.iterations(problem, affine, rule, x, state.vectors, scalars: UnsafeBufferPointer(rebasing: chunks.scalars[..<iterations]),
                                  chunk: chunk, buffer: chunks.buffer, previous: previous, evaluate: evaluate)
    }
}

/// The buffers of tiled stepping, allocated once per run: a chunk's gradient, and the scalars of
/// the iterations of a block (one unless blocks run).
final class ChunkBuffers<O: ElementwiseRule> {
    let buffer: Vector
    let scalars: UnsafeMutableBufferPointer<O.Scalars>

    init<P: SeparableProblem>(_ problem: P, _ rule: O, blocks: Bool) {
        buffer = Vector(count: Harness.chunkSize(problem))
        scalars = .allocate(capacity: blocks ? Harness.blockIterations : 1)
    }

    deinit { scalars.deallocate() }

    /// How many iterations, from iteration `first`, the next step takes: `limit` (at most the
    /// block's capacity, at least 1), with their scalars computed in order into ``scalars``.
    @inline(__always)
    func blockLength(_ rule: O, _ state: inout O.State, from first: Int, upTo limit: Int) -> Int {
        let count = Swift.max(1, Swift.min(limit, scalars.count))
        for t in 0..<count {
            (scalars.baseAddress! + t).initialize(to: rule.advance(&state, to: first + t))
        }
        return count
    }
}

extension Harness {
    /// Coordinates per chunk of the tiled loop (rounded to the problem's alignment): x, ∇f and two
    /// moment buffers of a chunk take 64 KiB, within a core's L2 (1024 to 16384 measured alike).
    static let tile = 2048

    /// Iterations per block of ``iterations(_:_:_:_:_:scalars:chunk:buffer:previous:evaluate:)`` at most;
    /// a cancellation or time limit is seen between blocks.
    static let blockIterations = 64

    /// Coordinates per chunk of a block (rounded to the problem's alignment): x, the problem's data,
    /// the chunk's gradient and the rule's state of a chunk stay in a core's L1 and L2 while every
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

    /// `body` for each range of `chunk` coordinates of 0..<n in order (the last may be shorter).
    @inline(__always)
    static func forEachChunk(_ n: Int, _ chunk: Int, _ body: (Range<Int>) -> Void) {
        var start = 0
        while start < n {
            let range = start..<Swift.min(start + chunk, n)
            start = range.upperBound
            body(range)
        }
    }

    /// Consecutive iterations with the given scalars, chunk by chunk: each chunk of x takes every
    /// step (its gradient into `buffer`, then the rule's step) while it is in cache, then the next
    /// chunk, so memory is crossed once per block instead of once per iteration. A separable
    /// problem's coordinates in a chunk depend on no others, and each coordinate sees the same
    /// operations in the same order, so the iterates are the same bits as one iteration at a time.
    /// With `affine` (the problem's ``AffineGradient``) each step fuses with the gradient, in
    /// registers (no buffer; one iteration takes all n coordinates as one chunk). With `previous`, each chunk is copied there
    /// before the last step (x at the second-to-last iterate, for a logged row's step norm); with
    /// `evaluate`, returns f and Σgᵢ² at the last iterate (summed chunk by chunk in order, so with
    /// the same lanes and bits for any chunk length that is a multiple of 8), zeros otherwise.
    @inline(__always)
    static func iterations<P: SeparableProblem, O: ElementwiseRule>(_ problem: P, _ affine: (any AffineGradientProblem)?, _ rule: O,
                                                                   _ x: Vector, _ lanes: StateVectors,
                                                                   scalars: UnsafeBufferPointer<O.Scalars>, chunk: Int, buffer: Vector,
                                                                   previous: Vector?, evaluate: Bool) -> (Double, Double) {
        let n = problem.dimension, last = scalars.count - 1
        var sums = VectorMath.Sums()
        withUnsafeMutablePointer(to: &sums) { sums in
            let fused: Void? = affine?.withAffineGradient { q in
                forEachChunk(n, last == 0 ? n : chunk) { range in
                    for t in 0..<last { rule.apply(x, affineGradient: q, state: lanes, scalars: scalars[t], range: range, sums: nil) }
                    previous?.copy(range, from: x)
                    rule.apply(x, affineGradient: q, state: lanes, scalars: scalars[last], range: range, sums: evaluate ? sums : nil)
                }
            }
            guard fused == nil else { return }
            forEachChunk(n, chunk) { range in
                for t in 0...last {
                    if t == last { previous?.copy(range, from: x) }
                    problem.gradient(at: x, range: range, into: buffer.pointer)
                    rule.apply(x, gradient: buffer.pointer, state: lanes, scalars: scalars[t], range: range)
                }
                if evaluate { problem.accumulate(at: x, range: range, gradient: nil, into: &sums.pointee) }
            }
        }
        return sums.totals
    }
}
