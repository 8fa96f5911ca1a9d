import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

// torch.optim.LBFGS's algorithm, worked by hand; scripts/compare_with_pytorch.py replays it against
// torch itself (same closure calls at every iterate; within 1.1e-15 relative on a quadratic).
@Suite("L-BFGS against torch.optim.LBFGS's algorithm")
struct LBFGSTests {
    func run(_ spec: String, on problem: some Problem, iterations: Int, tolerance: Double = 0) throws -> RunResult {
        let c = try #require(try builtins.selectOptimizers([spec]).first)
        return Harness.run(problem: problem, method: c.method, optimalValue: 0,
                           options: RunOptions(maxIterations: iterations, tolerance: tolerance, logEvery: 1))
    }

    @Test("θ²: the first step min(1, 1/‖g‖₁)·lr along −g, then the secant pair gives Newton's step", arguments: ["lbfgs", "lbfgs-wolfe"])
    func parabola(spec: String) throws {
        // θ₀ = 4, g = 8: t = 1/8, θ₁ = 4 − 1 = 3. Then s = −1, y = 6 − 8 = −2, yᵀs = 2, H₀ = 2/4 = ½;
        // two loops: q = −6, α = sᵀq/yᵀs = 3, q = −6 − 3·(−2) = 0, r = ½·0, r += (3 − 0)s = −3: θ₂ = 0.
        // With the line search, each first trial already meets the strong Wolfe conditions
        // (|gᵀd| drops from 64 to 48 ≤ 57.6, then to 0): the same points, one evaluation each.
        let r = try run(spec, on: Parabola(), iterations: 10, tolerance: 1e-12)
        #expect(r.status == .converged)
        #expect(r.trace.map(\.value) == [16, 9, 0])
        #expect(r.trace.map(\.gradientEvaluations) == [1, 2, 3])
    }

    @Test("torch's stops: max|∇f| ≤ tolerance_grad at the start of a call ends the run, with the closure call it costs")
    func toleranceGrad() throws {
        // At θ₂ = 0 the call breaks (opt_cond); the next call evaluates again (4th closure call) and
        // returns without a step, as every later call would: the run ends there, stalled, with the reason.
        let r = try run("lbfgs", on: Parabola(), iterations: 10)
        #expect(r.status == .stalled)
        #expect(r.iterations == 2)
        #expect(r.gradientEvaluations == 4)
        #expect(r.note?.contains("tolerance_grad") == true)
    }

    @Test("one closure call per iterate without a line search, whatever max_iter (the last of a call is evaluated by the next)",
          arguments: [1, 2, 3, 20])
    func evaluations(maxIter: Int) throws {
        let problem = try Quadratic(dimension: 6, conditionNumber: 50, rotated: true, seed: 3)
        let r = try run("lbfgs(lr=0.5,max_iter=\(maxIter),max_eval=100,tolerance_change=0)", on: problem, iterations: 12)
        #expect(r.iterations == 12)
        #expect(r.trace.map(\.gradientEvaluations) == Array(1...13))
        // torch's default max_eval = max_iter·5/4 is 2 for max_iter = 2: each call moves once, its
        // closure call reaches the limit, and the next call evaluates the same point again.
        if maxIter == 2 {
            let limited = try run("lbfgs(lr=0.5,max_iter=2,tolerance_change=0)", on: problem, iterations: 4)
            #expect(limited.trace.map(\.gradientEvaluations) == [1, 2, 4, 6, 8])
        }
        // The iterates do not depend on where the calls start: same bits for every max_iter.
        let reference = try run("lbfgs(lr=0.5,tolerance_change=0)", on: problem, iterations: 12)
        #expect(r.finalPoint == reference.finalPoint)
    }

    @Test("the two-loop recursion over the last history_size pairs equals the BFGS update of H₀ = (yᵀs/yᵀy)I",
          arguments: [1, 2, 4, 100])
    func twoLoop(historySize: Int) throws {
        let problem = try Quadratic(dimension: 4, conditionNumber: 20, rotated: true, seed: 7)
        let lr = 0.7
        for k in 1...9 {
            let r = try run("lbfgs(lr=\(lr),history_size=\(historySize),tolerance_change=0,tolerance_grad=0)", on: problem, iterations: k)
            expectClose(r.finalPoint, bfgsIterates(problem, lr: lr, memory: historySize, steps: k), relative: 1e-12)
        }
    }

    /// x_k by the matrix form: H = γI, then H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ over the kept pairs, oldest first.
    func bfgsIterates(_ problem: some Problem, lr: Double, memory: Int, steps: Int) -> [Double] {
        let n = problem.dimension
        let x = Vector(problem.initialPoint()), g = Vector(count: n)
        _ = problem.valueAndGradient(at: x, gradient: g)
        var pairs: [(s: [Double], y: [Double])] = []
        var gamma = 1.0, previous = g.array, s = [Double](repeating: 0, count: n)
        for k in 1...steps {
            var d: [Double]
            if k == 1 {
                d = g.array.map { -$0 }
            } else {
                let y = (0..<n).map { g[$0] - previous[$0] }
                let ys = zip(y, s).reduce(0) { $0 + $1.0 * $1.1 }
                if ys > 1e-10 {
                    pairs.append((s, y))
                    if pairs.count > memory { pairs.removeFirst() }
                    gamma = ys / y.reduce(0) { $0 + $1 * $1 }
                }
                var h = (0..<n * n).map { $0 / n == $0 % n ? gamma : 0 }
                for (s, y) in pairs {
                    let rho = 1 / zip(y, s).reduce(0) { $0 + $1.0 * $1.1 }
                    // V = I − ρ y sᵀ; H ← Vᵀ H V + ρ s sᵀ.
                    var v = (0..<n * n).map { $0 / n == $0 % n ? 1.0 : 0 }
                    for i in 0..<n { for j in 0..<n { v[i * n + j] -= rho * y[i] * s[j] } }
                    var hv = [Double](repeating: 0, count: n * n), next = hv
                    for i in 0..<n { for j in 0..<n { for l in 0..<n { hv[i * n + j] += h[i * n + l] * v[l * n + j] } } }
                    for i in 0..<n { for j in 0..<n { for l in 0..<n { next[i * n + j] += v[l * n + i] * hv[l * n + j] } } }
                    for i in 0..<n { for j in 0..<n { next[i * n + j] += rho * s[i] * s[j] } }
                    h = next
                }
                d = (0..<n).map { i in -(0..<n).reduce(0) { $0 + h[i * n + $1] * g[$1] } }
            }
            let t = k == 1 ? min(1, 1 / g.array.reduce(0) { $0 + abs($1) }) * lr : lr
            previous = g.array
            for i in 0..<n { x[i] += t * d[i] }
            s = d.map { $0 * t }
            _ = problem.valueAndGradient(at: x, gradient: g)
        }
        return x.array
    }

    @Test("the strong Wolfe search accepts steps meeting both conditions (c₁ = 1e-4, c₂ = 0.9) on Rosenbrock")
    func wolfeConditions() throws {
        // With p = x_{k+1} − x_k = t·d: f(x_{k+1}) ≤ f(x_k) + c₁∇f(x_k)ᵀp and |∇f(x_{k+1})ᵀp| ≤ c₂|∇f(x_k)ᵀp|.
        let problem = ExtendedRosenbrock(dimension: 2)
        let points = try (0...15).map { try run("lbfgs-wolfe", on: problem, iterations: $0).finalPoint }
        let g0 = Vector(count: 2), g1 = Vector(count: 2)
        for k in 0..<15 {
            let x0 = Vector(points[k]), x1 = Vector(points[k + 1])
            let f0 = problem.valueAndGradient(at: x0, gradient: g0), f1 = problem.valueAndGradient(at: x1, gradient: g1)
            let p = Vector([x1[0] - x0[0], x1[1] - x0[1]])
            #expect(f1 <= f0 + 1e-4 * g0.dot(p), "Armijo at iteration \(k + 1)")
            #expect(abs(g1.dot(p)) <= 0.9 * abs(g0.dot(p)) * (1 + 1e-9), "curvature at iteration \(k + 1)")
        }
    }

    @Test("bad hyperparameters are refused", arguments: ["lbfgs(history_size=0)", "lbfgs(max_iter=0)", "lbfgs(lr=-1)",
                                                         "lbfgs(line_search_fn=armijo)", "lbfgs(tolerance_grad=-1)"])
    func refused(spec: String) {
        #expect(throws: SpecError.self) { try builtins.selectOptimizers([spec]) }
    }

    @Test("full batch only: skipped with the reason under --batch-size")
    func fullBatch() throws {
        let c = try #require(try builtins.selectOptimizers(["lbfgs"]).first)
        var options = RunOptions()
        options.batchSize = 10
        #expect(Harness.unfitReason(problem: try LeastSquares(samples: 20, features: 3, noise: 0.1, regularization: 0, seed: 1), requirements: c.requirements, options: options)
                == .fullBatchOnly)
    }
}

// Vaswani et al. 2019's SGD with the Armijo line search, in sls.Sls's order, worked by hand.
@Suite("SGD with Armijo backtracking against the authors' algorithm")
struct ArmijoSGDTests {
    @Test("θ², full batch: η doubles (γ per epoch of one step), then shrinks by 0.9 until f(θ − η∇f) ≤ f − 0.1η‖∇f‖²")
    func parabola() throws {
        // f(θ − 2ηθ) = θ²(1 − 2η)² ≤ θ²(1 − 0.4η) exactly when η ≤ 0.9. Step 1: η = 1·2, shrunk 8
        // times to 2·0.9⁸ = 0.8609 (9 trials), θ₁ = 4(1 − 2η). Step 2: η = 2·(2·0.9⁸), 7 shrinks (8 trials).
        let c = try #require(try builtins.selectOptimizers(["sgd-armijo"]).first)
        let r = Harness.run(problem: Parabola(), method: c.method, optimalValue: 0,
                            options: RunOptions(maxIterations: 2, tolerance: 0, logEvery: 1))
        var eta1 = 2.0
        for _ in 0..<8 { eta1 *= 0.9 }
        var eta2 = eta1 * 2
        for _ in 0..<7 { eta2 *= 0.9 }
        let theta1 = 4 - eta1 * 8
        let theta2 = theta1 - eta2 * (2 * theta1)
        expectClose(r.finalPoint, [theta2], relative: 1e-15)
        expectClose([r.trace[1].value], [theta1 * theta1], relative: 1e-15)
        #expect(r.gradientEvaluations == 3)
        #expect(r.functionEvaluations == 3 + 9 + 8)
    }

    @Test("mini-batches: the search uses the step's own batch, η grows by γ^(1/steps per epoch)")
    func miniBatch() throws {
        // Rows (1 → 1) and (2 → 0), batch 1 in row order: 2 steps per epoch, η ← η·√2.
        // Step 1 on row 0, ½(w − 1)² from w = 0: g = −1; η = √2 ≤ 1.8 is accepted at once: w₁ = √2.
        // Step 2 on row 1, 2w²: g = 4w; accepted iff η ≤ 0.45: η = √2·√2 shrunk 15 times (16 trials).
        let problem = try LeastSquares(features: [1, 2], targets: [1, 0], dimension: 1, regularization: 0)
        var options = RunOptions(maxIterations: 2, tolerance: 0, logEvery: 1, batchSize: 1, shuffle: false)
        options.patience = 100
        let c = try #require(try builtins.selectOptimizers(["sgd-armijo"]).first)
        let r = Harness.run(problem: problem, method: c.method, optimalValue: nil, options: options)
        let root2 = pow(2, 0.5)
        let w1 = 0 + root2 * 1
        var eta = root2 * root2
        for _ in 0..<15 { eta *= 0.9 }
        expectClose(r.finalPoint, [w1 - eta * (4 * w1)], relative: 1e-15)
        #expect(r.gradientEvaluations == 2)
        #expect(r.functionEvaluations == 2 + 1 + 16)
    }

    @Test("reset options: 0 keeps η, 2 restarts from init_step_size")
    func resets() throws {
        // reset_option 2, init_step_size 0.5 on θ²: η = 0.5 ≤ 0.9 every step, θ ← θ(1 − 2·0.5) = 0 at once.
        let two = try #require(try builtins.selectOptimizers(["sgd-armijo(reset_option=2,init_step_size=0.5)"]).first)
        let r = Harness.run(problem: Parabola(), method: two.method, optimalValue: 0,
                            options: RunOptions(maxIterations: 3, tolerance: 0))
        #expect(r.finalPoint == [0])
        // reset_option 0 from η = 1: 2 shrinks to 0.81, then 0.81 stays accepted: θ ← θ(1 − 1.62).
        let zero = try #require(try builtins.selectOptimizers(["sgd-armijo(reset_option=0)"]).first)
        let z = Harness.run(problem: Parabola(), method: zero.method, optimalValue: 0,
                            options: RunOptions(maxIterations: 2, tolerance: 0))
        let eta = 1 * 0.9 * 0.9
        expectClose(z.finalPoint, [4 * (1 - 2 * eta) * (1 - 2 * eta)], relative: 1e-15)
        #expect(z.functionEvaluations == 3 + 3 + 1)
    }

    @Test("refused: modifiers, and values outside the ranges", arguments: [
        "sgd-armijo + clip(norm=1)", "sgd-armijo(reset_option=3)", "sgd-armijo(beta_b=1)", "sgd-armijo(c=0)", "sgd-armijo(gamma=0.5)",
    ])
    func refused(spec: String) {
        #expect(throws: SpecError.self) { try builtins.selectOptimizers([spec]) }
    }
}
