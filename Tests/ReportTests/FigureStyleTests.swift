import DescentCore
import DescentReport
import Testing

/// A figure of straight lines, one per name, in the given order.
private func figure(_ names: [String], logY: Bool = true) -> Figure {
    Figure(title: "t", xLabel: "x", yLabel: "y", logY: logY,
           series: names.enumerated().map { i, n in Figure.Series(name: n, points: [(1, 1), (10, 0.1 / Double(i + 1))]) },
           caption: "c")
}

/// The `<polyline class="series">` element of `name` in an SVG document.
private func polyline(_ svg: String, _ name: String) -> Substring? {
    guard let start = svg.firstRange(of: "<polyline class=\"series\" data-name=\"\(name)\"") else { return nil }
    let rest = svg[start.lowerBound...]
    return rest[..<rest.firstIndex(of: ">")!]
}

/// The drawing attributes (stroke, dash) of a polyline, without its points.
private func look(_ line: Substring?) -> String? { line.map { l in String(l[..<(l.firstRange(of: " points=")?.lowerBound ?? l.endIndex)]) } }

@Suite("Figure styles: one look per optimizer, by name")
struct FigureStyleTests {
    @Test("an optimizer has the same style in figures with different rows and row orders (SVG and pgfplots)")
    func sameStyleEverywhere() {
        let a = figure(["gd", "adam", "lbfgs", "my-plugin", "adam(lr=0.01)"])
        let b = figure(["adam(lr=0.01)", "my-plugin", "newton", "lbfgs", "adam"])
        for name in ["adam", "lbfgs", "my-plugin", "adam(lr=0.01)"] {
            let sa = a.styles()[a.series.firstIndex { $0.name == name }!]
            let sb = b.styles()[b.series.firstIndex { $0.name == name }!]
            #expect(sa != nil && sa == sb, "\(name)")
            #expect(look(polyline(SVG.render(a), name)) == look(polyline(SVG.render(b), name)), "\(name)")
        }
        // The built-in names have their fixed entries: row order plays no part.
        let adam = LineStyle(index: LineStyle.builtIn.firstIndex(of: "adam")!)
        #expect(a.styles()[1] == adam && b.styles()[4] == adam)
        #expect(PGFPlots.render(a).contains("\\addplot[color={rgb,255:red,\(adam.rgb.0);green,\(adam.rgb.1);blue,\(adam.rgb.2)}"))
        // A variant keeps its base's colour, with another marker or dash.
        let variant = a.styles()[4]!
        #expect(variant.colour == adam.colour && variant != adam)
    }

    @Test("no two of 40 names in one figure share a full style, whatever they are called")
    func noDuplicates() {
        let plugins = (0..<40).map { "plugin-\($0)" }
        #expect(Set(figure(plugins).styles().compactMap { $0 }).count == 40)
        let mixed = Array(LineStyle.builtIn.prefix(20)) + (0..<10).map { "adam(lr=\($0))" } + (0..<10).map { "x\($0)" }
        let styles = figure(mixed).styles().compactMap { $0 }
        #expect(styles.count == 40 && Set(styles).count == 40)
        // Every built-in has its own entry.
        #expect(Set(LineStyle.builtIn.indices.map { LineStyle(index: $0) }).count == LineStyle.builtIn.count)
        // Deterministic: the same names give the same styles.
        #expect(LineStyle.assign(mixed) == LineStyle.assign(mixed.reversed()))
    }

    @Test("stopped runs carry their final value to the end; diverged runs count as +∞; the median is drawn while more than half are finite")
    func carryForwardAndDivergence() {
        // Seven runs on x = 0…100: three stop at x = 10 with 1e-3, four go on to 1e-6 at x = 100.
        func run(_ stop: Double, _ final: Double, diverged: Bool = false) -> ResultPlots.Run {
            let xs = stride(from: 0.0, through: stop, by: 5).map { $0 }
            return ResultPlots.Run(points: xs.map { x in (x, x == stop ? final : 1 - x / 200) }, diverged: diverged)
        }
        let stopped = (0..<3).map { _ in run(10, 1e-3) } + (0..<4).map { _ in run(100, 1e-6) }
        let line = ResultPlots.median(stopped, end: 150, name: "a")
        // The median reaches the end of the plotted budget, beyond the last run.
        #expect(line.points.last!.x == 150 && line.points.last!.y == 1e-6)
        #expect(line.points.allSatisfy { $0.y.isFinite })
        // At x = 50 the stopped three hold 1e-3 while the four still run: the median is a running run's value.
        #expect(line.points.first { $0.x == 50 }!.y == 1 - 50.0 / 200)
        #expect(line.stops.map(\.x) == [10, 100] && line.fadeFrom == 100 && line.divergences.isEmpty)

        // Three of seven diverge at x = 20: still defined everywhere (4 finite > 7/2).
        let three = (0..<3).map { _ in run(20, .nan, diverged: true) } + (0..<4).map { _ in run(100, 1e-6) }
        let defined = ResultPlots.median(three, end: 100, name: "b")
        #expect(defined.points.allSatisfy { $0.y.isFinite } && defined.points.last!.x == 100)
        #expect(defined.divergences.map(\.x) == [20])
        // Four of seven diverge at x = 20: defined before, undefined (+∞) from there on; the × sits on the line's end.
        let four = (0..<4).map { _ in run(20, .nan, diverged: true) } + (0..<3).map { _ in run(100, 1e-6) }
        let median = ResultPlots.median(four, end: 100, name: "c")
        #expect(median.points.filter { $0.x < 20 }.allSatisfy { $0.y.isFinite })
        #expect(median.points.filter { $0.x >= 20 }.allSatisfy { $0.y == .infinity })
        #expect(median.divergences.count == 1 && median.divergences[0].y.isFinite)
        // The legend says how many diverged (on a second line of the pgfplots entry).
        #expect(median.legend == "c (4/7 diverged)" && line.note.isEmpty)
        let tex = PGFPlots.render(Figure(title: "t", xLabel: "x", yLabel: "y", series: [median], caption: ""))
        #expect(tex.contains("\\addlegendentry{c\\\\(4/7 diverged)}"))
        // Six runs (even): defined while at least four are finite.
        let six = (0..<2).map { _ in run(20, .nan, diverged: true) } + (0..<4).map { _ in run(100, 1e-6) }
        #expect(ResultPlots.median(six, end: 100, name: "d").points.allSatisfy { $0.y.isFinite })
        let sixOut = (0..<3).map { _ in run(20, .nan, diverged: true) } + (0..<3).map { _ in run(100, 1e-6) }
        #expect(ResultPlots.median(sixOut, end: 100, name: "e").points.last!.y == .infinity)
    }

    @Test("the GD bound is clipped to the plotted range and does not set it; its legend entry is whole")
    func boundClipped() throws {
        let tex = try #require(paperFiles["plots/quad_1.tex"])
        // The data reach 5e-9: the axis ends at 1e-9, not at the bound's 1e-300.
        #expect(tex.contains("ymin=1.00000e-09"))
        let bound = try #require(tex.split(separator: "\n").first { $0.hasPrefix("\\addplot[black, dashed") })
        let ys = bound.split(separator: "(").dropFirst().map { Double($0.split(separator: ",")[1].prefix { $0 != ")" })! }
        #expect(!ys.isEmpty && ys.allSatisfy { $0 >= 1e-9 * (1 - 1e-5) && $0 <= 10 })
        #expect(tex.contains("\\addlegendentry{GD bound, step 1/L}"))
        // Without the bound the y range is the same.
        var f = figure(["a"])
        func yLimits(_ f: Figure) -> [Substring] { PGFPlots.render(f).split(separator: "\n").filter { $0.contains("ymin=") } }
        let before = yLimits(f)
        f.series.append(Figure.Series(name: "bound", points: [(1, 10), (10, 1e-40)], isReference: true))
        #expect(yLimits(f) == before && before.count == 1)
        #expect(SVG.render(f).contains(">bound</text>"))
    }

    @Test("bands: auto draws them for a few lines only, none never, all always; the caption says so")
    func bandModes() {
        func banded(_ n: Int, _ mode: BandMode) -> Figure {
            var f = figure((0..<n).map { "p\($0)" })
            for i in f.series.indices { f.series[i].band = [(1, 0.5, 2), (10, 0.01, 0.2)] }
            f.bandCaption = " Bands: IQR."
            f.bandMode = mode
            return f
        }
        func polygons(_ f: Figure) -> Int { SVG.render(f).components(separatedBy: "<polygon class=\"band\"").count - 1 }
        #expect(polygons(banded(3, .auto)) == 3 && banded(3, .auto).fullCaption.hasSuffix("Bands: IQR."))
        #expect(polygons(banded(6, .auto)) == 0 && !banded(6, .auto).fullCaption.contains("Bands"))
        #expect(polygons(banded(6, .all)) == 6 && polygons(banded(3, .none)) == 0)
        #expect(!PGFPlots.render(banded(6, .auto)).contains("fill opacity"))
        #expect(BandMode(rawValue: "sideways") == nil && BandMode.allCases.map(\.rawValue) == ["auto", "none", "all"])
    }

    @Test("readable figures: every decade labelled, legend at 12 px, maths in the pgfplots labels, fits \\columnwidth")
    func readable() throws {
        var f = figure(["a"])
        f.series[0].points = [(1, 1e2), (10, 1e-12)]
        let svg = SVG.render(f)
        for k in -12...2 { #expect(svg.contains(">1e\(k)</text>"), "1e\(k)") }
        #expect(svg.contains("<g class=\"legend\" font-size=\"12\">"))
        let tex = try #require(paperFiles["plots/quad_1.tex"])
        #expect(tex.contains("ylabel={$f - f^*$}") && tex.contains("width=\\columnwidth-58pt") && tex.contains("legend style={font=\\footnotesize"))
        #expect(!tex.contains("\\tiny"))
        let profile = try #require(paperFiles["plots/performance-profile.tex"])
        #expect(profile.contains("ratio $r$ to the best solver"))
        // Many names: the legend goes below the plot, no entry cut.
        let many = SVG.render(figure((0..<30).map { "optimizer-number-\($0)" }))
        #expect(many.contains(">optimizer-number-29</text>") && !many.contains("…"))
    }

    @Test("captions count instances, not seeds, where the runs are instances")
    func instancesWord() {
        let records = (1...3).map { i in
            RunRecord(problem: "p", dimension: 1, optimizer: "gd", seed: 0, instance: i,
                      result: paperRecords[0].result)
        }
        let group = Grouping.problems(records, references: [:])[0]
        let f = ResultPlots.convergence(group, axis: .work, conditionNumber: nil, hash: "h")
        #expect(f.caption.contains("median over 3 instances") && !f.caption.contains("seeds"))
        #expect(f.yLabelTeX == "$\\|\\nabla f\\|$")
        let page = HTMLReport.page(ResultSet(records: records, references: [:], hash: "h"), metadata: "{}")
        #expect(page.contains("median over 3 instances") && !page.contains("3 seeds"))
    }
}
