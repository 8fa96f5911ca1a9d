/// One way of taking a run's steps, which the run loop (``Harness/drive(_:_:)``) calls: it decides
/// which iterates are checked, gives f there, and steps from one checked iterate to the next,
/// keeping the monitor's counters current. The monitor, the check and the reported point are the
/// loop's, the same for every strategy.
protocol SteppingStrategy: ~Copyable {
    /// Whether the rule reports another point than its gradient point (``UpdateRule/reportsAnotherPoint``).
    var reportsAnotherPoint: Bool { get }

    /// Whether the loop checks iterate k = `monitor.k` (evaluates f there and applies the stopping rules).
    func isCheck(_ monitor: IterationMonitor) -> Bool

    /// f at the iterate (with ∇f in `monitor.g`) and Σgᵢ² when summed in the same pass, for a check.
    mutating func valueForCheck(_ monitor: inout IterationMonitor) -> (Double, Double?)

    /// Writes the rule's reported point into `point`, given its gradient point.
    func reportedPoint(_ gradientPoint: Vector, into point: Vector)

    /// f at the reported point in `monitor.x` (with ∇f in `monitor.g`) and Σgᵢ² when summed in the
    /// same pass: a monitoring evaluation.
    func valueAtReportedPoint(_ monitor: inout IterationMonitor) -> (Double, Double?)

    /// Steps from x_k (checked or not) at least once, to the next iterate the loop may check;
    /// `false` when the strategy ended the run itself.
    mutating func step(_ monitor: inout IterationMonitor, checked: Bool) -> Bool
}

extension Harness {
    /// f(x) and ∇f(x) into `g`, with Σgᵢ² when the problem sums it in the same pass (``FusedGradientNorm``).
    @inline(__always)
    static func evaluate(_ problem: some Problem, _ fused: (any FusedGradientNorm)?, _ x: Vector, _ g: Vector) -> (Double, Double?) {
        if let fused {
            let (f, squaredNorm) = fused.valueGradientAndSquaredNorm(at: x, gradient: g)
            return (f, squaredNorm)
        }
        return (problem.valueAndGradient(at: x, gradient: g), nil)
    }
}

/// Plain stepping: the full gradient at every iterate, then the rule's whole-vector step. f comes
/// with the gradient at every iterate, checked or not; rules that use it (``StepContext``) get it.
struct PlainStepping<P: Problem, O: UpdateRule>: SteppingStrategy {
    let problem: P
    let rule: O
    var state: O.State
    let fused: (any FusedGradientNorm)?
    let objective: StepObjective?
    let reportsAnotherPoint: Bool
    /// f at x_k, for the step's context.
    var f = 0.0

    /// The strategy for `rule` on `problem`, counting the gradient at x₀.
    init(_ problem: P, _ rule: O, _ monitor: inout IterationMonitor) {
        self.problem = problem
        self.rule = rule
        state = rule.makeState(dimension: problem.dimension)
        fused = problem as? any FusedGradientNorm
        reportsAnotherPoint = rule.reportsAnotherPoint
        objective = rule.usesStepObjective ? StepObjective(problem) : nil
        monitor.countGradients(1)
    }

    /// The first step of the bare loop: the rule's state alone, no monitor.
    init(bare problem: P, _ rule: O) {
        self.problem = problem
        self.rule = rule
        state = rule.makeState(dimension: problem.dimension)
        fused = problem as? any FusedGradientNorm
        reportsAnotherPoint = false
        objective = nil
    }

    func isCheck(_ monitor: IterationMonitor) -> Bool { monitor.isCheck(monitor.k) }

    mutating func valueForCheck(_ monitor: inout IterationMonitor) -> (Double, Double?) {
        let (f, squaredNorm) = Harness.evaluate(problem, fused, monitor.x, monitor.g)
        self.f = f
        return (f, squaredNorm)
    }

    func reportedPoint(_ gradientPoint: Vector, into point: Vector) {
        rule.reportedPoint(gradientPoint, state: state, into: point)
    }

    func valueAtReportedPoint(_ monitor: inout IterationMonitor) -> (Double, Double?) {
        Harness.evaluate(problem, fused, monitor.x, monitor.g)
    }

    mutating func step(_ monitor: inout IterationMonitor, checked: Bool) -> Bool {
        // Unchecked, or checked at the reported point: the gradient at the gradient point.
        if !checked || reportsAnotherPoint { f = problem.valueAndGradient(at: monitor.x, gradient: monitor.g) }
        monitor.beforeStep()
        rule.step(monitor.x, gradient: monitor.g,
                  context: StepContext(value: f, optimalValue: monitor.fStar, curvature: monitor.options.curvature, objective: objective),
                  state: &state, iteration: monitor.k + 1)
        if let objective { monitor.extraFunctionEvaluations += objective.collect() }
        monitor.afterStep()
        monitor.countGradients(1)
        return true
    }

    /// The bare loop's iteration k: f and ∇f at x (f with Σgᵢ² when `evaluate`, else as the
    /// unchecked iterates take it), then, when k < `steps`, the rule's step.
    @inline(__always)
    mutating func bareIteration(_ x: Vector, _ g: Vector, k: Int, evaluate: Bool, step: Bool) -> Double {
        let f = evaluate ? Harness.evaluate(problem, fused, x, g).0 : problem.valueAndGradient(at: x, gradient: g)
        if step { rule.step(x, gradient: g, state: &state, iteration: k + 1) }
        return f
    }
}
