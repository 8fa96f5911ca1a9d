import DescentCLI
import DescentCore
import Foundation
import Testing

// The optimizers the README and the "Adding an optimizer" article show, verbatim (scripts/docs-check.sh
// checks that every line of the README's example is here); only the names differ, because the test
// targets have a SignDescent of their own.

/// Sign gradient descent: x ← x − lr · sign(∇f(x)).
struct ReadmeSignDescent: Optimizer, ElementwiseRule {
    static let name = "signgd"
    static let summary = "sign gradient descent x ← x − lr·sign(∇f)"
    static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }  // lets schedules scale it
    @Parameter("lr", "learning rate", .positive) var lr = 1e-2

    func scalars(iteration: Int, previous: Double?) -> Double { lr }                // once per iteration
    func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars lr: Double) -> V {
        x - lr * g.signum()
    }
}

/// Signum: m ← βm + (1 − β)g (m₁ = g), x ← x − lr·sign(m).
public struct Signum: Optimizer, ElementwiseRule {
    public static let name = "signum"
    public static let summary = "sign descent on momentum m ← βm + (1−β)g, x ← x − lr·sign(m)"
    public static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }
    @Parameter("lr", "learning rate", .positive) public var lr = 1e-3
    @Parameter("beta", "momentum β", .unitInterval) public var beta = 0.9
    public init() {}

    /// One state lane, m, starting at 0.
    public var stateSlots: [Double] { [0] }

    /// Once per iteration: whether it is the first (then m₁ = g).
    public func scalars(iteration: Int, previous: Bool?) -> Bool { iteration == 1 }

    public func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars first: Bool) -> V {
        let m = first ? g : s[0] * beta + (1 - beta) * g
        s[0] = m
        return x - lr * m.signum()
    }
}

@Suite("The documentation's optimizer examples compile and run")
struct GuideExampleTests {
    @Test("The README's and the guide's rules run from a plugin registry, with a modifier")
    func examplesRun() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let registry = Registry.standard(optimizers: [OptimizerEntry(ReadmeSignDescent.self), OptimizerEntry(Signum.self)])
        let r = suite(["--problem", "rosenbrock", "--optimizer", "signgd(lr=0.001) + cosine(steps=100)",
                       "--optimizer", "signum(beta=0.5)", "--max-iterations", "100", "--output", output, "--quiet"], registry: registry)
        #expect(r.code == 0, "\(r.err)")
        let summary = try String(contentsOfFile: output + "/summary.csv", encoding: .utf8)
        #expect(summary.contains("rosenbrock,2,signgd(lr=0.001) + cosine(steps=100),"))
        #expect(summary.contains("rosenbrock,2,signum(beta=0.5),"))
    }

    @Test("Signum's first iteration takes m₁ = g, the second βm + (1 − β)g")
    func signumFirstIteration() {
        var rule = Signum()
        rule.lr = 0.5
        rule.beta = 0.5
        var state = rule.makeState(dimension: 1)
        let x = Vector(count: 1, repeating: 1)
        let g = Vector(count: 1, repeating: 2)
        rule.step(x, gradient: g, state: &state, iteration: 1)   // m = 2, x = 1 − 0.5
        #expect(x[0] == 0.5)
        g[0] = -6
        rule.step(x, gradient: g, state: &state, iteration: 2)   // m = 0.5·2 + 0.5·(−6) = −2, x = 0.5 + 0.5
        #expect(x[0] == 1)
    }
}
