/// How a reference optimum was obtained.
public enum OptimumSource: String, Sendable, CaseIterable {
    /// Known in closed form (Rosenbrock: x* = 1, f* = 0).
    case analytic
    /// A direct linear solve (GSL Cholesky) of the optimality conditions ∇f = 0.
    case linearSolve = "linear_solve"
    /// GSL's `vector_bfgs2` minimizer run to a stated gradient norm.
    case gslBFGS2 = "gsl_bfgs2"
    /// GSL's `vector_bfgs2`, then Newton steps with the exact Hessian (GSL Cholesky) to the floor.
    case gslBFGS2Newton = "gsl_bfgs2+newton"
    /// Not certified: the lowest f any run of the invocation evaluated, for a ``NonConvexProblem``.
    case bestReached = "best_reached"
}

/// A reference minimizer x* and minimum f* with the evidence that they are right.
public struct Optimum: Sendable, Equatable {
    /// f*.
    public var value: Double
    /// x*, when known.
    public var point: [Double]?
    /// How it was obtained.
    public var source: OptimumSource
    /// ‖∇f(x*)‖₂ evaluated at `point`; the certificate. `nil` until measured.
    public var gradientNorm: Double?
    /// The smallest and largest eigenvalues of ∇²f(x*) (GSL's symmetric eigensolver), when the
    /// problem has a Hessian and n is within the dense limit: a positive smallest eigenvalue
    /// certifies a strict local minimum; the ratio is the local condition number.
    public var hessianEigenvalues: (min: Double, max: Double)?

    /// Creates a reference optimum.
    public init(value: Double, point: [Double]?, source: OptimumSource, gradientNorm: Double? = nil,
                hessianEigenvalues: (min: Double, max: Double)? = nil) {
        self.value = value
        self.point = point
        self.source = source
        self.gradientNorm = gradientNorm
        self.hessianEigenvalues = hessianEigenvalues
    }

    public static func == (a: Optimum, b: Optimum) -> Bool {
        a.value == b.value && a.point == b.point && a.source == b.source && a.gradientNorm == b.gradientNorm
            && a.hessianEigenvalues?.min == b.hessianEigenvalues?.min && a.hessianEigenvalues?.max == b.hessianEigenvalues?.max
    }
}

/// A smooth objective f: ℝⁿ → ℝ with an exact gradient.
///
/// An author writes ``dimension``, ``initialPoint()``, ``value(at:)`` and
/// ``valueAndGradient(at:gradient:)``, indexing the ``Vector``s like arrays, and nothing about SIMD
/// or pointers (a least-squares problem writes its residuals instead, through `Residuals` in
/// DescentProblems). Capabilities are protocols a problem adds when it has them: an exact Hessian
/// (``TwiceDifferentiable``), a finite sum (``FiniteSumProblem``), held-out scores
/// (``ValidationMetrics``). The fast paths (``FusedGradientNorm``, ``SeparableProblem``,
/// `AffineGradientProblem`) are opt-in, for performance authors; a problem without them runs on
/// the same loop, with the same results.
///
/// Implementations write the gradient into a caller-owned ``Vector`` and must not
/// allocate in ``valueAndGradient(at:gradient:)``: the harness calls it once per step.
/// Problem instances are immutable values, safe to share between threads. The parameters of a
/// family of problems are declared with ``ProblemFamily``.
public protocol Problem: Sendable {
    /// The number of variables n.
    var dimension: Int { get }

    /// The standard starting point x₀, as the problem's definition gives it (MGH's x₀; zeros for a
    /// regression). A run starts where it is told (``Harness/run(problem:from:method:optimalValue:options:)``):
    /// here unless the instance was given another x₀ (``ProblemInstance/forRun(seed:)``). Allocates;
    /// called once per run.
    func initialPoint() -> [Double]

    /// Returns f(x).
    func value(at x: Vector) -> Double

    /// Returns f(x) and writes ∇f(x) into `gradient`.
    func valueAndGradient(at x: Vector, gradient: Vector) -> Double

    /// x* and f* where they are known without running a solver; `nil` otherwise.
    var analyticOptimum: Optimum? { get }
}

extension Problem {
    /// Default: no closed-form optimum.
    public var analyticOptimum: Optimum? { nil }
}

/// Opt-in, for performance authors: a problem whose gradient pass also sums ‖∇f‖², saving the
/// harness a second pass over the gradient at every step (for large n, that pass costs as much as
/// the optimizer's step). A problem without it gets the same results from the plain loop.
public protocol FusedGradientNorm: Problem {
    /// Returns f(x) and Σᵢ gᵢ², and writes g = ∇f(x) into `gradient`. The squares are summed with
    /// ``VectorMath/sum(_:_:)`` or ``VectorMath/sum2(_:_:)`` (deterministic partial sums). Must not allocate.
    func valueGradientAndSquaredNorm(at x: Vector, gradient: Vector) -> (value: Double, squaredNorm: Double)
}

/// Opt-in, for performance authors (it takes raw pointers and ``VectorMath/Sums``): a separable
/// problem, f(x) = Σ_b f_b(x_b) over blocks of consecutive coordinates, so f and ∇f can be
/// computed range by range. The harness then runs a tiled loop: for each cache-sized chunk, the
/// chunk's gradient into a chunk-sized buffer, the optimizer's step (``ElementwiseRule``), and f and
/// ‖∇f‖² at the new point, while the chunk is in cache: one pass over memory per iteration, and no
/// full-length gradient written, with the same arithmetic and the same results as the plain loop.
/// With ``RunOptions/checkEvery`` > 1 the harness runs several consecutive iterations on one chunk
/// before the next chunk, which separability makes the same as iteration by iteration.
public protocol SeparableProblem: FusedGradientNorm {
    /// Ranges passed to ``accumulate(at:gradient:range:into:)`` start on multiples of this (a multiple of 8 blocks).
    var chunkAlignment: Int { get }

    /// Adds the terms of f and of Σgᵢ² over `range` into `sums` and, when `gradient` is given, writes
    /// ∂f/∂xᵢ at `gradient[i − range.lowerBound]`. Fed in increasing ranges, the totals equal
    /// ``FusedGradientNorm/valueGradientAndSquaredNorm(at:gradient:)``'s, bit for bit.
    func accumulate(at x: Vector, range: Range<Int>, gradient: UnsafeMutablePointer<Double>?, into sums: inout VectorMath.Sums)

    /// Writes ∂f/∂xᵢ at `gradient[i − range.lowerBound]` for i in `range`, and nothing else (the
    /// tiled loop's first pass). Default: ``accumulate(at:range:gradient:into:)`` with its sums dropped.
    func gradient(at x: Vector, range: Range<Int>, into gradient: UnsafeMutablePointer<Double>)
}

extension SeparableProblem {
    public func gradient(at x: Vector, range: Range<Int>, into gradient: UnsafeMutablePointer<Double>) {
        var unused = VectorMath.Sums()
        accumulate(at: x, range: range, gradient: gradient, into: &unused)
    }
}

/// A problem whose stationary points are not known to be global minima (a neural network), so no
/// certificate of f* exists. Its reference is the lowest f any run of the invocation evaluated
/// (``OptimumSource/bestReached``): the runs go once without an f*, then again measured against
/// that value, so every target, gap and status is exact for it (benchopt's and DeepOBS's practice;
/// the tables say so).
public protocol NonConvexProblem: Problem {}

extension Problem {
    /// Whether the reference must come from the runs (``OptimumSource/bestReached``): a
    /// ``NonConvexProblem`` without a closed-form optimum.
    public var referenceIsBestReached: Bool { self is any NonConvexProblem && analyticOptimum == nil }
}

/// A problem whose x₀ is a random draw (a network's initialization). With `--seeds N`, run seed s
/// starts from `initialPoint(seed: s)` (``ProblemInstance/forRun(seed:)``), so the spread covers
/// initializations as well as batch orders; ``Problem/initialPoint()`` is the draw for the
/// instance's own seed (the first run seed).
public protocol RandomInitialization: Problem {
    /// x₀ drawn from `seed`.
    func initialPoint(seed: UInt64) -> [Double]
}

/// A problem with an exact Hessian.
public protocol TwiceDifferentiable: Problem {
    /// Writes ∇²f(x) into `hessian` as a row-major n × n matrix (n² elements).
    func hessian(at x: Vector, into hessian: Vector)
}

/// A problem whose Hessian is the same everywhere (f is quadratic): the eigenvalue range in its
/// certificate is global, so λmax/λmin is its exact condition number κ and gradient descent's rate
/// with step 1/L is known, f_k − f* ≤ (1 − 1/κ)^{2k} (f₀ − f*). Plots draw that bound.
public protocol QuadraticProblem: TwiceDifferentiable {}

/// A problem that is a mean over samples plus a regularizer: f(x) = (1/m) Σᵢ ℓᵢ(x) + r(x).
///
/// Exposes the gradient of a mini-batch so SGD and mini-batch methods can run; the harness
/// counts work in sample gradients and epochs.
public protocol FiniteSumProblem: Problem {
    /// m, the number of samples.
    var sampleCount: Int { get }

    /// Returns (1/|B|) Σ_{i∈B} ℓᵢ(x) + r(x) and writes its gradient, for the sample indices `batch`.
    /// Must not allocate.
    func batchValueAndGradient(at x: Vector, batch: ArraySlice<Int>, gradient: Vector) -> Double

    /// Writes the gradient of ``batchValueAndGradient(at:batch:gradient:)`` (the same bits) without
    /// computing the loss, which a mini-batch step does not need, and returns `true` only when that
    /// loss is certainly finite (`false`: maybe not; the harness then evaluates it). Must not allocate.
    /// Default: ``batchValueAndGradient(at:batch:gradient:)``, finite or not.
    func batchGradient(at x: Vector, batch: ArraySlice<Int>, gradient: Vector) -> Bool
}

extension FiniteSumProblem {
    public func batchGradient(at x: Vector, batch: ArraySlice<Int>, gradient: Vector) -> Bool {
        batchValueAndGradient(at: x, batch: batch, gradient: gradient).isFinite
    }
}

/// A problem fitted to data that can score a point on held-out data; the trace reports it.
public protocol ValidationMetrics: Problem {
    /// The loss on the validation set at `x`, and the accuracy for classification (`nil` for regression).
    func validation(at x: Vector) -> (loss: Double, accuracy: Double?)
}
