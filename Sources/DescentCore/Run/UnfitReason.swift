/// Why an optimizer cannot run on a problem under some options
/// (``Harness/unfitReason(problem:requirements:options:hasOptimalValue:)``). A typed reason: the
/// command line words it in its own terms (a skipped run's note).
public enum UnfitReason: Sendable, Equatable, CaseIterable {
    /// The rule needs the certified f* (``Requirements/optimalValue``) and the problem has none.
    case needsOptimalValue
    /// The rule takes μ and L from the certificate (``Requirements/curvature``), which gives no global bounds.
    case needsCurvature
    /// The rule needs a Hessian (``Requirements/hessian``) and the problem has none.
    case needsHessian
    /// The rule runs full batch only (``Requirements/fullBatch``) and a batch size is set.
    case fullBatchOnly
    /// The rule is stochastic only (``Requirements/stochastic``) and no batch size is set.
    case stochasticNeedsBatchSize
    /// The rule is stochastic only (``Requirements/stochastic``) and the problem is not a finite sum.
    case stochasticNeedsFiniteSum
    /// A batch size is set and the problem is not a finite sum (``FiniteSumProblem``).
    case batchesNeedFiniteSum
}

extension Harness {
    /// Why an optimizer with `requirements` cannot run on `problem` with `options`, or `nil` when it can.
    public static func unfitReason(problem: any Problem, requirements: Requirements, options: RunOptions,
                                   hasOptimalValue: Bool = true) -> UnfitReason? {
        let isFiniteSum = problem is any FiniteSumProblem
        if requirements.contains(.optimalValue) && !hasOptimalValue { return .needsOptimalValue }
        if requirements.contains(.curvature) && options.curvature == nil { return .needsCurvature }
        if requirements.contains(.hessian) && !(problem is any TwiceDifferentiable) { return .needsHessian }
        if requirements.contains(.fullBatch) && options.batchSize != nil { return .fullBatchOnly }
        if requirements.contains(.stochastic) && (options.batchSize == nil || !isFiniteSum) {
            return options.batchSize == nil ? .stochasticNeedsBatchSize : .stochasticNeedsFiniteSum
        }
        if options.batchSize != nil && !isFiniteSum { return .batchesNeedFiniteSum }
        return nil
    }
}
