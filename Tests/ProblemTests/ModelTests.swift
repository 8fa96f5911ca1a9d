import DescentCore
import DescentProblems
import DescentTestSupport
import Testing

/// Networks for the derivative checks: each activation, both losses, one and two hidden layers,
/// weight decay, real data.
let networkSpecs: [String] = [
    "mlp(samples=40,features=3,classes=3,hidden=4)",
    "mlp(samples=40,features=3,classes=3,hidden=5,activation=gelu,weight_decay=0.1)",
    "mlp(samples=40,features=3,classes=4,hidden=6,4,activation=tanh,loss=squared)",
    "mlp(samples=30,features=2,classes=2,hidden=3,activation=relu)",
    "mlp(data=\(dataFolder)/wine.csv,target=cultivar,hidden=3,activation=gelu)",
    "autoencoder(samples=30,features=3,hidden=2)",
    "autoencoder(samples=30,features=4,hidden=3,2,3,activation=tanh,weight_decay=0.01)",
    "autoencoder(data=\(dataFolder)/wine.csv,target=cultivar,hidden=4,activation=gelu)",
]

@Suite("Model problems: softmax regression and the MLP")
struct ModelTests {
    @Test("MLP gradient (backpropagation) agrees with central finite differences", arguments: networkSpecs)
    func networkGradient(spec: String) throws {
        let p = try instance(spec).problem
        for point in FiniteDifferences.points(around: p.initialPoint(), count: 2, seed: 21, scale: 0.3) {
            let g = Vector(count: p.dimension)
            let f = p.valueAndGradient(at: Vector(point), gradient: g)
            #expect(Swift.abs(f - p.value(at: Vector(point))) <= 1e-13 * Swift.max(1, Swift.abs(f)))
            let error = FiniteDifferences.relativeError(FiniteDifferences.gradient(of: p, at: point), g.array)
            #expect(error <= 1e-6, "\(spec): relative error \(error)")
        }
    }

    @Test("a shuffled mini-batch's gradient is the derivative of that batch's loss", arguments: [
        "mlp(samples=40,features=3,classes=3,hidden=4,activation=gelu,weight_decay=0.01)",
        "softmax-regression(samples=40,features=3,classes=3)",
        "autoencoder(samples=40,features=3,hidden=2,activation=tanh)",
        "quadratic-deep(n=6,samples=40)",
    ])
    func batchGradient(spec: String) throws {
        let p = try #require(try instance(spec).problem as? any FiniteSumProblem)
        let batch = [17, 3, 29, 8, 0, 11][...]
        let point = FiniteDifferences.points(around: p.initialPoint(), count: 1, seed: 22, scale: 0.3)[0]
        let g = Vector(count: p.dimension), scratch = Vector(count: p.dimension)
        _ = p.batchValueAndGradient(at: Vector(point), batch: batch, gradient: g)
        let x = Vector(point)
        var numeric: [Double] = []
        for i in 0..<p.dimension {
            let x0 = x[i], h = FiniteDifferences.step(x0)
            func f(_ t: Double) -> Double { x[i] = x0 + t; return p.batchValueAndGradient(at: x, batch: batch, gradient: scratch) }
            numeric.append((-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h))
            x[i] = x0
        }
        #expect(FiniteDifferences.relativeError(numeric, g.array) <= 1e-6)
        // The whole training set as a batch in row order is the full objective, bit for bit.
        let all = Array(0..<p.sampleCount)[...]
        let full = Vector(count: p.dimension)
        let fb = p.batchValueAndGradient(at: x, batch: all, gradient: g)
        let ff = p.valueAndGradient(at: x, gradient: full)
        #expect(fb == ff && g.array == full.array)
    }

    @Test("softmax regression by hand: X = I₂, y = (0, 1), W = 0 gives f = log 2 and ∇f = ±¼")
    func softmaxByHand() throws {
        try BLAS.load()
        let p = SoftmaxRegression(design: [1, 0, 0, 1], labels: [0, 1], features: 2, classes: 2, regularization: 0)
        let g = Vector(count: 4)
        let f = p.valueAndGradient(at: Vector([0, 0, 0, 0]), gradient: g)
        #expect(Swift.abs(f - 0.6931471805599453) < 1e-15)
        // (1/m) Xᵀ(P − Y): P = ½ everywhere, Y = one-hot rows (1, 0) and (0, 1).
        #expect(g.array == [-0.25, 0.25, 0.25, -0.25])
        // W with z₀ = (3, 1), z₁ = (0, 2): f = ½[(log(e³ + e) − 3) + (log(1 + e²) − 2)].
        let h = p.value(at: Vector([3, 1, 0, 2]))
        let expected = 0.5 * ((3 + log1p(exp(-2.0)) - 3) + (2 + log1p(exp(-2.0)) - 2))
        #expect(Swift.abs(h - expected) < 1e-15)
    }

    @Test("quadratic-deep: 90% of Q's eigenvalues in [0, 1], 10% in [30, 60] (GSL agrees); θ* = x̄ has ∇f = 0")
    func quadraticDeep() throws {
        let p = try #require(try instance("quadratic-deep(n=40,samples=200)").problem as? QuadraticDeep)
        #expect(p.eigenvalues.filter { $0 >= 0 && $0 <= 1 }.count == 36 && p.eigenvalues.filter { $0 >= 30 && $0 <= 60 }.count == 4)
        let computed = try GSLEigen.eigenvalues(p.matrix, n: 40)
        for (a, b) in zip(computed, p.eigenvalues.sorted()) { #expect(Swift.abs(a - b) <= 1e-11 * 60) }
        let optimum = try #require(p.analyticOptimum)
        let g = Vector(count: 40)
        let f = p.valueAndGradient(at: Vector(try #require(optimum.point)), gradient: g)
        #expect(g.norm() < 1e-13 && f == optimum.value && f > 0)
        // The per-sample definition, summed directly, at another point.
        let theta = (0..<40).map { Double($0) / 40 }
        var direct = 0.0
        for i in 0..<200 {
            let d = (0..<40).map { theta[$0] - p.points[i * 40 + $0] }
            for a in 0..<40 { for b in 0..<40 { direct += 0.5 * d[a] * p.matrix[a * 40 + b] * d[b] } }
        }
        #expect(Swift.abs(p.value(at: Vector(theta)) - direct / 200) <= 1e-12 * direct / 200)
    }

    @Test("matrix-factorization: f = 0 at the truth without noise (∇f = 0, ∇²f singular along U·A, V·A⁻ᵀ); a batch is its entries")
    func matrixFactorization() throws {
        let p = try #require(try instance("matrix-factorization(rows=9,columns=7,rank=2,observed=0.6)").problem as? MatrixFactorization)
        let truth = try #require(p.analyticOptimum?.point)
        let g = Vector(count: p.dimension)
        #expect(p.valueAndGradient(at: Vector(truth), gradient: g) < 1e-30 && g.norm() < 1e-15)
        // (U·A, V·A⁻ᵀ) with A = diag(2, ½) fits as well: the optimum is not isolated.
        var scaled = truth
        for i in 0..<(9 + 7) { scaled[i * 2] *= i < 9 ? 2 : 0.5; scaled[i * 2 + 1] *= i < 9 ? 0.5 : 2 }
        #expect(p.value(at: Vector(scaled)) < 1e-28)
        let noisy = try instance("matrix-factorization(rows=9,columns=7,rank=2,observed=0.6,noise=0.1)").problem
        #expect(noisy.analyticOptimum == nil && noisy.referenceIsBestReached && !p.referenceIsBestReached)
        // One entry as a batch: ½(uᵢᵀvⱼ − Mᵢⱼ)², by hand.
        let x = p.initialPoint(), (i, j, m) = p.entries[3]
        let r = x[i * 2] * x[18 + j * 2] + x[i * 2 + 1] * x[18 + j * 2 + 1] - m
        #expect(p.batchValueAndGradient(at: Vector(x), batch: [3][...], gradient: g) == 0.5 * r * r)
        #expect(g[i * 2] == r * x[18 + j * 2] && g[18 + j * 2 + 1] == r * x[i * 2 + 1])
    }

    @Test("MLP initialization: the seed decides x₀; Glorot bounds for tanh, He spread for relu")
    func initialization() throws {
        let a = try instance("mlp(samples=50,features=20,classes=3,hidden=40)", seed: 1).problem.initialPoint()
        let b = try instance("mlp(samples=50,features=20,classes=3,hidden=40)", seed: 1).problem.initialPoint()
        let c = try instance("mlp(samples=50,features=20,classes=3,hidden=40)", seed: 2).problem.initialPoint()
        #expect(a == b && a != c)
        // First layer: 40 × 20 weights in ±√(6/60), then 40 zero biases.
        let bound = (6.0 / 60).squareRoot()
        #expect(a[0..<800].allSatisfy { Swift.abs($0) <= bound } && a[800..<840].allSatisfy { $0 == 0 })
        #expect(a[0..<800].contains { Swift.abs($0) > 0.9 * bound })
        let r = try instance("mlp(samples=50,features=200,classes=3,hidden=100,activation=relu)", seed: 1).problem.initialPoint()
        let w = r[0..<20_000]
        let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
        #expect(Swift.abs(variance - 2.0 / 200) < 0.05 * 2.0 / 200)
    }

    @Test("bad MLP parameters are refused with what is valid", arguments: [
        ("mlp(hidden=64,,32)", "expected key=value, got ''"),
        ("mlp(hidden=64,3.5)", "hidden must be comma-separated widths"),
        ("mlp(hidden=0)", "hidden must be comma-separated widths"),
        ("mlp(activation=sigmoid)", "tanh"),
        ("softmax-regression(lambda=0)", "lambda must be > 0"),
    ])
    func badParameters(spec: String, message: String) throws {
        let error = #expect(throws: SpecError.self) { try instance(spec) }
        #expect("\(error!)".contains(message), "\(error!)")
    }
}

#if canImport(Glibc)
import Glibc
#endif
