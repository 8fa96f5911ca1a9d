import DescentCore
import DescentReport
import Foundation
import Testing

/// Two problems of two classes, two optimizers (answers by hand in the tests):
/// - quadratic (quadratics), instances 1 and 2: a reaches τ₁ at 4 and τ₂ at 8 on instance 1, τ₁ at 2 on
///   instance 2; b reaches τ₁ at 4 and τ₂ at 16 on instance 1 and is skipped on instance 2.
/// - rosenbrock (classics), instance 1: a reaches nothing; b reaches τ₁ at 100.
/// Entries: (2 + 1) slots × 8 targets = 24.
let ecdfRecords: [RunRecord] = [
    cocoRecord("quadratic", "a", instance: 1, hits: [(1e-1, 4), (1e-2, 8)], total: 50),
    cocoRecord("quadratic", "b", instance: 1, hits: [(1e-1, 4), (1e-2, 16)], total: 50),
    cocoRecord("quadratic", "a", instance: 2, hits: [(1e-1, 2)], total: 50),
    cocoRecord("quadratic", "b", instance: 2, hits: [], total: 0, status: .skipped),
    cocoRecord("rosenbrock", "a", instance: 1, hits: [], total: 500),
    cocoRecord("rosenbrock", "b", instance: 1, hits: [(1e-1, 100)], total: 500),
]

@Suite("Runtime ECDF: COCO's distribution of run lengths")
struct RuntimeECDFTests {
    let problems = Grouping.problems(ecdfRecords, references: [:])

    func steps(_ e: RuntimeECDF, _ name: String) -> [String] {
        e.curves().first { $0.name == name }!.steps.map { "\($0.x):\($0.solved)" }
    }

    @Test("all problems: each optimizer's hits over every (problem, instance, target); a miss or a skip adds nothing")
    func allProblems() {
        let e = RuntimeECDF(problems)
        #expect(e.total == 24)
        #expect(e.solvers == ["a", "b"])
        #expect(steps(e, "a") == ["2.0:1", "4.0:2", "8.0:3"])
        #expect(steps(e, "b") == ["4.0:1", "16.0:2", "100.0:3"])
        #expect(e.fraction(3) == 0.125)
        #expect(e.measures == [.evaluations])
    }

    @Test("the virtual best takes the least work of any optimizer per entry")
    func virtualBest() {
        let e = RuntimeECDF(problems)
        #expect(e.best == [2, 4, 8, 100])   // instance 2 τ₁: a; instance 1 τ₁: tie at 4; τ₂: a's 8; rosenbrock: b
        #expect(steps(e, RuntimeECDF.virtualBest) == ["2.0:1", "4.0:2", "8.0:3", "100.0:4"])
    }

    @Test("per class: quadratics and classics, each over its own entries, with every optimizer's curve")
    func classes() {
        #expect(ProblemClass.of("quadratic(n=50,kappa=1e4)") == .quadratics)
        #expect(ProblemClass.of("breast-cancer") == .models)
        #expect(ProblemClass.of("wine-mlp") == .networks)
        #expect(ProblemClass.of("powell-singular(n=8)") == .classics)
        #expect(ProblemClass.of("my-plugin") == .other)
        let views = ECDFPlots.views(problems)
        #expect(views.map(\.group) == ["all", "quadratics", "classics"])
        let q = views[1].ecdf, c = views[2].ecdf
        #expect(q.total == 16 && c.total == 8)
        #expect(steps(q, "b") == ["4.0:1", "16.0:2"])
        #expect(steps(c, "a").isEmpty && steps(c, "b") == ["100.0:1"])
        #expect(c.solvers == ["a", "b"])
    }

    @Test("ecdf.csv: one row per step, exact x and fraction")
    func csv() {
        let text = RuntimeECDF.csv(ECDFPlots.views(problems).map { ($0.group, $0.ecdf) })
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "group,measure,solver,x,solved,total,fraction")
        #expect(lines[1] == "all,evaluations,a,2.0,1,24,0.041666666666666664")
        #expect(lines.contains("all,evaluations,(virtual best),100.0,4,24,0.16666666666666666"))
        #expect(lines.contains("quadratics,evaluations,b,16.0,2,16,0.125"))
        #expect(lines.contains("classics,evaluations,b,100.0,1,8,0.125"))
        #expect(lines.count == 1 + (3 + 3 + 4) + (3 + 2 + 3) + (0 + 1 + 1))
    }

    @Test("seconds: the hits' times; a hit without a time (no timing.csv) adds nothing")
    func seconds() {
        var records = ecdfRecords
        records[0].result.hits[1].time = .nan
        let e = RuntimeECDF(Grouping.problems(records, references: [:]), seconds: true)
        #expect(e.measures == [.seconds])
        #expect(steps(e, "a") == ["0.002:1", "0.004:2"])
        #expect(steps(e, "b") == ["0.004:1", "0.016:2", "0.1:3"])
    }

    @Test("mini-batch problems count epochs; a set with both says so in the measure column")
    func epochs() {
        let records = ecdfRecords + [cocoRecord("logistic", "a", instance: 0, hits: [(1e-1, 6)], total: 9, batchSize: 8)]
        let e = RuntimeECDF(Grouping.problems(records, references: [:]))
        #expect(e.measures == [.evaluations, .epochs])
        #expect(e.measureName == "evaluations+epochs")
        #expect(e.solvers == ["a", "b", "a (B=8)"])
        #expect(steps(e, "a (B=8)") == ["1.5:1"])
        #expect(e.total == 32)
    }

    @Test("figure: log x, y in [0, 1], the virtual best first as the reference line, curves end at the share solved")
    func figure() {
        let e = RuntimeECDF(problems)
        let f = ECDFPlots.figure(e, scope: "all 2 problems", hash: "h")
        #expect(f.logX && !f.logY && f.yRange! == (0, 1))
        #expect(f.series.map(\.name) == [RuntimeECDF.virtualBest, "a", "b"])
        #expect(f.series[0].isReference && f.series.allSatisfy(\.isStep))
        let a = f.series[1].points
        #expect(a.first! == (1, 0))                 // half the least work
        #expect(a.last! == (200, 0.125))            // twice the largest
        #expect(f.series[0].points.last!.y == 4.0 / 24)
    }

    @Test("suite report writes ecdf.csv and the figures (with traces), the time ECDF under timing/")
    func files() {
        var records = ecdfRecords
        for i in records.indices where records[i].result.status != .skipped {
            records[i].result.trace = [TraceRow(iteration: 0, gradientEvaluations: 1, sampleGradients: 1, epochs: 0, value: 1,
                                                suboptimality: 1, gradientNorm: 1, stepNorm: nil, time: 0)]
        }
        let names = Set(ReportFiles.derived(ResultSet(records: records, references: [:], hash: "h"), page: "{}").map(\.0))
        for name in ["ecdf.csv", "plots/ecdf.svg", "plots/ecdf.tex", "plots/ecdf-quadratics.svg", "plots/ecdf-classics.tex",
                     "timing/ecdf.csv", "timing/plots/ecdf-time.svg", "timing/plots/ecdf-time.tex"] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(!names.contains("plots/ecdf-models.svg"))
        let withoutTraces = Set(ReportFiles.derived(ResultSet(records: ecdfRecords, references: [:], hash: "h")).map(\.0))
        #expect(withoutTraces.contains("ecdf.csv") && !withoutTraces.contains("plots/ecdf.svg"))
        let page = ReportFiles.derived(ResultSet(records: records, references: [:], hash: "h"), page: "{}").first { $0.0 == "index.html" }!.1
        #expect(page.contains("<section id=\"ecdf\">") && page.contains("href=\"#ecdf\""))
    }

    @Test("every instance file in Problems/ is in the class table under the family it names")
    func instanceFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Problems")
        var found: [String: String] = [:]
        for folder in ["", "minibatch", "workloads"] {
            let dir = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".toml") {
                let path = dir.appendingPathComponent(name).path
                let file = try InstanceFile(parsing: String(contentsOfFile: path, encoding: .utf8), path: path)
                found[file.name] = file.family
            }
        }
        #expect(found.count >= 12)
        #expect(found == ProblemClass.instanceFiles)
        for family in found.values { #expect(ProblemClass.families[family] != nil, "\(family)") }
    }
}
