import DescentCore

extension UnfitReason {
    /// The reason as a skipped run's note, in the command line's terms (its flags).
    public var message: String {
        switch self {
        case .needsOptimalValue: "needs the certified f*; the problem has none"
        case .needsCurvature: "needs μ and L from the certificate; only quadratic problems have global bounds"
        case .needsHessian: "needs a Hessian; the problem has none"
        case .fullBatchOnly: "full-batch only; --batch-size is set"
        case .stochasticNeedsBatchSize: "stochastic only; set --batch-size"
        case .stochasticNeedsFiniteSum: "stochastic only; the problem is not a finite sum"
        case .batchesNeedFiniteSum: "--batch-size needs a finite-sum problem; this one is not"
        }
    }
}
