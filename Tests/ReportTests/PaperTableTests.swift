import DescentCore
import DescentReport
import DescentTestSupport
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Runs with hand-set target hits: a deterministic problem (one seed) and a stochastic one (three
/// seeds, one of which misses the tighter targets), so every table feature appears.
let paperRecords: [RunRecord] = {
    func hit(_ t: Double, _ k: Int, epochs: Double? = nil) -> TargetHit {
        TargetHit(target: t, iteration: k, gradientEvaluations: k + 1, functionEvaluations: k + 1, sampleGradients: (k + 1) * 10,
                  epochs: epochs ?? Double(k + 1), time: Double(k) * 1e-4)
    }
    func run(_ status: RunStatus, _ k: Int, final: Double, fStar: Double, hits: [TargetHit]) -> RunResult {
        let trace = (0...4).map { i -> TraceRow in
            let it = k * i / 4
            var scale = 1.0
            for _ in 0..<i { scale *= 0.01 }
            let value: Double = fStar + (4.0 - fStar) * scale
            return TraceRow(iteration: it, gradientEvaluations: it + 1, sampleGradients: (it + 1) * 10, epochs: Double(it + 1) / 10,
                            value: i == 4 ? final : value, suboptimality: (i == 4 ? final : value) - fStar, gradientNorm: 1,
                            stepNorm: nil, time: Double(it) * 1e-4)
        }
        return RunResult(status: status, iterations: k, gradientEvaluations: k + 1, sampleGradients: (k + 1) * 10,
                         epochs: Double(k + 1) / 10, initialValue: 4, finalValue: final, optimalValue: fStar, gradientNorm: 1e-3,
                         time: Double(k) * 1e-4, trace: trace, finalPoint: [], hits: hits)
    }
    let targets = Targets.all
    var out: [RunRecord] = []
    let gdHits: [TargetHit] = targets.enumerated().map { hit($1, 15 * ($0 + 1)) }
    let adamHits: [TargetHit] = targets.prefix(3).enumerated().map { hit($1, 10 * ($0 + 1)) }
    out.append(RunRecord(problem: "quad_{1}", dimension: 2, optimizer: "gd", seed: 0,
                         result: run(.converged, 120, final: 5e-9, fStar: 0, hits: gdHits)))
    out.append(RunRecord(problem: "quad_{1}", dimension: 2, optimizer: "adam(lr=0.1)", seed: 0,
                         result: run(.maxIterations, 500, final: 2e-4, fStar: 0, hits: adamHits)))
    out.append(RunRecord(problem: "quad_{1}", dimension: 2, optimizer: "gd(lr=10)", seed: 0,
                         result: run(.diverged, 3, final: .infinity, fStar: 0, hits: [])))
    out.append(RunRecord(problem: "quad_{1}", dimension: 2, optimizer: "newton", seed: 0,
                         result: .skipped("needs a Hessian; the problem has none", optimalValue: 0)))
    for s in 0..<3 {
        var hits: [TargetHit] = []
        for (i, t) in targets.prefix(s == 2 ? 1 : 2).enumerated() {
            hits.append(hit(t, 20 * (i + 1) + s, epochs: Double(2 * (i + 1) + s)))
        }
        let final: Double = 0.5 + 1e-3 * Double(s + 1)
        out.append(RunRecord(problem: "logistic", dimension: 3, optimizer: "sgd", seed: UInt64(s), batchSize: 8,
                             result: run(.maxIterations, 100, final: final, fStar: 0.5, hits: hits)))
    }
    return out
}()

let paperSet = ResultSet(records: paperRecords,
                         references: ["quad_{1}": Optimum(value: 0, point: [0, 0], source: .analytic, gradientNorm: 0,
                                                          hessianEigenvalues: (1, 100)),
                                      "logistic": Optimum(value: 0.5, point: nil, source: .gslBFGS2Newton, gradientNorm: 1e-17)],
                         conditionNumbers: ["quad_{1}": 100], hash: "0123abcd")

/// The derived files of `paperSet`, by path.
let paperFiles: [String: String] = Dictionary(uniqueKeysWithValues: ReportFiles.derived(paperSet, profileTarget: 1e-2))

@Suite("Paper tables, plots and profiles")
struct PaperTableTests {
    @Test func targetsCSV() throws { try expectGolden(CSV.targets(paperRecords), "targets.csv", in: golden) }
    @Test func tablesMarkdown() throws { try expectGolden(try #require(paperFiles["tables/tables.md"]), "tables.md", in: golden) }
    @Test func tableLaTeX() throws { try expectGolden(try #require(paperFiles["tables/quad_1.tex"]), "quad_1.tex", in: golden) }
    @Test func overviewLaTeX() throws { try expectGolden(try #require(paperFiles["tables/overview.tex"]), "overview.tex", in: golden) }
    @Test func numbers() throws { try expectGolden(try #require(paperFiles["tables/numbers.tex"]), "numbers.tex", in: golden) }
    @Test func pgfplots() throws { try expectGolden(try #require(paperFiles["plots/quad_1.tex"]), "quad_1-plot.tex", in: golden) }

    @Test("a cell never reached is a marked dash whose footnote says how the run ended")
    func footnotes() throws {
        let md = try #require(paperFiles["tables/tables.md"])
        #expect(md.contains("| gd(lr=10) | – ⁽"))
        #expect(md.contains("gd(lr=10): diverged at iteration 3"))
        #expect(md.contains("newton: skipped: needs a Hessian; the problem has none"))
        // Two of three seeds reached 1e-2: the median of those two, with the count.
        #expect(md.contains("(2/3)"))
        #expect(md.contains("median [interquartile range] over 3 seeds"))
    }

    @Test("the best cell is bold only when it beats the others by more than their spread")
    func bold() throws {
        let md = try #require(paperFiles["tables/tables.md"])
        // adam reaches 1e-1 in 11 evaluations, gd in 16: adam is bold; at 1e-4 only gd reached it: bold.
        #expect(md.contains("| adam(lr=0.1) | **11** |"))
        #expect(md.contains("| **76** |"))
    }

    @Test("every table file names the provenance hash (its first comment; the protocol states it)")
    func hashInCaptions() throws {
        for (path, text) in paperFiles where path.hasSuffix(".tex") && path.hasPrefix("tables/") {
            #expect(text.contains("0123abcd"), "\(path)")
        }
    }

    @Test("the same data parse back from the raw CSV files and give the same tables and plots")
    func roundTrip() throws {
        let raw = Dictionary(uniqueKeysWithValues: ReportFiles.raw(paperSet, problemOrder: [("quad_{1}", 2), ("logistic", 3)]))
        let parsed = try ResultSet.parse(hash: paperSet.hash) { raw[$0] }
        let again = Dictionary(uniqueKeysWithValues: ReportFiles.derived(parsed, profileTarget: 1e-2))
        #expect(again.keys.sorted() == paperFiles.keys.sorted())
        for (path, text) in paperFiles { #expect(again[path] == text, "\(path)") }
    }

    @Test("a results folder with a missing column is rejected with the file and column named")
    func malformed() throws {
        var raw = Dictionary(uniqueKeysWithValues: ReportFiles.raw(paperSet, problemOrder: [("quad_{1}", 2), ("logistic", 3)]))
        raw["targets.csv"] = "problem,optimizer\nx,y\n"
        #expect(throws: ResultSet.LoadError.self) { try ResultSet.parse(hash: "h") { raw[$0] } }
        do {
            _ = try ResultSet.parse(hash: "h") { raw[$0] }
        } catch {
            #expect(error.description.hasPrefix("targets.csv: no column 'seed'"))
        }
    }

    @Test("SVG plots are well-formed XML with one line per optimizer, a band per multi-seed line, and the GD bound")
    func svg() throws {
        let quad = try SVGCounts(try #require(paperFiles["plots/quad_1.svg"]))
        // gd, adam, gd(lr=10) ran (newton was skipped), plus the dashed GD bound on the quadratic.
        #expect(quad.series == ["gd", "adam(lr=0.1)", "gd(lr=10)", "GD bound, step 1/L"])
        #expect(quad.bands == 0)
        let logistic = try SVGCounts(try #require(paperFiles["plots/logistic.svg"]))
        #expect(logistic.series == ["sgd (B=8)"])
        #expect(logistic.bands == 1)
        let profile = try SVGCounts(try #require(paperFiles["plots/performance-profile.svg"]))
        #expect(profile.series.count == 5)
    }
}

/// Counts the `polyline.series` and `polygon.band` elements of an SVG document, parsing it as XML.
final class SVGCounts: NSObject, XMLParserDelegate {
    var series: [String] = []
    var bands = 0

    init(_ text: String) throws {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "polyline", attributes["class"] == "series" { series.append(attributes["data-name"] ?? "") }
        if name == "polygon", attributes["class"] == "band" { bands += 1 }
    }
}

@Suite("Profiles and statistics")
struct ProfileTests {
    /// Three problems, two solvers; A solves p1 in 1 and p2 in 2, fails p3; B solves all in 2, 2, 4.
    let profiles = Profiles(solvers: ["A", "B"], problems: ["p1", "p2", "p3"], costs: [[1, 2], [2, 2], [.infinity, 4]])

    @Test("performance profile of a hand-made example (Dolan–Moré)")
    func performance() {
        let p = profiles.performance()
        // Ratios: p1 A 1, B 2; p2 A 1, B 1; p3 A ∞, B 1.
        #expect(p[0].points.map(\.ratio) == [1] && p[0].points.map(\.fraction) == [2.0 / 3])
        #expect(p[1].points.map(\.ratio) == [1, 2] && p[1].points.map(\.fraction) == [2.0 / 3, 1])
    }

    @Test("data profile of a hand-made example (Moré–Wild)")
    func data() {
        let d = profiles.data()
        #expect(d[0].points.map(\.budget) == [0, 1, 2] && d[0].points.map(\.fraction) == [0, 1.0 / 3, 2.0 / 3])
        #expect(d[1].points.map(\.budget) == [0, 2, 4] && d[1].points.map(\.fraction) == [0, 2.0 / 3, 1])
    }

    @Test("quartiles interpolate like numpy.percentile")
    func quartiles() {
        let s = Spread([4, 1, 3, 2])
        #expect(s.median == 2.5 && s.lower == 1.75 && s.upper == 3.25)
        #expect(Spread([7]).isPoint)
    }

    @Test("CSV parsing reads quoted commas, quotes and line breaks")
    func parseCSV() throws {
        let rows = try CSV.parse("a,b\n\"x,1\",\"say \"\"hi\"\"\"\n\"two\nlines\",\n")
        #expect(rows == [["a", "b"], ["x,1", "say \"hi\""], ["two\nlines", ""]])
        #expect(throws: CSVError.self) { try CSV.parse("a\n\"open") }
    }

    @Test("LaTeX escaping covers the special characters and the symbols Descent writes")
    func latexEscape() {
        #expect(LaTeX.escape("a_b & 50% #1 {x} $ ~ ^ \\") == "a\\_b \\& 50\\% \\#1 \\{x\\} \\$ \\textasciitilde{} \\textasciicircum{} \\textbackslash{}")
        #expect(LaTeX.escape("f − f* ≤ ‖∇f‖") == "f \\ensuremath{-} f* \\ensuremath{\\le} \\ensuremath{\\|}\\ensuremath{\\nabla}f\\ensuremath{\\|}")
        #expect(LaTeX.number("1.23e-05") == "\\DescentNum{1.23}{-5}")
        #expect(LaTeX.number("12 [10–14] (2/3)") == "12 [10--14] (2/3)")
    }
}
