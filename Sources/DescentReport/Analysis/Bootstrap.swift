import DescentCore

/// Seeded percentile-bootstrap intervals over a problem's runs (its instances or seeds), for the
/// profiles and the overview's median work ratios.
///
/// One replicate redraws, for every problem, its T runs with replacement: the same draw for every
/// optimizer on that problem, so comparisons stay paired. The statistic is recomputed on each of
/// ``replicates`` replicates and the interval is their 2.5th and 97.5th percentiles (type 7). The
/// generator is seeded with ``seed``, so the intervals are the same on every machine and run.
public struct Bootstrap: Sendable {
    /// The number of replicates.
    public static let replicates = 200
    /// The generator's seed.
    public static let seed: UInt64 = 0xB0_07_57_4A_9E
    /// The interval's coverage.
    public static let level = 0.95

    /// Row labels (optimizers), in order of first appearance.
    public let solvers: [String]
    /// Problem labels.
    public let problems: [String]
    /// `work[p][s][t]`: the work of each run of solver s on problem p to target `Targets.all[t]`
    /// (∞ when the run did not reach it), in run order; empty when s did not run on p.
    let work: [[[[Double]]]]
    /// The number of runs of each problem (the most of any of its solvers).
    let runCounts: [Int]

    /// The runs of `groups`, each problem in its default measure.
    public init(_ groups: [ProblemGroup]) {
        var solvers: [String] = []
        var index: [String: Int] = [:]
        for p in groups {
            for g in p.groups {
                let label = ResultTables.rowLabel(g)
                if index[label] == nil { index[label] = solvers.count; solvers.append(label) }
            }
        }
        self.solvers = solvers
        problems = groups.map(\.problem)
        work = groups.map { p in
            var row = [[[Double]]](repeating: [], count: solvers.count)
            for g in p.groups where !g.isSkipped {
                let ran = g.ran
                row[index[ResultTables.rowLabel(g)]!] = Targets.all.map { t in
                    ran.map { r in r.result.hits.first(where: { $0.target == t }).map(p.defaultMeasure.value) ?? .infinity }
                }
            }
            return row
        }
        runCounts = work.map { row in row.map { $0.first?.count ?? 0 }.max() ?? 0 }
    }

    /// Whether any problem has more than one run per solver (otherwise every replicate is the data).
    public var isInformative: Bool { runCounts.contains { $0 > 1 } }

    /// The median work of solver s on problem p to target t over the runs `draw` (indices into its
    /// runs), when every drawn run reached it; else ∞. `nil` draw: every run. `nil` result: not run.
    func cost(_ p: Int, _ s: Int, _ t: Int, _ draw: [Int]?) -> Double? {
        let runs = work[p][s]
        guard !runs.isEmpty else { return nil }
        let values = runs[t]
        let picked = draw.map { d in d.map { values[$0 % values.count] } } ?? values
        guard picked.allSatisfy(\.isFinite) else { return .infinity }
        return Spread.quantile(picked.sorted(), 0.5)
    }

    /// Profile costs (problems × solvers, ∞ when unsolved) at `target` for one draw per problem.
    func profileCosts(target: Double, draws: [[Int]?]) -> [[Double]] {
        guard let t = Targets.all.firstIndex(of: target) else {
            return problems.map { _ in solvers.map { _ in .infinity } }
        }
        return problems.indices.map { p in solvers.indices.map { s in cost(p, s, t, draws[p]) ?? .infinity } }
    }

    /// Each solver's median work ratio over the (problem, target) pairs it solved (as in
    /// ``ResultTables/standings(_:)``) for one draw per problem; `nil` where it solved none.
    func medianRatios(draws: [[Int]?]) -> [Double?] {
        var ratios = [[Double]](repeating: [], count: solvers.count)
        for p in problems.indices {
            for t in Targets.all.indices {
                let costs = solvers.indices.map { cost(p, $0, t, draws[p]) }
                guard let best = costs.compactMap({ $0 }).filter(\.isFinite).min() else { continue }
                for (s, c) in costs.enumerated() {
                    guard let c, c.isFinite else { continue }
                    ratios[s].append(ResultTables.workRatio(c, best: best))
                }
            }
        }
        return ratios.map { $0.isEmpty ? nil : Spread.quantile($0.sorted(), 0.5) }
    }

    /// The draws of every replicate: per problem, T indices drawn uniformly with replacement.
    func replicateDraws() -> [[[Int]?]] {
        var rng = SeededGenerator(seed: Self.seed)
        return (0..<Self.replicates).map { _ in
            runCounts.map { n in n > 1 ? (0..<n).map { _ in Int(rng.next() % UInt64(n)) } : nil }
        }
    }

    /// The percentile interval of `values` (non-empty) at ``level``.
    public static func interval(_ values: [Double]) -> (lower: Double, upper: Double) {
        let sorted = values.sorted()
        let tail = (1 - level) / 2
        return (Spread.quantile(sorted, tail), Spread.quantile(sorted, 1 - tail))
    }

    /// The interval of each solver's median work ratio; `nil` where fewer than half the replicates
    /// have a ratio (it rarely solves anything) or the runs cannot be resampled.
    public func medianRatioIntervals() -> [String: (lower: Double, upper: Double)] {
        guard isInformative else { return [:] }
        var samples = [[Double]](repeating: [], count: solvers.count)
        for draws in replicateDraws() {
            for (s, r) in medianRatios(draws: draws).enumerated() { if let r { samples[s].append(r) } }
        }
        var out: [String: (lower: Double, upper: Double)] = [:]
        for (s, values) in samples.enumerated() where values.count * 2 >= Self.replicates { out[solvers[s]] = Self.interval(values) }
        return out
    }

    /// Pointwise intervals of the performance and data profiles at `target`, at the step points of
    /// `profiles` (the profiles of all runs): per solver, (x, lower, upper) for each point.
    public func profileBands(_ profiles: Profiles, target: Double)
        -> (performance: [[(x: Double, lower: Double, upper: Double)]], data: [[(x: Double, lower: Double, upper: Double)]]) {
        let perf = profiles.performance()
        let data = profiles.data()
        guard isInformative else { return ([], []) }
        var perfSamples = perf.map { s in s.points.map { _ in [Double]() } }
        var dataSamples = data.map { s in s.points.map { _ in [Double]() } }
        for draws in replicateDraws() {
            let replicate = Profiles(solvers: solvers, problems: problems, costs: profileCosts(target: target, draws: draws))
            let ratios = replicate.ratios()
            for (s, series) in perf.enumerated() {
                for (i, point) in series.points.enumerated() {
                    perfSamples[s][i].append(replicate.share(ratios.map { $0[s] }, atMost: point.ratio))
                }
            }
            for (s, series) in data.enumerated() {
                for (i, point) in series.points.enumerated() {
                    dataSamples[s][i].append(replicate.share(replicate.costs.map { $0[s] }, atMost: point.budget))
                }
            }
        }
        func bands(_ xs: [[Double]], _ samples: [[[Double]]]) -> [[(x: Double, lower: Double, upper: Double)]] {
            zip(xs, samples).map { x, s in zip(x, s).map { x, v in let i = Self.interval(v); return (x, i.lower, i.upper) } }
        }
        return (bands(perf.map { $0.points.map(\.ratio) }, perfSamples), bands(data.map { $0.points.map(\.budget) }, dataSamples))
    }
}
