/// A problem started from another x₀: every evaluation is the base problem's, only
/// ``initialPoint()`` differs. Keeps the base's capabilities (finite sum, Hessian, separable
/// loops, validation metrics) through conditional conformances, so the harness takes the same paths.
public struct Restarted<Base: Problem>: Problem {
    /// The problem.
    public let base: Base
    /// The starting point (length n).
    public let start: [Double]

    /// `base` started from `start`.
    public init(_ base: Base, start: [Double]) {
        precondition(start.count == base.dimension, "x₀ has \(start.count) values, the problem \(base.dimension)")
        self.base = base
        self.start = start
    }

    public var dimension: Int { base.dimension }
    public func initialPoint() -> [Double] { start }
    public func value(at x: Vector) -> Double { base.value(at: x) }
    public func valueAndGradient(at x: Vector, gradient: Vector) -> Double { base.valueAndGradient(at: x, gradient: gradient) }
    public var analyticOptimum: Optimum? { base.analyticOptimum }
}

extension Restarted: FusedGradientNorm where Base: FusedGradientNorm {
    public func valueGradientAndSquaredNorm(at x: Vector, gradient: Vector) -> (value: Double, squaredNorm: Double) {
        base.valueGradientAndSquaredNorm(at: x, gradient: gradient)
    }
}

extension Restarted: SeparableProblem where Base: SeparableProblem {
    public var chunkAlignment: Int { base.chunkAlignment }
    public func accumulate(at x: Vector, range: Range<Int>, gradient: UnsafeMutablePointer<Double>?, into sums: inout VectorMath.Sums) {
        base.accumulate(at: x, range: range, gradient: gradient, into: &sums)
    }
    public func gradient(at x: Vector, range: Range<Int>, into gradient: UnsafeMutablePointer<Double>) {
        base.gradient(at: x, range: range, into: gradient)
    }
}

extension Restarted: AffineGradientProblem where Base: AffineGradientProblem {
    public func withAffineGradient<R>(_ body: (AffineGradient) -> R) -> R? { base.withAffineGradient(body) }
}

extension Restarted: TwiceDifferentiable where Base: TwiceDifferentiable {
    public func hessian(at x: Vector, into hessian: Vector) { base.hessian(at: x, into: hessian) }
}

extension Restarted: QuadraticProblem where Base: QuadraticProblem {}

extension Restarted: NonConvexProblem where Base: NonConvexProblem {}

extension Restarted: FiniteSumProblem where Base: FiniteSumProblem {
    public var sampleCount: Int { base.sampleCount }
    public func batchValueAndGradient(at x: Vector, batch: ArraySlice<Int>, gradient: Vector) -> Double {
        base.batchValueAndGradient(at: x, batch: batch, gradient: gradient)
    }
    public func batchGradient(at x: Vector, batch: ArraySlice<Int>, gradient: Vector) -> Bool {
        base.batchGradient(at: x, batch: batch, gradient: gradient)
    }
}

extension Restarted: ValidationMetrics where Base: ValidationMetrics {
    public func validation(at x: Vector) -> (loss: Double, accuracy: Double?) { base.validation(at: x) }
}

/// `problem` started from `start` (opens the existential so the wrapper keeps the concrete type's conformances).
public func restarted(_ problem: any Problem, at start: [Double]) -> any Problem {
    func wrap<P: Problem>(_ p: P) -> any Problem { Restarted(p, start: start) }
    return wrap(problem)
}

extension ProblemEntry {
    /// This family with `extra` parameters appended (those it already declares are left out), and
    /// `transform` applied to every problem it makes, given the resolved parameters and the seed.
    public func extended(with extra: [ParameterSpec],
                         transform: @escaping @Sendable (any Problem, ParameterSet, UInt64) throws(SpecError) -> any Problem)
        -> ProblemEntry {
        let added = extra.filter { e in !parameters.contains { $0.name == e.name } }
        let base = self
        return ProblemEntry(name: name, summary: summary, parameters: parameters + added, seeded: isSeeded, citation: citation,
                            literatureMinimum: literatureMinimum, template: isTemplate) { set, seed throws(SpecError) in
            try transform(try base.makeProblem(set, seed), set, seed)
        }
    }
}
