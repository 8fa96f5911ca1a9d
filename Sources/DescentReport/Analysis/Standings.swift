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
        /// Its runs that ended converged (over every problem it ran on).
        public var converged: Int
        /// Its runs that ended diverged.
        public var diverged: Int
        /// Its runs that ran (not skipped).
        public var runs: Int = 0
        /// Why it was skipped on the problems it did not run on (each reason once, in problem order).
        public var skipReasons: [String] = []
        /// Median over its reached cells of its work / the least work any optimizer needed there.
        public var medianRatio: Double?
        /// Runs that reached a target, summed over its (problem, target) pairs.
        public var successes: Int = 0
        /// Runs that could have: its runs that ran × targets.
        public var attempts: Int = 0
        /// 1 = best; equal (score, ratio) share a rank.
        public var rank: Int

        /// The ranking score: the share of its attempted (problem, target, run) triples that reached the
        /// target, successes / attempts, over only the problems it ran on (0 when it ran on none).
        public var score: Double { attempts > 0 ? Double(successes) / Double(attempts) : 0 }

        /// The score as tables print it: a percentage with 3 significant digits (`94.3%`).
        public var scoreText: String { NumberFormat.fixed(100 * score) + "%" }

        /// Whether `self` has a higher score than `other`, compared exactly (cross-multiplied counts).
        func scoresAbove(_ other: Standing) -> Bool {
            successes * Swift.max(other.attempts, 1) > other.successes * Swift.max(attempts, 1)
        }
    }

    /// The overview's ranking rule in words.
    public static let rankingRule = "Rank: by score, the share of attempted (problem, target, run) triples in which the "
        + "run reached the target, counted only on the problems the optimizer ran on (a method skipped on a problem is "
        + "neither credited nor penalised there); then by smallest median work ratio; equal score and ratio share a rank."


    /// `work / best`, the ratio of the overview and the performance profile: 1 when both are 0, ∞ for
    /// positive work against a best of 0 (an optimum already at x₀).
    public static func workRatio(_ work: Double, best: Double) -> Double {
        best > 0 ? work / best : (work == 0 ? 1 : .infinity)
    }

    /// Every optimizer's standing, work counted in each problem's default measure, ranked by
    /// ``rankingRule``: score (highest first), then median work ratio.
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
                guard !g.isSkipped else {
                    var reason = g.runs[0].result.statusDescription
                    if reason.hasPrefix("skipped: ") { reason.removeFirst("skipped: ".count) }
                    if !table[label]!.skipReasons.contains(reason) { table[label]!.skipReasons.append(reason) }
                    continue
                }
                table[label]!.problems += 1
                for t in Targets.all { table[label]!.successes += g.work(to: t, in: m).reached }
                table[label]!.attempts += g.ran.count * Targets.all.count
                table[label]!.possible += Targets.all.count
                table[label]!.runs += g.ran.count
                table[label]!.converged += g.ran.filter { $0.result.status == .converged }.count
                table[label]!.diverged += g.ran.filter { $0.result.status == .diverged }.count
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
            if a.scoresAbove(b) || b.scoresAbove(a) { return a.scoresAbove(b) }
            let (ra, rb) = (a.medianRatio ?? .infinity, b.medianRatio ?? .infinity)
            if ra != rb { return ra < rb }
            return a.label < b.label
        }
        for i in out.indices {
            let tied = i > 0 && !out[i - 1].scoresAbove(out[i]) && out[i - 1].medianRatio == out[i].medianRatio
            out[i].rank = tied ? out[i - 1].rank : i + 1
        }
        return out
    }

}
