import DescentCore
import DescentReport
import Testing

/// The marks of the per-problem tables (issue #26): reference, bold/italic, ≈ within 2× and not significant,
/// Holm within the column; and the overview's one score with one denominator.
@Suite("Table marks and the overview ranking")
struct MarksTests {
    func table(_ records: [RunRecord]) -> Table {
        ResultTables.targets(Grouping.problems(records, references: [:])[0], measure: .evaluations, hash: "h")
    }

    func cell(_ t: Table, _ name: String, column: Int = 1) -> Table.Cell { t.rows.first { $0[0].text == name }![column] }

    @Test("complete separation over 8 instances is significant after Holm over 36 comparisons")
    func separation() {
        // 37 optimizers, 8 instances each; the best's every run beats every run of the others by 2× or more.
        var records = sampleRuns("p", "best", [10, 11, 12, 13, 14, 15, 16, 17])
        for k in 0..<36 { records += sampleRuns("p", "other\(k)", (0..<8).map { 40 + $0 + k }) }
        let t = table(records)
        #expect(cell(t, "best").bold && !cell(t, "best").italic)
        #expect(t.rows.allSatisfy { !$0[1].text.hasSuffix("≈") })
        // The smallest attainable corrected p: 36 · 2/C(16, 8) = 0.0056 ≤ 0.01 (7 instances: 0.021).
        #expect(Swift.abs(ResultTables.smallestCorrectedP(optimizers: 37, runs: 8) - 36 * 2 / 12870.0) < 1e-15)
        #expect(ResultTables.smallestCorrectedP(optimizers: 37, runs: 8) <= 0.01 && ResultTables.smallestCorrectedP(optimizers: 37, runs: 7) > 0.01)
    }

    @Test("≈ needs both: not significant and within 2× of the reference's median")
    func indistinguishable() {
        // close overlaps fast: not significant and within 2× → ≈; fast is the reference, not significantly fewest → italic.
        let records = sampleRuns("p", "fast", [10, 11, 12, 13, 14, 15, 16, 17]) + sampleRuns("p", "slow", [30, 31, 32, 33, 34, 35, 36, 37])
            + sampleRuns("p", "close", [12, 13, 14, 15, 16, 17, 18, 19])
        let t = table(records)
        #expect(cell(t, "close").text.hasSuffix("≈") && !cell(t, "slow").text.hasSuffix("≈"))
        #expect(cell(t, "fast").italic && !cell(t, "fast").bold)
        // Three runs each cannot be significant (smallest p = 2/C(6, 3) = 0.1), but a 2.75× median is never ≈
        // (the old rule marked it: "not significantly different").
        let few = table(sampleRuns("p", "fast", [10, 11, 12]) + sampleRuns("p", "far", [30, 31, 32]))
        #expect(!cell(few, "far").text.hasSuffix("≈") && cell(few, "fast").italic)
        let rule = ResultProtocol(problems: Grouping.problems(sampleRuns("p", "fast", [10, 11, 12]), references: [:]), hash: "h",
                                  tuned: false).markdown
        #expect(rule.contains("at most 2×") && rule.contains("Holm") && rule.contains("rank-sum test conditional on ties"))
    }

    @Test("the reference may reach on only some runs; a column no one reaches on more than half its runs has no marks")
    func reference() {
        // partial reaches 6 of 8 runs quickly; its median over all 8 runs (unreached last) is 13.5 < full's 40.5.
        let records = sampleRuns("p", "partial", [10, 11, 12, 13, 14, 15, nil, nil]) + sampleRuns("p", "full", (0..<8).map { 37 + $0 })
        let t = table(records)
        #expect(cell(t, "partial").bold || cell(t, "partial").italic)
        #expect(!cell(t, "full").bold && !cell(t, "full").italic)
        // Half or fewer reaching: no median work, no reference.
        let none = table(sampleRuns("p", "a", [10, 11, 12, 13, nil, nil, nil, nil]) + sampleRuns("p", "b", [50, nil, nil, nil, nil, nil, nil, nil]))
        #expect(none.rows.allSatisfy { !$0[1].bold && !$0[1].italic && !$0[1].text.hasSuffix("≈") })
        // Dash cells are never marked, even when the reference is unclear.
        let dash = table(sampleRuns("p", "a", [10, 11, 12]) + sampleRuns("p", "b", [nil, nil, nil]))
        #expect(cell(dash, "b").text == "–")
    }

    @Test("the marks' comparisons: medians over all runs, Holm within the column, Â₁₂, and the paired p")
    func comparisons() throws {
        let records = sampleRuns("p", "fast", [10, 11, 12, 13, 14, 15, 16, 17]) + sampleRuns("p", "slow", [30, 31, 32, 33, 34, 35, 36, 37])
            + sampleRuns("p", "close", [12, 13, 14, 15, 16, 17, 18, 19])
        let p = Grouping.problems(records, references: [:])[0]
        let groups = ResultTables.ordered(p.groups, measure: .evaluations)
        let c = try #require(ResultTables.compare(groups, target: 1e-3, measure: .evaluations))
        #expect(groups[c.reference].optimizer == "fast" && !c.significant)
        let slow = try #require(c.comparisons.first { groups[$0.group].optimizer == "slow" })
        let close = try #require(c.comparisons.first { groups[$0.group].optimizer == "close" })
        // scipy.stats.mannwhitneyu(fast, slow, method="exact").pvalue = 2/12870; Holm over 2: × 2.
        #expect(Swift.abs(slow.p - 2 / 12870.0) < 1e-15 && Swift.abs(slow.holm - 4 / 12870.0) < 1e-15)
        #expect(slow.medianWork == 33.5 && Swift.abs(slow.ratio - 33.5 / 13.5) < 1e-15 && slow.a12 == 1)
        // Paired by instance: every difference positive, 2/2⁸ (scipy.stats.wilcoxon exact: 0.0078125).
        #expect(slow.paired == 0.0078125)
        #expect(close.holm >= 0.05 && close.indistinguishable)
    }

    @Test("effects.csv has one row per optimizer per marked column, with the mark")
    func effects() {
        let records = sampleRuns("p", "fast", [10, 11, 12, 13, 14, 15, 16, 17]) + sampleRuns("p", "slow", [30, 31, 32, 33, 34, 35, 36, 37])
        let csv = Effects.csv(Grouping.problems(records, references: [:]))
        let lines = csv.split(separator: "\n")
        #expect(lines[0] == Substring(Effects.header) && lines.count == 1 + 8 * 2)
        #expect(lines[1] == "p,1e-1,fast,fast,8,8,13.5,1,1,1,,,,,bold")
        #expect(lines[2].hasPrefix("p,1e-1,slow,fast,8,8,33.5,2.4814814814814814,"))
        #expect(Effects.csv(Grouping.problems(records, references: [:])) == csv)
    }

    @Test("the ranking: one score over attempted runs, so a method skipped on a problem is not punished")
    func ranking() {
        // narrow ran on one problem and reached everything; wide ran on two and missed half on the second.
        // By raw counts wide (8 + 4 = 12 targets) would rank above narrow (8); by share narrow is first.
        func skipped(_ problem: String, _ name: String) -> RunRecord {
            RunRecord(problem: problem, dimension: 2, optimizer: name, seed: 0, instance: 0,
                      result: .skipped("needs a Hessian", optimalValue: 0))
        }
        var records = sampleRuns("p", "narrow", [10]) + sampleRuns("p", "wide", [20]) + [skipped("q", "narrow")]
        let half = RunResult(status: .maxIterations, iterations: 50, gradientEvaluations: 50, sampleGradients: 50, epochs: 50,
                             initialValue: 10, finalValue: 1e-5, optimalValue: 0, gradientNorm: 1, time: 0, trace: [], finalPoint: [],
                             hits: Targets.all.prefix(4).map { TargetHit(target: $0, iteration: 30, gradientEvaluations: 30,
                                                                       functionEvaluations: 30, sampleGradients: 30, epochs: 30, time: 0) })
        records.append(RunRecord(problem: "q", dimension: 2, optimizer: "wide", seed: 0, instance: 0, result: half))
        let s = ResultTables.standings(Grouping.problems(records, references: ["p": Optimum(value: 0, point: nil, source: .analytic),
                                                                               "q": Optimum(value: 0, point: nil, source: .analytic)]))
        #expect(s.map(\.label) == ["narrow", "wide"] && s.map(\.rank) == [1, 2])
        #expect(s[0].score == 1 && s[1].score == 12.0 / 16 && s[1].reached == 12)
        // Equal score and ratio share a rank.
        let tie = ResultTables.standings(Grouping.problems(sampleRuns("p", "a", [10]) + sampleRuns("p", "b", [10]), references: [:]))
        #expect(tie.map(\.rank) == [1, 1])
        // converged and diverged count runs.
        let runs = ResultTables.standings(Grouping.problems(sampleRuns("p", "a", [10, nil, 12]), references: [:]))
        #expect(runs[0].converged == 2 && runs[0].runs == 3 && runs[0].diverged == 0)
    }
}

@Suite("The power note of the protocol")
struct PowerNoteTests {
    @Test("the smallest corrected p, computed for the table's sizes, against 0.01")
    func note() {
        let eight = ResultTables.powerNote(runs: 8, optimizers: 36, word: "instances")
        #expect(eight.contains("35 · 2/C(16, 8) = 35 · 2/12870 = 5.4e-03") && eight.contains("at most 0.01"), "\(eight)")
        let seven = ResultTables.powerNote(runs: 7, optimizers: 36, word: "instances")
        #expect(seven.contains("2/3432 = 2.0e-02") && seven.contains("above 0.01"), "\(seven)")
        #expect(ResultTables.powerNote(runs: 1, optimizers: 36, word: "seeds").isEmpty)
    }
}

@Suite("Ties the independent check found")
struct VerifiedTiesTests {
    @Test("equal work ratios from different counts tie in the paired test (scipy: exact p 0.265625 and 0.0625)")
    func equalRatios() {
        // 442/17 = 494/19 = 26 and 8/4 = 20/10 = 2: the same magnitude, so one shared midrank.
        #expect(ExactTests.pairedDifference((true, 442), (true, 17)) == ExactTests.pairedDifference((true, 494), (true, 19)))
        #expect(ExactTests.pairedDifference((true, 4), (true, 8)) == -ExactTests.pairedDifference((true, 20), (true, 10)))
        #expect(ExactTests.pairedDifference((true, 10), (true, 11)) == -ExactTests.pairedDifference((true, 11), (true, 10)))
        // |d| = 1, log 2, log 2: scipy.stats.wilcoxon([-log10(2), log10(2), 1], method="exact") counts the tie;
        // by enumeration over 2³ signs with midranks 1.5, 1.5, 3: T⁺ = 4.5 of mean 3; P(|T⁺ − 3| ≥ 1.5) = 6/8.
        let d = [ExactTests.pairedDifference((true, 4), (true, 8)), ExactTests.pairedDifference((true, 20), (true, 10)),
                 ExactTests.pairedDifference((true, 100), (true, 10))]
        #expect(ExactTests.signFlip(d) == 0.75)
    }

    @Test("a tie for the reference goes to the name, as the caption says, not to the name with the batch size appended")
    func nameTieBreak() {
        // lbfgs and lbfgs-wolfe with identical runs: "lbfgs" < "lbfgs-wolfe" by name, though "lbfgs-wolfe0" < "lbfgs0".
        let records = sampleRuns("p", "lbfgs-wolfe", [10, 11, 12]) + sampleRuns("p", "lbfgs", [10, 11, 12])
        let t = ResultTables.targets(Grouping.problems(records, references: [:])[0], measure: .evaluations, hash: "h")
        #expect(t.rows.first { $0[0].text == "lbfgs" }![1].italic && !t.rows.first { $0[0].text == "lbfgs-wolfe" }![1].italic)
    }
}

@Suite("Marks on unknown work")
struct UnknownWorkMarksTests {
    @Test("seconds that were not recorded (a clone without timing.csv) give no marks instead of a crash")
    func unknownSeconds() {
        func runs(_ name: String, _ n: Int) -> [RunRecord] {
            (0..<n).map { i in
                let hits = Targets.all.map { TargetHit(target: $0, iteration: 10 + i, gradientEvaluations: 10 + i, functionEvaluations: 10 + i,
                                                      sampleGradients: 10 + i, epochs: 1, time: .nan) }
                let result = RunResult(status: .converged, iterations: 10 + i, gradientEvaluations: 10 + i, sampleGradients: 10 + i, epochs: 1,
                                       initialValue: 10, finalValue: 1e-9, optimalValue: 0, gradientNorm: 1e-5, time: .nan, trace: [],
                                       finalPoint: [], hits: hits)
                return RunRecord(problem: "p", dimension: 2, optimizer: name, seed: UInt64(i), instance: i, result: result)
            }
        }
        let p = Grouping.problems(runs("a", 4) + runs("b", 4), references: [:])[0]
        let t = ResultTables.targets(p, measure: .seconds, hash: "h")
        #expect(t.rows.allSatisfy { !$0[1].bold && !$0[1].italic && !$0[1].text.hasSuffix("≈") })
        #expect(ResultTables.compare(ResultTables.ordered(p.groups, measure: .seconds), target: 1e-1, measure: .seconds) == nil)
        // The same runs by evaluations are marked as usual.
        #expect(ResultTables.compare(ResultTables.ordered(p.groups, measure: .evaluations), target: 1e-1, measure: .evaluations) != nil)
    }
}

@Suite("Reports from a clone without traces or times")
struct TracelessReportTests {
    @Test("without traces the example paper is not rewritten (its captions are the figures'), like the plots")
    func paperKept() throws {
        var set = paperSet
        for i in set.records.indices { set.records[i].result.trace = [] }
        let paths = ReportFiles.derived(set, profileTarget: 1e-2).map(\.0)
        #expect(!paths.contains { $0.hasPrefix("paper/") || $0.hasPrefix("plots/") })
        #expect(ReportFiles.derived(paperSet, profileTarget: 1e-2).map(\.0).contains("paper/paper-onecolumn.tex"))
    }
}
