import DescentCore
import DescentReport
import Testing

/// Runs of optimizer `name` on `problem`: one per entry of `work`, each reaching every target at
/// that many evaluations (nil: reaching none, ending at final error `miss`).
func sampleRuns(_ problem: String, _ name: String, _ work: [Int?], miss: Double = 1) -> [RunRecord] {
    work.enumerated().map { i, w in
        let hits = w.map { w in Targets.all.map { TargetHit(target: $0, iteration: w, gradientEvaluations: w, functionEvaluations: w,
                                                                sampleGradients: w, epochs: Double(w), time: 0) } } ?? []
        let result = RunResult(status: w == nil ? .maxIterations : .converged, iterations: w ?? 100, gradientEvaluations: w ?? 100,
                               sampleGradients: w ?? 100, epochs: Double(w ?? 100), initialValue: 10,
                               finalValue: w == nil ? miss : 1e-9, optimalValue: 0, gradientNorm: 1e-5, time: 0, trace: [],
                               finalPoint: [], hits: hits)
        return RunRecord(problem: problem, dimension: 2, optimizer: name, seed: UInt64(i), instance: i, result: result)
    }
}

@Suite("Statistics: bootstrap intervals")
struct StatisticsTests {
    @Test("bootstrap intervals are seeded, contain the estimate, and vanish with one run per problem")
    func bootstrap() {
        let records = sampleRuns("p", "a", [10, 12, 14, 16, 18]) + sampleRuns("p", "b", [20, 22, 28, 30, 40])
            + sampleRuns("q", "a", [5, 5, 6, 6, 7]) + sampleRuns("q", "b", [5, 6, 6, 7, nil])
        let problems = Grouping.problems(records, references: [:])
        let boot = Bootstrap(problems)
        let intervals = boot.medianRatioIntervals()
        #expect(intervals.count == 2)
        let standings = ResultTables.standings(problems)
        for s in standings {
            let i = intervals[s.label]!
            #expect(i.lower <= s.medianRatio! && s.medianRatio! <= i.upper, "\(s.label): \(i) vs \(s.medianRatio!)")
        }
        #expect(intervals["a"]!.lower == 1 && intervals["b"]!.upper > 1.5)
        // Deterministic: the same intervals every time.
        let again = Bootstrap(problems).medianRatioIntervals()
        #expect(again["a"]! == intervals["a"]! && again["b"]! == intervals["b"]!)
        let profiles = Profiles(problems, target: 1e-6)
        let bands = boot.profileBands(profiles, target: 1e-6)
        for (s, series) in profiles.performance().enumerated() {
            for (point, band) in zip(series.points, bands.performance[s]) {
                #expect(band.x == point.ratio && band.lower <= point.fraction + 1e-12 && point.fraction <= band.upper + 1e-12)
            }
        }
        // One run per problem: nothing to resample.
        let single = Grouping.problems(sampleRuns("p", "a", [10]) + sampleRuns("p", "b", [20]), references: [:])
        #expect(Bootstrap(single).medianRatioIntervals().isEmpty && Bootstrap(single).profileBands(Profiles(single, target: 1e-6), target: 1e-6).performance.isEmpty)
    }
}

@Suite("Expected tuning cost")
struct TuningCostTests {
    @Test("the expected best of k draws with replacement, by hand")
    func byHand() throws {
        // Two grid points reaching 0 and 8 targets: k = 1 gives 4 ± 4; k = 2 misses the good one with probability 1/4.
        let one = try #require(TuningCost.expectedBest([8, 0], k: 1))
        #expect(one.mean == 4 && one.sd == 4)
        let two = try #require(TuningCost.expectedBest([0, 8], k: 2))
        #expect(two.mean == 6 && Swift.abs(two.sd - 12.0.squareRoot()) < 1e-12)
        // A flat sweep costs nothing to tune.
        #expect(TuningCost.expectedBest([2, 2, 2], k: 5)! == (mean: 2, sd: 0))
        // Many draws find the best value.
        #expect(Swift.abs(TuningCost.expectedBest([1, 3, 8], k: 200)!.mean - 8) < 1e-12)
        #expect(TuningCost.budgets(gridSize: 9) == [1, 2, 4, 8, 9] && TuningCost.budgets(gridSize: 8) == [1, 2, 4, 8])
    }

    @Test("the table and csv come from tuning.csv's sweeps")
    func files() throws {
        func point(_ lr: Double, _ reached: Int) -> TuningSweep.Point {
            TuningSweep.Point(learningRate: lr, status: reached > 0 ? .converged : .diverged, targetsReached: reached,
                              evaluationsToTightest: reached > 0 ? 10 : nil, finalError: reached > 0 ? 1e-9 : .infinity)
        }
        let sweeps = [TuningSweep(problem: "p", optimizer: "a", chosen: 0.1, points: [point(0.01, 8), point(0.1, 8)]),
                      TuningSweep(problem: "p", optimizer: "b", chosen: 0.1, points: [point(0.01, 0), point(0.1, 8)])]
        let (files, markdown) = TuningCost.derived(sweeps, hash: "h")
        let csv = try #require(files.first { $0.0 == "tuning-cost.csv" }?.1)
        #expect(csv.contains("p,b,1,4.0,4.0\n") && csv.contains("p,b,2,6.0,"))
        #expect(markdown.contains("| a | 8 (0) | 8 (0) |") && markdown.contains("| b | 4 (4) | 6 (3.46) |"), "\(markdown)")
        #expect(files.map(\.0).contains("plots/tuning-cost.svg"))
    }
}

@Suite("Terminal summary")
struct TerminalSummaryTests {
    @Test("up to 400 runs print one line each; more print one line per optimizer in rank order")
    func printed() {
        let few = sampleRuns("p", "a", [10, 11]) + sampleRuns("p", "b", [20, nil])
        let text = TerminalTable.printed(few, references: [:])
        #expect(text.hasPrefix("problem") && text.split(separator: "\n").count == 6)
        let many = sampleRuns("p", "slow", Array(repeating: 30, count: 201)) + sampleRuns("p", "fast", Array(repeating: 10, count: 201))
        let lines = TerminalTable.printed(many, references: [:]).split(separator: "\n")
        #expect(lines.count == 4 && lines[0].hasPrefix("rank"))
        #expect(lines[2].contains("fast") && lines[2].contains("8/8") && lines[2].contains("1608/1608") && lines[3].contains("slow"))
    }
}

@Suite("HTML report")
struct HTMLReportTests {
    @Test("index.html is self-contained, deterministic, and has a control for every line")
    func page() throws {
        let page = HTMLReport.page(paperSet, metadata: "{\"hash\" : \"0123abcd\"}")
        #expect(page == HTMLReport.page(paperSet, metadata: "{\"hash\" : \"0123abcd\"}"))
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
        // Nothing is fetched at view time: no scripts, styles or images from elsewhere.
        for external in ["src=", "href=\"http", "@import", "url(http"] { #expect(!page.contains(external), "\(external)") }
        // Sections for every problem, the certificates, the endings and the provenance.
        for id in ["overview", "profiles", "problem-quad_1", "problem-logistic", "certificates", "runs", "provenance"] {
            #expect(page.contains("<section id=\"\(id)\">"), "\(id)")
        }
        // Each plot has a log and a linear variant and one checkbox per optimizer line.
        #expect(page.contains("data-variant=\"log\"") && page.contains("data-variant=\"linear\""))
        for name in ["gd", "adam(lr=0.1)", "sgd (B=8)"] {
            #expect(page.contains("<input type=\"checkbox\" checked data-name=\"\(name)\">"), "\(name)")
            #expect(page.contains("<polyline class=\"series\" data-name=\"\(name)\""), "\(name)")
        }
        // Inline SVGs must not share clip-path ids.
        var ids: [Substring] = []
        var rest = page[...]
        while let r = rest.firstRange(of: "<clipPath id=\"") {
            let tail = rest[r.upperBound...]
            let end = tail.firstIndex(of: "\"")!
            ids.append(tail[..<end])
            rest = tail[end...]
        }
        #expect(!ids.isEmpty && Set(ids).count == ids.count)
        // Labels are escaped.
        #expect(page.contains("quad_{1}") && !page.contains("<quad"))
        #expect(page.contains("0123abcd") && page.contains("selftest"))
    }
}
