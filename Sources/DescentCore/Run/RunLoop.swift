/// Which loop of the harness runs an optimizer on a problem (see ``Harness``). Decided from the
/// problem's and the rule's types and the run's options alone, before the run: ``Harness/loop(problem:method:options:)``.
///
/// | loop | when | what it does |
/// | --- | --- | --- |
/// | `fused` | an ``ElementwiseRule`` on a ``SeparableProblem`` whose gradient is an ``AffineGradient`` | each step is computed with the gradient in registers, in one pass over x |
/// | `tiled` | an ``ElementwiseRule`` on any other ``SeparableProblem`` | chunk by chunk, in cache: a chunk's gradient, then its step |
/// | `plain` | any other full-batch step-wise rule or problem | the whole gradient, then the rule's whole-vector step |
/// | `stochastic` | `batchSize` set on a ``FiniteSumProblem`` | a mini-batch gradient, then the rule's step |
/// | `solver` | a ``Solver`` | the solver's own iterations |
///
/// `fused, blocked` and `tiled, blocked`: with ``RunOptions/checkEvery`` > 1 the unchecked
/// iterations between two checks run as blocks of up to 64, chunk by chunk.
/// Every loop gives the same iterates bit for bit as `plain`; they differ in speed only. An
/// elementwise rule wrapped by a modifier that is not itself elementwise (a schedule's wrapper, for
/// instance) runs `plain`.
public enum RunLoop: String, Sendable, CaseIterable {
    /// Tiled stepping whose steps fuse with the problem's ``AffineGradient``, one iteration at a time.
    case fused
    /// Fused, with the iterations between checks in blocks.
    case fusedBlocked = "fused, blocked"
    /// Tiled stepping with a chunk's gradient through a buffer, one iteration at a time.
    case tiled
    /// Tiled, with the iterations between checks in blocks.
    case tiledBlocked = "tiled, blocked"
    /// The whole gradient, then the rule's whole-vector step.
    case plain
    /// Mini-batch gradients (`batchSize` set on a finite-sum problem).
    case stochastic
    /// A ``Solver``'s own iterations.
    case solver

    /// What the loop does, in a few words (`suite run --explain`).
    public var explanation: String {
        switch self {
        case .fused: return "elementwise rule on a problem with an affine gradient: step and gradient in one pass, in registers"
        case .fusedBlocked: return "fused, and the iterations between checks in blocks of up to \(Harness.blockIterations), chunk by chunk"
        case .tiled: return "elementwise rule on a separable problem: chunk by chunk in cache (gradient of a chunk, then its step)"
        case .tiledBlocked: return "tiled, and the iterations between checks in blocks of up to \(Harness.blockIterations)"
        case .plain: return "the whole gradient, then the rule's whole-vector step (the rule is not elementwise or the problem not separable)"
        case .stochastic: return "a mini-batch gradient, then the rule's step"
        case .solver: return "the solver's own iterations"
        }
    }
}

extension Harness {
    /// The loop ``run(problem:method:optimalValue:options:)`` takes for `method` on `problem` under `options`.
    public static func loop(problem: any Problem, method: ConfiguredOptimizer.Method, options: RunOptions) -> RunLoop {
        switch method {
        case .stepwise(let rule): return loop(problem: problem, optimizer: rule, options: options)
        case .solver: return .solver
        }
    }

    /// The loop ``run(problem:optimizer:optimalValue:options:)`` takes for `optimizer` on `problem` under
    /// `options`: the same tests, in the same order, as the run's dispatch.
    public static func loop(problem: any Problem, optimizer: any UpdateRule, options: RunOptions) -> RunLoop {
        if options.batchSize != nil, problem is any FiniteSumProblem { return .stochastic }
        guard let (separable, _) = tiling(problem, optimizer) else { return .plain }
        let blocked = options.checkEvery > 1
        // Tiled stepping fuses where the problem gives its gradient as data (``TiledStepping/affine``).
        if (separable as? any AffineGradientProblem)?.withAffineGradient({ _ in true }) == true {
            return blocked ? .fusedBlocked : .fused
        }
        return blocked ? .tiledBlocked : .tiled
    }
}
