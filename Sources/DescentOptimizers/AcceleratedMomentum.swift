import DescentCore

/// Nesterov's accelerated gradient and Polyak's heavy ball with the constants theory gives for an
/// L-smooth, μ-strongly convex function, read from the problem's certificate (its extreme Hessian
/// eigenvalues, global on a quadratic; skipped elsewhere, with the reason). Both are written in
/// PyTorch's SGD form, b₁ = g, b ← βb + g, so they are `sgd` with these constants:
/// - `nag` (Nesterov 1983; Nesterov, "Introductory Lectures", 2004, (2.2.22)): step 1/L,
///   β = (√L − √μ)/(√L + √μ), x ← x − (g + βb)/L; f − f* = O((1 − √(μ/L))ᵏ).
/// - `heavy-ball` (Polyak 1964): step α = 4/(√L + √μ)², β = ((√L − √μ)/(√L + √μ))², x ← x − αb; the
///   optimal rate (√κ − 1)/(√κ + 1) per step on quadratics.
public struct AcceleratedMomentum: Optimizer {
    public static let name = "nag"
    public static let summary = "Nesterov's accelerated gradient with step 1/L and β = (√L − √μ)/(√L + √μ) from the certificate (Nesterov 1983)"
    public static var requirements: Requirements { [.fullBatch, .curvature] }

    /// Which method's constants.
    public enum Method: String, CaseIterable, Sendable, ParameterRepresentable {
        /// Nesterov's accelerated gradient.
        case nesterov
        /// Polyak's heavy ball.
        case heavyBall = "heavy_ball"
    }

    @Parameter("method", "nesterov (step 1/L) or heavy_ball (Polyak's optimal constants)") public var method = Method.nesterov

    /// Nesterov's accelerated gradient.
    public init() {}

    /// The step α and momentum β for μ and L.
    public func constants(_ c: Curvature) -> (step: Double, momentum: Double) {
        let rootL = c.smoothness.squareRoot(), rootMu = c.strongConvexity.squareRoot()
        let beta = (rootL - rootMu) / (rootL + rootMu)
        switch method {
        case .nesterov: return (1 / c.smoothness, beta)
        case .heavyBall: return (4 / ((rootL + rootMu) * (rootL + rootMu)), beta * beta)
        }
    }

    /// `sgd` with these constants: the step itself is SGD's (one lane, the momentum buffer b).
    public func sgd(_ c: Curvature) -> SGD {
        let (alpha, beta) = constants(c)
        var sgd = Self.defaultSGD
        sgd.lr = alpha
        sgd.momentum = beta
        sgd.nesterov = method == .nesterov
        return sgd
    }

    /// SGD's defaults, made once: ``sgd(_:)`` runs every step.
    private static let defaultSGD = SGD()

    /// SGD's state: the momentum buffer b.
    public func makeState(dimension n: Int) -> ElementwiseState<Bool> { ElementwiseState(slots: [0], dimension: n) }

    /// Unreachable: the harness passes μ and L (``step(_:gradient:context:state:iteration:)``).
    public func step(_ x: Vector, gradient g: Vector, state: inout ElementwiseState<Bool>, iteration: Int) {
        preconditionFailure("\(Self.name) needs μ and L: the harness calls step(_:gradient:context:state:iteration:)")
    }

    public func step(_ x: Vector, gradient g: Vector, context: StepContext, state: inout ElementwiseState<Bool>, iteration: Int) {
        guard let curvature = context.curvature else { preconditionFailure("\(Self.name) needs μ and L (Requirements.curvature)") }
        sgd(curvature).step(x, gradient: g, state: &state, iteration: iteration)
    }
}
