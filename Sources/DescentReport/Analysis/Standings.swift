import DescentCore

/// The overview's standings: each optimizer's targets reached, runs reaching and work ratio across problems.
extension ResultTables {
    /// One optimizer's standing across problems (see ``overview(_:problemCount:hash:)``).
    public struct Standing: Sendable, Equatable {
        /// The row label (optimizer, with the batch size for mini-batch runs).
        public var label: String
        /// Problems it ran on (not skipped).
        public var problems: Int
        /// (problem, target) cells every seed reached.
        public var reached: Int
        /// Cells it could have reached: problems run × targets.
        public var possible: Int
        /// Problems where every seed converged.
        public var converged: Int
        /// Problems where some seed diverged.
        public var diverged: Int
        /// Median over its reached cells of its work / the least work any optimizer needed there.
        public var medianRatio: Double?
        /// Runs that reached a target, summed over its (problem, target) pairs.
        public var successes: Int = 0
        /// Runs that could have: its runs that ran × targets.
        public var attempts: Int = 0
        /// 1 = best; equal (reached, ratio) share a rank.
        public var rank: Int
    }

    /// `work / best`, the ratio of the overview and the performance profile: 1 when both are 0, ∞ for
    /// positive work against a best of 0 (an optimum already at x₀).
    public static func workRatio(_ work: Double, best: Double) -> Double {
        best > 0 ? work / best : (work == 0 ? 1 : .infinity)
    }

    /// Every optimizer's standing, work counted in each problem's default measure: ranked by targets
    /// reached (most first), then by median work ratio.
    public static func standings(_ problems: [ProblemGroup]) -> [Standing] {
        var labels: [String] = []
        var ratios: [String: [Double]] = [:]
        var table: [String: Standing] = [:]
        for p in problems {
            let m = p.defaultMeasure
            var bestWork: [Double: Double] = [:]
            for t in Targets.all {
                let medians = p.groups.compactMap { $0.solved(t, in: m)?.median }
                if let b = medians.min() { bestWork[t] = b }
            }
            for g in p.groups {
                let label = rowLabel(g)
                if table[label] == nil {
                    labels.append(label)
                    table[label] = Standing(label: label, problems: 0, reached: 0, possible: 0, converged: 0, diverged: 0,
                                            medianRatio: nil, rank: 0)
                }
                guard !g.isSkipped else { continue }
                table[label]!.problems += 1
                for t in Targets.all { table[label]!.successes += g.work(to: t, in: m).reached }
                table[label]!.attempts += g.ran.count * Targets.all.count
                table[label]!.possible += Targets.all.count
                if g.ran.allSatisfy({ $0.result.status == .converged }) { table[label]!.converged += 1 }
                if g.ran.contains(where: { $0.result.status == .diverged }) { table[label]!.diverged += 1 }
                for t in Targets.all {
                    guard let s = g.solved(t, in: m), let b = bestWork[t] else { continue }
                    table[label]!.reached += 1
                    ratios[label, default: []].append(workRatio(s.median, best: b))
                }
            }
        }
        var out = labels.map { label -> Standing in
            var s = table[label]!
            if let r = ratios[label], !r.isEmpty { s.medianRatio = Spread(r).median }
            return s
        }
        out.sort { a, b in
            if a.reached != b.reached { return a.reached > b.reached }
            let (ra, rb) = (a.medianRatio ?? .infinity, b.medianRatio ?? .infinity)
            if ra != rb { return ra < rb }
            return a.label < b.label
        }
        for i in out.indices {
            let tied = i > 0 && out[i - 1].reached == out[i].reached && out[i - 1].medianRatio == out[i].medianRatio
            out[i].rank = tied ? out[i - 1].rank : i + 1
        }
        return out
    }

}
