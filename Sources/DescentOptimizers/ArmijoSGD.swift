import DescentCore
import _DescentMath

/// SGD with a stochastic Armijo line search (Vaswani, Mishkin, Laradji, Schmidt, Gidel &
/// Lacoste-Julien, "Painless Stochastic Gradient", NeurIPS 2019), in the order of the authors'
/// `sls.Sls` with `line_search_fn = "armijo"`.
///
/// Each step: η ← reset(η) (`reset_option` 1: η·γ^{1/(steps per epoch)}, the default; 0: keep η;
/// 2: back to `init_step_size`); then, on the step's own mini-batch (the whole objective in a
/// full-batch run), try x − η∇f and shrink η ← β·η until f(x − η∇f) ≤ f(x) − c·η‖∇f‖², at most 100
/// trials; the accepted trial is the new x. If none is accepted, x ← x − 10⁻⁶∇f. No step when
/// ‖∇f‖ < 10⁻⁸. The next step starts from the last η. Each trial is a function evaluation. sls asks
/// the user for the batches per epoch; the harness knows it (⌈m/b⌉, 1 in full batch). Takes no
/// `+` modifiers (the search needs the step's own direction).
public struct ArmijoSGD: Optimizer {
    public static let name = "sgd-armijo"
    public static let summary = "SGD with a stochastic Armijo backtracking line search on each mini-batch, step grown by γ per epoch (Vaswani et al. 2019)"

    @Parameter("init_step_size", "η before the first reset", .positive) public var initialStepSize = 1.0
    @Parameter("c", "sufficient-decrease constant of the Armijo condition", .positive) public var c = 0.1
    @Parameter("beta_b", "backtracking factor β", .unitInterval) public var betaB = 0.9
    @Parameter("gamma", "growth γ of η per epoch (reset_option 1)", .atLeast(1)) public var gamma = 2.0
    @Parameter("reset_option", "0: keep η; 1: η·γ^(1/steps per epoch); 2: init_step_size", .atLeast(0)) public var resetOption = 1

    /// The authors' defaults.
    public init() {}

    public func validate() throws(SpecError) {
        guard (0...2).contains(resetOption) else {
            throw .invalid(owner: Self.name, "reset_option must be 0, 1 or 2, got \(resetOption)")
        }
        guard betaB > 0 else { throw .invalid(owner: Self.name, "beta_b must be in (0, 1), got 0") }
        guard c < 1 else { throw .invalid(owner: Self.name, "c must be in (0, 1), got \(c)") }
    }

    /// η and the trial point.
    public struct State {
        /// The step size the next reset starts from.
        public var stepSize: Double
        /// x − η∇f.
        let trial: Vector
    }

    public func makeState(dimension: Int) -> State { State(stepSize: initialStepSize, trial: Vector(count: dimension)) }

    public var usesStepObjective: Bool { true }

    /// Unreachable: the harness passes the step's objective (``UpdateRule/usesStepObjective``).
    public func step(_ x: Vector, gradient g: Vector, state: inout State, iteration: Int) {
        preconditionFailure("sgd-armijo needs f on the step's data: the harness calls step(_:gradient:context:state:iteration:)")
    }

    public func step(_ x: Vector, gradient g: Vector, context: StepContext, state: inout State, iteration: Int) {
        guard let objective = context.objective else { preconditionFailure("sgd-armijo needs a StepObjective") }
        var eta = state.stepSize
        switch resetOption {
        case 1: eta *= _pow(gamma, 1 / Double(context.stepsPerEpoch))
        case 2: eta = initialStepSize
        default: break
        }
        let n = x.count
        let gradientNorm = g.norm()
        if gradientNorm >= 1e-8 {
            let loss = context.value, squared = gradientNorm * gradientNorm
            let trial = state.trial
            var found = false
            for _ in 0..<100 {
                for i in 0..<n { trial[i] = x[i] - eta * g[i] }
                let next = objective.value(at: trial)
                if next - (loss - eta * c * squared) <= 0 {
                    found = true
                    break
                }
                eta *= betaB
            }
            if found {
                x.assign(trial)
            } else {
                for i in 0..<n { x[i] -= 1e-6 * g[i] }
            }
        }
        state.stepSize = eta
    }
}
