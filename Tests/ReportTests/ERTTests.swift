import DescentCore
import DescentReport
import Testing

/// A run for the COCO tests: `hits` as (target, evaluations) pairs (epochs and seconds derived from them:
/// epochs = evaluations / 4, seconds = evaluations / 1000), ending after `total` evaluations (`totalEpochs`
/// epochs). Gradient evaluations are half the function evaluations, so a test can tell the two apart.
func cocoRecord(_ problem: String, _ optimizer: String, instance: Int, hits: [(Double, Int)], total: Int,
                totalEpochs: Double? = nil, batchSize: Int? = nil, status: RunStatus = .maxIterations) -> RunRecord {
    let h = hits.map { t, w in
        TargetHit(target: t, iteration: w, gradientEvaluations: w / 2, functionEvaluations: w, sampleGradients: w,
                  epochs: Double(w) / 4, time: Double(w) / 1000)
    }
    let result = status == .skipped ? RunResult.skipped("needs a Hessian", optimalValue: 0)
        : RunResult(status: status, iterations: total, gradientEvaluations: total / 2, functionEvaluations: total, sampleGradients: total,
                    epochs: totalEpochs ?? Double(total) / 4, initialValue: 1, finalValue: 0.5, optimalValue: 0, gradientNorm: 1,
                    time: Double(total) / 1000, trace: [], finalPoint: [], hits: h)
    return RunRecord(problem: problem, dimension: 2, optimizer: optimizer, seed: UInt64(instance), batchSize: batchSize,
                     instance: instance, result: result)
}

/// Optimizer `a`: 3 runs and a skipped one (ERT by hand: τ₁ (10 + 30 + 70) / 2 = 55, τ₂ (20 + 50 + 70) / 1 = 140,
/// τ₃ (100 + 50 + 70) / 0 = ∞); `b`: every run skipped.
let ertRecords: [RunRecord] = [
    cocoRecord("p", "a", instance: 1, hits: [(1e-1, 10), (1e-2, 20)], total: 100),
    cocoRecord("p", "a", instance: 2, hits: [(1e-1, 30)], total: 50, status: .diverged),
    cocoRecord("p", "a", instance: 3, hits: [], total: 70, status: .stalled),
    cocoRecord("p", "a", instance: 4, hits: [], total: 0, status: .skipped),
    cocoRecord("p", "b", instance: 1, hits: [], total: 0, status: .skipped),
    cocoRecord("p", "b", instance: 2, hits: [], total: 0, status: .skipped),
]

@Suite("ERT: COCO's expected running time")
struct ERTTests {
    let problem = Grouping.problems(ertRecords, references: [:])[0]

    @Test("ERT = (work of successes to the hit + unsuccessful runs' whole work) / successes; ∞ without success")
    func handComputed() {
        let a = ERT.entries(problem)[0]
        #expect(a.map(\.successes) == [2, 1, 0, 0, 0, 0, 0, 0])
        #expect(a.map(\.runs) == Array(repeating: 3, count: 8))
        #expect(a.map(\.work) == [110, 140, 220, 220, 220, 220, 220, 220])
        #expect(a[0].value == 55)
        #expect(a[1].value == 140)
        #expect(a[2].value == .infinity)
        #expect(a.allSatisfy { $0.measure == .evaluations })
        // Every run skipped: no runs, no work, ∞.
        let b = ERT.entries(problem)[1]
        #expect(b.allSatisfy { $0.runs == 0 && $0.successes == 0 && $0.work == 0 && $0.value == .infinity })
    }

    @Test("an unsuccessful run counts its function evaluations (summary.csv function_evaluations), not its gradients")
    func unsuccessfulWork() {
        let r = ertRecords[2].result
        #expect(ERT.totalWork(r, in: .evaluations) == 70)
        #expect(ERT.totalWork(r, in: .gradientEvaluations) == 35)
        #expect(ERT.totalWork(r, in: .epochs) == 17.5)
    }

    @Test("ert.csv: exact numbers, inf for no success, one row per optimizer × target")
    func csv() {
        let lines = ERT.csv([problem]).split(separator: "\n").map(String.init)
        #expect(lines[0] == "problem,optimizer,target,measure,ert,successes,runs,work")
        #expect(lines.count == 1 + 2 * 8)
        #expect(lines[1] == "p,a,0.1,evaluations,55.0,2,3,110.0")
        #expect(lines[2] == "p,a,0.01,evaluations,140.0,1,3,140.0")
        #expect(lines[3] == "p,a,0.001,evaluations,inf,0,3,220.0")
        #expect(lines[9] == "p,b,0.1,evaluations,inf,0,0,0.0")
    }

    @Test("mini-batch problems count epochs: the hit's epochs and an unsuccessful run's total epochs")
    func epochs() {
        let records = [cocoRecord("m", "sgd", instance: 0, hits: [(1e-1, 6)], total: 9, totalEpochs: 2.25, batchSize: 8),
                       cocoRecord("m", "sgd", instance: 1, hits: [], total: 12, totalEpochs: 3, batchSize: 8)]
        let p = Grouping.problems(records, references: [:])[0]
        let e = ERT.entries(p, targets: [1e-1, 1e-2])[0]
        #expect(e.map(\.solver) == ["sgd (B=8)", "sgd (B=8)"])
        #expect(e.map(\.measure) == [.epochs, .epochs])
        #expect(e[0].value == 4.5)      // (1.5 + 3) / 1
        #expect(e[1].work == 5.25 && e[1].value == .infinity)
    }

    @Test("tables: ERT cells with (k/N), ∞ and – for skipped; the target subset the builder is given")
    func tables() {
        let t = ERTTables.table(problem, hash: "h")
        #expect(t.columns.map(\.markdown) == ["optimizer"] + Targets.all.map(Targets.label))
        #expect(t.rows[0].map(\.text) == ["a", "55 (2/3)", "140 (1/3)", "∞", "∞", "∞", "∞", "∞", "∞"])
        #expect(t.rows[1].map(\.text) == ["b"] + Array(repeating: "–", count: 8))
        let subset = ERTTables.table(problem, targets: [1e-2, 1e-8], hash: "h")
        #expect(subset.columns.map(\.markdown) == ["optimizer", "1e-2", "1e-8"])
        #expect(subset.rows[0].map(\.text) == ["a", "140 (1/3)", "∞"])
        // LaTeX shows only the paper's targets (default 10⁻¹, 10⁻⁴, 10⁻⁸); Markdown keeps every one.
        let latex = ERTTables.table(problem, latexTargets: [1e-2, 1e-8], hash: "h").latex()
        #expect(latex.contains("\\ensuremath{10^{-2}} & \\ensuremath{10^{-8}}") && !latex.contains("10^{-1}}"))
        #expect(latex.contains("\\ensuremath{\\infty}"))
    }

    @Test("ERT numbers follow the tables' rule: an expected count is rounded to a whole count")
    func numbers() {
        let set = ResultSet(records: [cocoRecord("p", "a", instance: 1, hits: [(1e-1, 1234)], total: 2000),
                                      cocoRecord("p", "a", instance: 2, hits: [(1e-1, 1235), (1e-2, 123_456)], total: 200_000)],
                            references: [:], hash: "h")
        let row = ERTTables.table(set.problems[0], hash: "h").rows[0].map(\.text)
        #expect(row[1] == "1235")               // 1234.5 rounds half away from zero
        #expect(row[2] == "125456 (1/2)")       // (2000 + 123456) / 1
    }

    @Test("suite report writes ert.csv, tables/ert.md and tables/ert-<problem>.tex")
    func files() {
        let files = Dictionary(uniqueKeysWithValues: ReportFiles.derived(ResultSet(records: ertRecords, references: [:], hash: "h")))
        #expect(files["ert.csv"] == ERT.csv([problem]))
        #expect(files["tables/ert-p.tex"] == ERTTables.table(problem, hash: "h").latex())
        #expect(files["tables/ert.md"]?.contains(ERTTables.table(problem, hash: "h").markdown(headingLevel: 2)) == true)
    }
}
