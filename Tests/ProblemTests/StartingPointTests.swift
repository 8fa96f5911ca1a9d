import DescentCore
import DescentOptimizers
import DescentProblems
import DescentTestSupport
import Foundation
import Testing

@Suite("Starting points: start=, start_file= on every family; diagonal-quadratic from arrays")
struct StartingPointTests {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "descent-start-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `values` as raw little-endian float64 to `path`.
    func write(_ values: [Double], _ path: String) throws {
        try Data(values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }).write(to: URL(fileURLWithPath: path))
    }

    @Test("start=c sets every coordinate of the instance's x₀; the problem is the family's own, its standard point kept")
    func constant() throws {
        let plain = try instance("quadratic(n=6,rotated=false,linear=ones)")
        let moved = try instance("quadratic(n=6,rotated=false,linear=ones,start=1.5)")
        #expect(moved.initialPoint() == [Double](repeating: 1.5, count: 6) && plain.givenStart == nil)
        #expect(moved.problem.initialPoint() == plain.problem.initialPoint())
        #expect(moved.problem is Quadratic && moved.problem.analyticOptimum == plain.problem.analyticOptimum)
        #expect(try instance("logistic(samples=30,features=3,start=0.1)").problem is LogisticRegression)
        // The parabola's own start is a parameter of the problem: its standard point.
        let parabola = try instance("parabola(start=-3)")
        #expect(parabola.problem.initialPoint() == [-3] && parabola.givenStart == nil)
    }

    @Test("the run starts from the instance's x₀: start=c moves the whole trace, the problem's standard point does not")
    func runStartsFromGivenPoint() throws {
        let moved = try instance("rosenbrock(start=2)")
        let gd = try #require(try Registry(problems: [], optimizers: BuiltinOptimizers.all).selectOptimizers(["gd(lr=1e-4)"]).first)
        let options = RunOptions(maxIterations: 3, logEvery: 1)
        let fromGiven = Harness.run(problem: moved.problem, from: moved.forRun(seed: 0), method: gd.method, optimalValue: 0, options: options)
        let fromStandard = Harness.run(problem: moved.problem, method: gd.method, optimalValue: 0, options: options)
        #expect(fromGiven.trace.first?.value == 401 && Swift.abs(fromStandard.trace[0].value - 24.2) < 1e-12)
        #expect(moved.forRun(seed: 5) == [2, 2])
    }

    @Test("start=perturb:σ adds seeded N(0, σ²) noise to the standard point: same seed, same x₀")
    func perturbed() throws {
        let spec = "extended-rosenbrock(n=2000,start=perturb:0.1)"
        let a = try instance(spec, seed: 1).initialPoint(), b = try instance(spec, seed: 1).initialPoint()
        let c = try instance(spec, seed: 2).initialPoint()
        let standard = ExtendedRosenbrock(dimension: 2000).initialPoint()
        #expect(a == b && a != c)
        let d = zip(a, standard).map { $0 - $1 }
        let variance = d.reduce(0) { $0 + $1 * $1 } / Double(d.count)
        #expect(Swift.abs(variance.squareRoot() - 0.1) < 0.01)
    }

    @Test("start_file reads x₀; a wrong length, a non-finite value or both forms are refused naming the file")
    func file() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write([-1, 2], dir + "/x0.f64")
        try write([1, 2, 3], dir + "/long.f64")
        try write([1, .nan], dir + "/nan.f64")
        #expect(try instance("rosenbrock(start_file=\(dir)/x0.f64)").initialPoint() == [-1, 2])
        for (spec, message) in [
            ("rosenbrock(start_file=\(dir)/long.f64)", "long.f64 has 3 values; the problem has n = 2"),
            ("rosenbrock(start_file=\(dir)/nan.f64)", "nan.f64: value 1 (row 1, column 0) is nan"),
            ("rosenbrock(start_file=\(dir)/x0.f64,start=1)", "give start or start_file, not both"),
            ("rosenbrock(start=perturb:0)", "start must be standard, a finite number, or perturb:σ"),
            ("rosenbrock(start=inf)", "start must be standard"),
        ] {
            let error = #expect(throws: SpecError.self) { try instance(spec) }
            #expect(error.map { "\($0)".contains(message) } == true, "\(spec): \(String(describing: error))")
        }
    }

    @Test("diagonal-quadratic from arrays: x* = b/a, f* = −½Σb²/a, exact gradient, x₀ from its file")
    func diagonalQuadratic() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write([1, 2, 4], dir + "/a.f64")
        try write([1, 1, -2], dir + "/b.f64")
        try write([5, 5, 5], dir + "/x0.f64")
        try write([1, 0, 4], dir + "/zero.f64")
        let p = try instance("diagonal-quadratic(a=\(dir)/a.f64,b=\(dir)/b.f64,x0=\(dir)/x0.f64)").problem
        #expect(p.initialPoint() == [5, 5, 5])
        let optimum = try #require(p.analyticOptimum)
        #expect(optimum.point == [1, 0.5, -0.5])
        #expect(Swift.abs(optimum.value - (-0.5 * (1 + 0.5 + 1))) < 1e-15)
        let point = [0.3, -2, 7.0]
        let g = Vector(count: 3)
        _ = p.valueAndGradient(at: Vector(point), gradient: g)
        let expected: [Double] = [0.3 - 1, -4 - 1, 28 + 2]  // aᵢxᵢ − bᵢ
        #expect(g.array == expected)
        #expect(FiniteDifferences.relativeError(FiniteDifferences.gradient(of: p, at: point), g.array) < 1e-9)
        let error = #expect(throws: SpecError.self) { try instance("diagonal-quadratic(a=\(dir)/zero.f64,b=\(dir)/b.f64)") }
        #expect(error.map { "\($0)".contains("value 1 is 0.0; every aᵢ must be > 0") } == true)
    }
}
