import DescentCore

/// Performance profiles (Dolan and Moré 2002) and data profiles (Moré and Wild 2009) over a set of
/// problems, for one target τ.
///
/// The cost t(p, s) of solver s on problem p is the median work of its runs when every run reached
/// f − f* ≤ τ, else ∞ (a skipped or failed run never solves).
/// - Performance profile: ρ_s(r) = |{p : t(p, s) ≤ r · min_s' t(p, s')}| / |P|, for r ≥ 1.
/// - Data profile: d_s(α) = |{p : t(p, s) ≤ α}| / |P|: the share of problems solved within a budget
///   of α units of work (evaluations here: each gradient is one oracle call, so the budget is not
///   divided by n + 1 as it is for derivative-free methods in Moré–Wild).
public struct Profiles: Sendable, Equatable {
    /// The solvers (row labels), in order of first appearance.
    public var solvers: [String]
    /// The problems.
    public var problems: [String]
    /// t(p, s): `costs[p][s]`, ∞ when not solved.
    public var costs: [[Double]]

    /// Profiles from a cost matrix (problems × solvers).
    public init(solvers: [String], problems: [String], costs: [[Double]]) {
        self.solvers = solvers
        self.problems = problems
        self.costs = costs
    }

    /// The costs of every optimizer on every problem for `target`, each problem in its default measure.
    public init(_ groups: [ProblemGroup], target: Double) {
        var solvers: [String] = []
        for p in groups { for g in p.groups where !solvers.contains(ResultTables.rowLabel(g)) { solvers.append(ResultTables.rowLabel(g)) } }
        self.solvers = solvers
        problems = groups.map(\.problem)
        costs = groups.map { p in
            solvers.map { s in
                p.groups.first { ResultTables.rowLabel($0) == s }?.solved(target, in: p.defaultMeasure)?.median ?? .infinity
            }
        }
    }

    /// Each solver's performance profile as a step function: (r, ρ(r)) at every ratio where ρ rises,
    /// starting at r = 1.
    public func performance() -> [(solver: String, points: [(ratio: Double, fraction: Double)])] {
        let ratios = self.ratios()
        return solvers.indices.map { s in
            (solvers[s], steps(ratios.map { $0[s] }, start: 1))
        }
    }

    /// Each solver's data profile as a step function: (α, d(α)) at every budget where d rises, starting at 0.
    public func data() -> [(solver: String, points: [(budget: Double, fraction: Double)])] {
        solvers.indices.map { s in
            (solvers[s], steps(costs.map { $0[s] }, start: 0).map { (budget: $0.0, fraction: $0.1) })
        }
    }

    /// r(p, s) = t(p, s) / min_s' t(p, s'): problems × solvers, ∞ when unsolved.
    func ratios() -> [[Double]] {
        costs.map { row in
            let best = row.min() ?? .infinity
            return row.map { c in best.isFinite ? ResultTables.workRatio(c, best: best) : .infinity }
        }
    }

    /// The share of problems whose value is ≤ x.
    func share(_ values: [Double], atMost x: Double) -> Double {
        Double(values.filter { $0 <= x }.count) / Double(Swift.max(problems.count, 1))
    }

    /// (x, share of values ≤ x) at `start` and at each distinct finite value.
    private func steps(_ values: [Double], start: Double) -> [(Double, Double)] {
        let n = Double(Swift.max(problems.count, 1))
        let finite = values.filter(\.isFinite).sorted()
        var out: [(Double, Double)] = [(start, Double(finite.filter { $0 <= start }.count) / n)]
        for (i, v) in finite.enumerated() where v > start && (i + 1 == finite.count || finite[i + 1] != v) {
            out.append((v, Double(i + 1) / n))
        }
        return out
    }

    /// Pointwise bootstrap bands at each step point, per solver (``Bootstrap/profileBands(_:target:)``); empty for none.
    public typealias Bands = [[(x: Double, lower: Double, upper: Double)]]

    /// `profiles.csv`: tidy rows `profile, target, solver, x, fraction, lower, upper` for both profiles
    /// (`lower`, `upper`: the bootstrap band at x, empty without one).
    public func csv(target: Double, bands: (performance: Bands, data: Bands) = ([], [])) -> String {
        var rows: [[String]] = []
        func band(_ b: Bands, _ s: Int, _ i: Int) -> [String] {
            s < b.count && i < b[s].count ? [NumberFormat.exact(b[s][i].lower), NumberFormat.exact(b[s][i].upper)] : ["", ""]
        }
        for (s, (solver, points)) in performance().enumerated() {
            for (i, p) in points.enumerated() {
                rows.append(["performance", NumberFormat.exact(target), CSV.field(solver), NumberFormat.exact(p.ratio),
                             NumberFormat.exact(p.fraction)] + band(bands.performance, s, i))
            }
        }
        for (s, (solver, points)) in data().enumerated() {
            for (i, p) in points.enumerated() {
                rows.append(["data", NumberFormat.exact(target), CSV.field(solver), NumberFormat.exact(p.budget),
                             NumberFormat.exact(p.fraction)] + band(bands.data, s, i))
            }
        }
        return CSV.table(header: ["profile", "target", "solver", "x", "fraction", "lower", "upper"], rows: rows)
    }

    /// A step band: each interval held until the next point, then to `end`.
    static func stepBand(_ band: [(x: Double, lower: Double, upper: Double)], end: Double) -> [(x: Double, lower: Double, upper: Double)] {
        var out: [(x: Double, lower: Double, upper: Double)] = []
        for (i, b) in band.enumerated() {
            out.append(b)
            let next = i + 1 < band.count ? band[i + 1].x : end
            out.append((next, b.lower, b.upper))
        }
        return out
    }

    /// The words the profile captions add when they have bands.
    static let bandWords = " Bands: pointwise 95% percentile-bootstrap intervals over the runs of each problem "
        + "(\(Bootstrap.replicates) seeded replicates, every optimizer resampled with the same draw)."

    /// The performance-profile figure (log ratio axis), with `bands` (per solver) when given.
    public func performanceFigure(target: Double, hash: String, bands: Bands = []) -> Figure {
        let perf = performance()
        let maxRatio = perf.flatMap { $0.points.map(\.ratio) }.max() ?? 1
        let end = Swift.max(2, maxRatio * 1.5)
        let series = perf.enumerated().map { i, s in
            Figure.Series(name: s.solver, points: s.points.map { ($0.ratio, $0.fraction) } + [(end, s.points.last?.fraction ?? 0)],
                          band: i < bands.count ? Self.stepBand(bands[i], end: end) : [], isStep: true)
        }
        var figure = Figure(title: "Performance profile, f − f* ≤ \(Targets.label(target))", xLabel: "ratio r to the best solver",
                            yLabel: "share of problems within r × best", logX: true, logY: false, yRange: (0, 1), series: series,
                            caption: "Dolan–Moré performance profile over \(problems.count) problems; work is evaluations "
                              + "(epochs for mini-batch runs), median over the runs, a run that never reached the target counts as unsolved."
                              + " Descent run \(hash).")
        figure.bandCaption = bands.isEmpty ? "" : Self.bandWords
        figure.xLabelTeX = "ratio $r$ to the best solver"
        figure.yLabelTeX = "share of problems within $r \\times$ best"
        return figure
    }

    /// The data-profile figure (log budget axis), with `bands` (per solver) when given.
    public func dataFigure(target: Double, hash: String, bands: Bands = []) -> Figure {
        let d = data()
        let maxBudget = d.flatMap { $0.points.map(\.budget) }.max() ?? 1
        let minBudget = d.flatMap { $0.points.map(\.budget) }.filter { $0 > 0 }.min() ?? 1
        let series = d.enumerated().map { i, s in
            Figure.Series(name: s.solver,
                          points: [(minBudget / 2, s.points.first?.fraction ?? 0)] + s.points.filter { $0.budget > 0 }.map { ($0.budget, $0.fraction) }
                            + [(maxBudget * 2, s.points.last?.fraction ?? 0)],
                          band: i < bands.count ? Self.stepBand(bands[i].filter { $0.x > 0 }, end: maxBudget * 2) : [], isStep: true)
        }
        var figure = Figure(title: "Data profile, f − f* ≤ \(Targets.label(target))", xLabel: "budget (evaluations; epochs for mini-batch runs)",
                            yLabel: "share of problems solved", logX: true, logY: false, yRange: (0, 1), series: series,
                            caption: "Moré–Wild data profile over \(problems.count) problems: share solved within the budget."
                              + " Descent run \(hash).")
        figure.bandCaption = bands.isEmpty ? "" : Self.bandWords
        return figure
    }
}
