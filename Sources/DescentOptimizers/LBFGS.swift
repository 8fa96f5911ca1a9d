import DescentCore

/// L-BFGS as `torch.optim.LBFGS` runs it in a training loop that calls `step(closure)` until the
/// budget is spent (Nocedal 1980; Liu & Nocedal 1989; torch's port of minFunc).
///
/// Each `step` call makes up to `max_iter` iterations and `max_eval` closure calls: the two-loop
/// recursion over the last `history_size` pairs (s, y) with yᵀs > 10⁻¹⁰ gives d = −H∇f with
/// H₀ = yᵀs/yᵀy; the very first direction is −∇f with step min(1, 1/‖∇f‖₁)·lr, later ones step lr,
/// or `line_search_fn = strong_wolfe` picks the step by torch's strong Wolfe search (c₁ = 10⁻⁴,
/// c₂ = 0.9, at most 25 evaluations, cubic interpolation). A call ends early, as torch's does, when
/// max|∇f| ≤ `tolerance_grad`, when max|t·d| ≤ `tolerance_change` or |Δf| < `tolerance_change`; the
/// next call evaluates f again where the last one stopped (torch's `orig_loss`), and that closure
/// call counts. Every closure call counts as an evaluation; each inner iteration is one iteration
/// of the tables. The run ends as `stalled`, with a note, where torch's calls would go on without
/// moving: max|∇f| ≤ `tolerance_grad` at the start of a call, or a direction that is not one of
/// descent by more than `tolerance_change` (∇fᵀd > −`tolerance_change`). The history buffers, 2·min(history_size, budget) vectors,
/// are allocated once per run. Full batch only.
public struct LBFGS: Solver, Configurable {
    public static let name = "lbfgs"
    public static let summary = "L-BFGS as torch.optim.LBFGS (two-loop recursion, history 100, step lr; repeated step(closure) calls of max_iter iterations; Liu & Nocedal 1989)"

    /// How the step length is chosen.
    public enum LineSearch: String, CaseIterable, Sendable, ParameterRepresentable {
        /// The fixed step lr.
        case none
        /// torch's `_strong_wolfe`.
        case strongWolfe = "strong_wolfe"
    }

    @Parameter("lr", "step length (the first step is min(1, 1/‖∇f‖₁)·lr)", .positive) public var lr = 1.0
    @Parameter("max_iter", "iterations per step(closure) call", .atLeast(1)) public var maxIter = 20
    @Parameter("max_eval", "closure calls per step call; 0 = max_iter·5/4 (torch's None)", .atLeast(0)) public var maxEval = 0
    @Parameter("tolerance_grad", "a call stops when max|∇f| is at most this", .nonNegative) public var toleranceGrad = 1e-7
    @Parameter("tolerance_change", "a call stops when max|t·d| or |Δf| falls below this", .nonNegative) public var toleranceChange = 1e-9
    @Parameter("history_size", "pairs (s, y) kept", .atLeast(1)) public var historySize = 100
    @Parameter("line_search_fn", "none (fixed step lr) or strong_wolfe") public var lineSearch = LineSearch.none

    /// torch's defaults.
    public init() {}

    /// The closure calls a `step` call may make.
    var evaluationsPerCall: Int { maxEval == 0 ? maxIter * 5 / 4 : maxEval }

    public func solve(problem: any Problem, from start: consuming [Double], optimalValue: Double?, options: RunOptions) -> RunResult {
        run(problem, consume start, optimalValue, options)
    }

    private func run<P: Problem>(_ problem: P, _ start: consuming [Double], _ fStar: Double?, _ options: RunOptions) -> RunResult {
        var monitor = IterationMonitor(problem: problem, from: consume start, fStar: fStar, options: options)
        let n = problem.dimension
        let memory = LBFGSMemory(dimension: n, capacity: Swift.min(historySize, Swift.max(1, options.maxIterations)))
        let search = lineSearch == .strongWolfe ? WolfeSearch(dimension: n) : nil
        let d = Vector(count: n), previousGradient = Vector(count: n)
        var t = 0.0, hDiag = 1.0
        var totalIterations = 0      // torch's state["n_iter"]
        // The first call's closure: f(x₀), ∇f(x₀).
        var loss = problem.valueAndGradient(at: monitor.x, gradient: monitor.g)
        monitor.evaluations += 1
        if monitor.check(loss) { return monitor.result() }
        calls: while true {
            // A step(closure) call: f and ∇f at monitor.x are current (the call's orig_loss).
            if maxAbs(monitor.g) <= toleranceGrad {
                monitor.finish(.stalled, note: "L-BFGS: max|∇f| <= tolerance_grad = \(toleranceGrad) at the start of a step call; torch takes no step")
                break
            }
            var evaluations = 1
            var deferred = false     // the last iterate of the call is evaluated by the next call
            var iterations = 0
            while iterations < maxIter {
                iterations += 1
                totalIterations += 1
                let g = monitor.g
                if totalIterations == 1 {
                    for i in 0..<n { d[i] = -g[i] }
                    hDiag = 1
                } else {
                    if let h = memory.push(gradient: g, previousGradient: previousGradient, direction: d, step: t) { hDiag = h }
                    memory.direction(gradient: g, scale: hDiag, into: d)
                }
                previousGradient.assign(g)
                let previousLoss = loss
                t = totalIterations == 1 ? Swift.min(1, 1 / sumAbs(g)) * lr : lr
                let gtd = g.dot(d)
                if gtd > -toleranceChange {
                    monitor.finish(.stalled, note: "L-BFGS: directional derivative ∇fᵀd = \(gtd) > -tolerance_change = \(-toleranceChange); torch's calls take no more steps")
                    break calls
                }
                if let search {
                    let found = search.run(problem, x: monitor.x, t: t, d: d, f: loss, g: g, gtd: gtd)
                    t = found.t
                    loss = found.f
                    evaluations += found.evaluations
                    monitor.evaluations += found.evaluations
                    let step = t
                    monitor.advance { x in for i in 0..<n { x[i] += step * d[i] } }
                    monitor.g.assign(search.gradient)
                } else {
                    let step = t
                    monitor.advance { x in for i in 0..<n { x[i] += step * d[i] } }
                    if iterations == maxIter {
                        deferred = true
                        break
                    }
                    // torch re-evaluates except after the call's last iteration.
                    loss = problem.valueAndGradient(at: monitor.x, gradient: monitor.g)
                    evaluations += 1
                    monitor.evaluations += 1
                }
                if monitor.check(loss) { break calls }
                if iterations == maxIter || evaluations >= evaluationsPerCall { break }
                if maxAbs(monitor.g) <= toleranceGrad { break }
                if Swift.abs(t) * maxAbs(d) <= toleranceChange { break }
                if Swift.abs(loss - previousLoss) < toleranceChange { break }
            }
            // The next call starts with the closure where this one ended: the deferred evaluation of
            // the last iterate, or f and ∇f again at a point already evaluated (counted, as in torch).
            loss = problem.valueAndGradient(at: monitor.x, gradient: monitor.g)
            monitor.evaluations += 1
            if deferred && monitor.check(loss) { break }
        }
        return monitor.result()
    }
}

/// max|vᵢ|.
private func maxAbs(_ v: Vector) -> Double {
    var m = 0.0
    for i in 0..<v.count { m = Swift.max(m, Swift.abs(v[i])) }
    return m
}

/// Σ|vᵢ|.
private func sumAbs(_ v: Vector) -> Double { VectorMath.sum(v.count) { Swift.abs(v[$0]) } }

/// The pairs (s, y) of L-BFGS, oldest first, in a ring of preallocated vectors, and the two-loop
/// recursion over them (torch's order: `al[i] = sᵢᵀq·ρᵢ`, `q −= al[i]·yᵢ` newest to oldest, then
/// `r = H₀·q`, `r += (al[i] − ρᵢyᵢᵀr)·sᵢ` oldest to newest).
final class LBFGSMemory {
    let capacity: Int
    var steps: [Vector], differences: [Vector]
    var rho: [Double], alpha: [Double]
    var first = 0, count = 0
    /// The candidate pair, swapped into the ring when kept (so a skipped pair overwrites nothing).
    var s: Vector, y: Vector

    init(dimension n: Int, capacity: Int) {
        self.capacity = capacity
        steps = (0..<capacity).map { _ in Vector(count: n) }
        differences = (0..<capacity).map { _ in Vector(count: n) }
        rho = Array(repeating: 0, count: capacity)
        alpha = Array(repeating: 0, count: capacity)
        s = Vector(count: n)
        y = Vector(count: n)
    }

    /// The slot of the i-th oldest pair.
    @inline(__always) func slot(_ i: Int) -> Int { (first + i) % capacity }

    /// Adds s = t·d, y = g − g_prev when yᵀs > 10⁻¹⁰ (dropping the oldest when full); returns the new
    /// H₀ = yᵀs/yᵀy then, `nil` when the pair was skipped.
    func push(gradient g: Vector, previousGradient p: Vector, direction d: Vector, step t: Double) -> Double? {
        let n = g.count
        let s = self.s, y = self.y
        for i in 0..<n { y[i] = g[i] - p[i] }
        for i in 0..<n { s[i] = d[i] * t }
        let ys = y.dot(s)
        guard ys > 1e-10 else { return nil }
        let target = count == capacity ? first : slot(count)
        swap(&steps[target], &self.s)
        swap(&differences[target], &self.y)
        rho[target] = 1 / ys
        if count == capacity { first = (first + 1) % capacity } else { count += 1 }
        return ys / y.dot(y)
    }

    /// d = −H∇f by the two-loop recursion with H₀ = `scale`·I.
    func direction(gradient g: Vector, scale: Double, into d: Vector) {
        let n = g.count
        let q = d
        for i in 0..<n { q[i] = -g[i] }
        var i = count - 1
        while i >= 0 {
            let j = slot(i)
            let a = steps[j].dot(q) * rho[j]
            alpha[j] = a
            let yj = differences[j]
            for k in 0..<n { q[k] += -a * yj[k] }
            i -= 1
        }
        for k in 0..<n { q[k] *= scale }
        for i in 0..<count {
            let j = slot(i)
            let be = differences[j].dot(q) * rho[j]
            let c = alpha[j] - be
            let sj = steps[j]
            for k in 0..<n { q[k] += c * sj[k] }
        }
    }
}

/// torch.optim.lbfgs's `_strong_wolfe` (a port of torch7's lswolfe.lua): bracketing by cubic
/// interpolation, then zoom, c₁ = 10⁻⁴, c₂ = 0.9, tolerance 10⁻⁹ on the bracket, at most 25
/// evaluations. Buffers allocated once per run; the gradient at the accepted step is left in
/// ``gradient``.
final class WolfeSearch {
    let trial: Vector
    /// ∇f at the most recent trial, then at the accepted step.
    var gradient: Vector
    var previous: Vector
    var bracketGradients: [Vector]
    let c1 = 1e-4, c2 = 0.9, tolerance = 1e-9, maxSearches = 25

    init(dimension n: Int) {
        trial = Vector(count: n)
        gradient = Vector(count: n)
        previous = Vector(count: n)
        bracketGradients = [Vector(count: n), Vector(count: n)]
    }

    /// f and ∇f (into `out`) at x + t·d.
    private func evaluate<P: Problem>(_ problem: P, _ x: Vector, _ t: Double, _ d: Vector, _ out: Vector) -> Double {
        for i in 0..<x.count { trial[i] = x[i] + t * d[i] }
        return problem.valueAndGradient(at: trial, gradient: out)
    }

    /// The accepted step t, f there and the evaluations made; ∇f there is in ``gradient``.
    func run<P: Problem>(_ problem: P, x: Vector, t start: Double, d: Vector, f: Double, g: Vector,
                         gtd: Double) -> (t: Double, f: Double, evaluations: Int) {
        var t = start
        let dNorm = maxAbs(d)
        var fNew = evaluate(problem, x, t, d, gradient)
        var evaluations = 1
        var gtdNew = gradient.dot(d)
        var tPrev = 0.0, fPrev = f, gtdPrev = gtd
        previous.assign(g)
        var done = false
        var searches = 0
        // The bracket: steps, values, directional derivatives; gradients in bracketGradients (or,
        // with one point, in `gradient`).
        var bracket = [0.0, 0.0], bracketF = [0.0, 0.0], bracketGtd = [0.0, 0.0]
        var single = false
        while searches < maxSearches {
            if fNew > f + c1 * t * gtd || (searches > 1 && fNew >= fPrev) {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketGtd = [gtdPrev, gtdNew]
                bracketGradients[0].assign(previous); bracketGradients[1].assign(gradient)
                break
            }
            if Swift.abs(gtdNew) <= -c2 * gtd {
                bracket = [t, t]; bracketF = [fNew, fNew]
                single = true
                done = true
                break
            }
            if gtdNew >= 0 {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketGtd = [gtdPrev, gtdNew]
                bracketGradients[0].assign(previous); bracketGradients[1].assign(gradient)
                break
            }
            let minStep = t + 0.01 * (t - tPrev)
            let maxStep = t * 10
            let current = t
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, bounds: (minStep, maxStep))
            tPrev = current
            fPrev = fNew
            swap(&previous, &gradient)     // g_prev = g_new (a copy in torch; gradient is overwritten next)
            gtdPrev = gtdNew
            fNew = evaluate(problem, x, t, d, gradient)
            evaluations += 1
            gtdNew = gradient.dot(d)
            searches += 1
        }
        if searches == maxSearches {
            bracket = [0, t]; bracketF = [f, fNew]
            bracketGradients[0].assign(g); bracketGradients[1].assign(gradient)
        }
        if single {
            return (t, fNew, evaluations)
        }
        var (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0)
        var insufficientProgress = false
        while !done && searches < maxSearches {
            if Swift.abs(bracket[1] - bracket[0]) * dNorm < tolerance { break }
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], bounds: nil)
            let upper = Swift.max(bracket[0], bracket[1]), lower = Swift.min(bracket[0], bracket[1])
            let eps = 0.1 * (upper - lower)
            if Swift.min(upper - t, t - lower) < eps {
                if insufficientProgress || t >= upper || t <= lower {
                    t = Swift.abs(t - upper) < Swift.abs(t - lower) ? upper - eps : lower + eps
                    insufficientProgress = false
                } else {
                    insufficientProgress = true
                }
            } else {
                insufficientProgress = false
            }
            fNew = evaluate(problem, x, t, d, gradient)
            evaluations += 1
            gtdNew = gradient.dot(d)
            searches += 1
            if fNew > f + c1 * t * gtd || fNew >= bracketF[low] {
                bracket[high] = t; bracketF[high] = fNew; bracketGtd[high] = gtdNew
                bracketGradients[high].assign(gradient)
                (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0)
            } else {
                if Swift.abs(gtdNew) <= -c2 * gtd {
                    done = true
                } else if gtdNew * (bracket[high] - bracket[low]) >= 0 {
                    bracket[high] = bracket[low]; bracketF[high] = bracketF[low]; bracketGtd[high] = bracketGtd[low]
                    bracketGradients[high].assign(bracketGradients[low])
                }
                bracket[low] = t; bracketF[low] = fNew; bracketGtd[low] = gtdNew
                bracketGradients[low].assign(gradient)
            }
        }
        gradient.assign(bracketGradients[low])
        return (bracket[low], bracketF[low], evaluations)
    }
}

/// torch's `_cubic_interpolate`: the minimizer of the cubic through (x₁, f₁, g₁), (x₂, f₂, g₂),
/// clamped to `bounds` (default: between the points); their midpoint when the cubic has none.
func cubicInterpolate(_ x1: Double, _ f1: Double, _ g1: Double, _ x2: Double, _ f2: Double, _ g2: Double,
                      bounds: (Double, Double)?) -> Double {
    let (lower, upper) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1))
    let d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    let d2Square = d1 * d1 - g1 * g2
    guard d2Square >= 0 else { return (lower + upper) / 2 }
    let d2 = d2Square.squareRoot()
    let minimum = x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return pyMin(pyMax(minimum, lower), upper)
}

/// Python's `max(a, b)`: a unless b > a (so NaN in a wins, as torch's port sees it).
@inline(__always) func pyMax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }
/// Python's `min(a, b)`: a unless b < a.
@inline(__always) func pyMin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }
