import DescentCore
import DescentOptimizers
import DescentProblems
import DescentReference
import Foundation
import Testing

// BEGIN new family: everything an author writes for a family with two typed parameters (the test
// `declarationLength` counts these lines and holds them to #27's budget of 30).
/// f(x) = ½ Σᵢ (1 + s·i)(xᵢ − 1)² on n variables, from 0: f* = 0 at (1, …, 1).
struct Bowl: Problem, ProblemFamily {
    static let name = "bowl"
    static let summary = "½Σ(1 + s·i)(xᵢ − 1)² from 0; f* = 0 at (1, …, 1)"
    @Parameter("n", "dimension", .atLeast(1)) var n = 4
    @Parameter("spread", "curvature s added per coordinate", .nonNegative) var spread = 2.0

    var dimension: Int { n }
    func initialPoint() -> [Double] { [Double](repeating: 0, count: n) }
    func value(at x: Vector) -> Double {
        (0..<n).reduce(0) { f, i in f + 0.5 * (1 + spread * Double(i)) * (x[i] - 1) * (x[i] - 1) }
    }
    func valueAndGradient(at x: Vector, gradient g: Vector) -> Double {
        for i in 0..<n { g[i] = (1 + spread * Double(i)) * (x[i] - 1) }
        return value(at: x)
    }
    var analyticOptimum: Optimum? { Optimum(value: 0, point: [Double](repeating: 1, count: n), source: .analytic) }
}
let bowlEntry = ProblemEntry(Bowl.self)
// END new family

@Suite("A new problem family with two typed parameters (#27: at most 30 lines)")
struct NewFamilyTests {
    let registry = Registry(problems: BuiltinProblems.all + [bowlEntry.withStartingPoints()], optimizers: BuiltinOptimizers.all)

    @Test("the declaration above, registration included, is at most 30 lines")
    func declarationLength() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let begin = try #require(source.firstIndex { $0.hasPrefix("// BEGIN new family") })
        let end = try #require(source.firstIndex { $0.hasPrefix("// END new family") })
        let lines = source[(begin + 1)..<end].filter { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            return !text.isEmpty && !text.hasPrefix("//")
        }
        #expect(lines.count <= 30, "\(lines.count) lines")
    }

    @Test("registered and listed: its name, summary and parameters with defaults, help text and valid ranges")
    func listed() throws {
        try registry.validate()
        let entry = try #require(registry.problems.first { $0.name == "bowl" })
        #expect(entry.summary == Bowl.summary && !entry.isSeeded && !entry.isTemplate)
        #expect(entry.parameters.map(\.name) == ["n", "spread", "start", "start_file"])
        #expect(entry.parameters[0].defaultValue == .integer(4) && entry.parameters[0].expectation == "an integer >= 1")
        #expect(entry.parameters[1].defaultValue == .real(2) && entry.parameters[1].expectation == "a number >= 0")
        #expect(entry.parameters[1].summary == "curvature s added per coordinate")
    }

    @Test("selectable by spec and by pattern; the values reach the problem; the label names what differs")
    func selectable() throws {
        let instance = try #require(try registry.selectProblems(["bowl(n=6,spread=0.5)"], seed: 0).first)
        let bowl = try #require(instance.problem as? Bowl)
        #expect(bowl.n == 6 && bowl.spread == 0.5 && instance.label == "bowl(n=6,spread=0.5)")
        #expect(try registry.selectProblems(["bow*"], seed: 0).map(\.label) == ["bowl"])
        #expect(try registry.selectProblems(["bowl(n=3,start=2)"], seed: 0).first?.initialPoint() == [2, 2, 2])
    }

    @Test("run through the harness from its x₀ to its certified optimum")
    func runs() throws {
        let instance = try #require(try registry.selectProblems(["bowl(n=5)"], seed: 0).first)
        let optimum = try Reference.optimum(of: instance)
        #expect(optimum.value == 0 && optimum.source == .analytic && optimum.gradientNorm == 0)
        let gd = try #require(try registry.selectOptimizers(["gd(lr=0.1)"]).first)
        let result = Harness.run(problem: instance.problem, from: instance.forRun(seed: 0), method: gd.method,
                                 optimalValue: optimum.value, options: RunOptions(maxIterations: 2000, tolerance: 1e-12))
        #expect(result.status == .converged && result.finalValue <= 1e-12)
        #expect(result.initialValue == 0.5 * (1 + 3 + 5 + 7 + 9))
    }

    @Test("bad values are refused naming the parameter and its valid range")
    func refused() {
        for (spec, expected) in [("bowl(n=0)", "an integer >= 1"), ("bowl(n=2.5)", "an integer >= 1"),
                                 ("bowl(spread=-1)", "a number >= 0"), ("bowl(spread=nan)", "a number >= 0"),
                                 ("bowl(width=3)", "valid: n, spread, start, start_file")] {
            let error = #expect(throws: SpecError.self) { try registry.selectProblems([spec], seed: 0) }
            #expect(error.map { "\($0)".contains(expected) } == true, "\(spec): \(String(describing: error))")
        }
    }
}
