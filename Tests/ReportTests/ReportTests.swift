import DescentCore
import DescentReport
import DescentTestSupport
import Foundation
import Testing

/// A small fixed set of results covering every status, labels that need CSV quoting,
/// and fixed times, so the rendered text is fully deterministic.
let fixtureRecords: [RunRecord] = {
    func result(_ status: RunStatus, iterations: Int, final: Double, fStar: Double?, grad: Double, time: Double) -> RunResult {
        RunResult(status: status, iterations: iterations, gradientEvaluations: iterations + 1,
                  sampleGradients: iterations + 1, epochs: Double(iterations + 1), initialValue: 24.2,
                  finalValue: final, optimalValue: fStar, gradientNorm: grad, time: time,
                  trace: [
                      TraceRow(iteration: 0, gradientEvaluations: 1, sampleGradients: 1, epochs: 1, value: 24.2, suboptimality: fStar.map { 24.2 - $0 },
                               gradientNorm: 232.86768775422664, stepNorm: nil, time: 1e-6),
                      TraceRow(iteration: iterations, gradientEvaluations: iterations + 1, sampleGradients: iterations + 1,
                               epochs: Double(iterations + 1), value: final,
                               suboptimality: fStar.map { final - $0 }, gradientNorm: grad, stepNorm: 0.125, time: time),
                  ],
                  finalPoint: [1, 1])
    }
    return [
        RunRecord(problem: "rosenbrock", dimension: 2, optimizer: "gd", seed: 0,
                  result: result(.maxIterations, iterations: 5000, final: 0.0037603, fStar: 0, grad: 0.0576, time: 0.005)),
        RunRecord(problem: "rosenbrock", dimension: 2, optimizer: "adam(lr=0.01,beta1=0.8)", seed: 0,
                  result: result(.converged, iterations: 812, final: 9.9e-9, fStar: 0, grad: 8.9e-5, time: 0.0021)),
        RunRecord(problem: "rosenbrock", dimension: 2, optimizer: "momentum", seed: 0,
                  result: result(.converged, iterations: 1940, final: 9.93e-9, fStar: 0, grad: 8.91e-5, time: 0.0026)),
        RunRecord(problem: "rosenbrock", dimension: 2, optimizer: "gd(lr=10)", seed: 0,
                  result: result(.diverged, iterations: 3, final: .infinity, fStar: 0, grad: .nan, time: 1.5e-5)),
        RunRecord(problem: "custom \"q\"", dimension: 3, optimizer: "adam", seed: 0,
                  result: result(.stalled, iterations: 700, final: 1.5, fStar: nil, grad: 0.25, time: 2.5)),
        RunRecord(problem: "custom \"q\"", dimension: 3, optimizer: "newton", seed: 0,
                  result: .skipped("needs a Hessian; the problem has none", optimalValue: nil)),
        RunRecord(problem: "logistic", dimension: 10, optimizer: "sgd(lr=0.1)", seed: 4, batchSize: 32,
                  result: result(.maxIterations, iterations: 100, final: 0.5, fStar: 0.45, grad: 0.01, time: 0.01)),
    ]
}()

let fixtureReferences: [String: Optimum] = [
    "rosenbrock": Optimum(value: 0, point: [1, 1], source: .analytic, gradientNorm: 0),
    "logistic": Optimum(value: 0.45, point: nil, source: .gslBFGS2Newton, gradientNorm: 1.5e-17),
]

/// ReportTests' golden files (Tests/ReportTests/Golden).
let golden = GoldenFiles("Golden", bundle: .module)

@Suite("Generated text against golden files")
struct GoldenTests {
    @Test func summaryCSV() throws { try expectGolden(CSV.summary(fixtureRecords), "summary.csv", in: golden) }
    @Test func summaryMarkdown() throws {
        try expectGolden(Markdown.summary(fixtureRecords, references: fixtureReferences), "summary.md", in: golden)
    }
    @Test func traceCSV() throws { try expectGolden(CSV.trace(fixtureRecords[1].result.trace), "trace.csv", in: golden) }
    @Test func terminal() throws { try expectGolden(TerminalTable.summary(fixtureRecords), "terminal.txt", in: golden) }
}

@Suite("CSV")
struct CSVTests {
    @Test("RFC 4180 quoting", arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
        ("adam(lr=0.01,beta1=0.9)", "\"adam(lr=0.01,beta1=0.9)\""),
    ])
    func quoting(input: String, expected: String) { #expect(CSV.field(input) == expected) }

    @Test("numbers round-trip exactly")
    func roundTrip() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<1000 {
            let x = (rng.nextNormal() * 1e3) * (rng.nextUniform() < 0.5 ? 1e-200 : 1)
            #expect(Double(CSV.number(x)) == x)
        }
        #expect(CSV.number(nil) == "" && CSV.number(.infinity) == "inf" && CSV.number(-.infinity) == "-inf")
        #expect(CSV.number(.nan) == "nan")
    }

    @Test("the summary has one row per run and the documented columns")
    func shape() {
        let lines = CSV.summary(fixtureRecords).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == fixtureRecords.count + 2)  // header + rows + final empty
        #expect(lines[0] == "problem,dimension,optimizer,seed,batch_size,status,iterations,gradient_evaluations,function_evaluations,sample_gradients,epochs,f_initial,f_final,f_star,suboptimality,grad_norm,note,trace,validation_loss,validation_accuracy,instance")
    }
}

@Suite("Number formatting")
struct NumberFormatTests {
    @Test("scientific, 3 significant digits", arguments: [
        (1.2345e-5, "1.23e-05"), (-400.0, "-4.00e+02"), (0.0, "0"), (9.9996, "1.00e+01"), (1e-300, "1.00e-300"), (Double.leastNonzeroMagnitude, "4.94e-324"),
        (1.7976931348623157e308, "1.80e+308"), (0.001, "1.00e-03"), (123456.0, "1.23e+05"), (Double.nan, "nan"),
    ])
    func scientific(x: Double, expected: String) { #expect(NumberFormat.scientific(x) == expected) }

    @Test("fixed, 3 significant digits", arguments: [
        (12.345, "12.3"), (0.00123456, "0.00123"), (1234.5, "1230"), (1.0, "1.00"), (999.6, "1000"),
    ])
    func fixed(x: Double, expected: String) { #expect(NumberFormat.fixed(x) == expected) }

    @Test("durations pick a unit", arguments: [
        (0.000850, "850 µs"), (0.0123, "12.3 ms"), (4.56, "4.56 s"),
    ])
    func duration(x: Double, expected: String) { #expect(NumberFormat.duration(x) == expected) }
}

@Suite("Markdown row order")
struct OrderTests {
    @Test("converged by gradient evaluations, then unfinished by f − f*, diverged last")
    func order() {
        let rows = Markdown.ordered(fixtureRecords.filter { $0.problem == "rosenbrock" }).map(\.optimizer)
        #expect(rows == ["adam(lr=0.01,beta1=0.8)", "momentum", "gd", "gd(lr=10)"])
    }
}
