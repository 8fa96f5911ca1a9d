/// Stopping rules, sampling and logging for one run. Defaults are documented in the command-line reference (Descent.docc).
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

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
