import DescentCore

/// Which cell of each column of a per-problem table is marked best (bold) and which are marked
/// not significantly different from it (≈), and the rule as the caption states it.
extension ResultTables {
    /// The significance level of the tables' rank-sum tests, before the Bonferroni correction.
    public static let significanceLevel = 0.05

    /// One run's outcome for a target, ordered best first: runs that reached it by their work, then
    /// runs that did not by their final error (the ordering of COCO's rank-sum tests).
    struct TargetOutcome: Comparable {
        var reached: Bool
        var value: Double

        static func < (a: TargetOutcome, b: TargetOutcome) -> Bool {
            a.reached != b.reached ? a.reached : a.value < b.value
        }
    }

    /// The outcomes of `g`'s runs for `target`.
    static func outcomes(_ g: RunGroup, _ target: Double, _ measure: WorkMeasure) -> [TargetOutcome] {
        g.ran.map { r in
            if let hit = r.result.hits.first(where: { $0.target == target }) { return TargetOutcome(reached: true, value: measure.value(hit)) }
            let e = r.result.finalError
            return TargetOutcome(reached: false, value: e.isNaN ? .infinity : e)
        }
    }

    /// The Bonferroni-corrected two-sided rank-sum p-value of two groups' outcomes for `target`.
    static func correctedP(_ a: RunGroup, _ b: RunGroup, _ target: Double, _ measure: WorkMeasure, comparisons: Int) -> Double {
        Swift.min(1, RankSum.test(outcomes(a, target, measure), outcomes(b, target, measure)).p * Double(Swift.max(1, comparisons)))
    }

    /// The key of a group in marks: its optimizer and batch size.
    static func markKey(_ g: RunGroup) -> String { g.optimizer + "\(g.batchSize ?? 0)" }

    /// For each target, the key of the bold group (when there is one) and the keys marked ≈.
    static func columnMarks(_ groups: [RunGroup], measure: WorkMeasure, seeds: Int, comparisons: Int)
        -> (best: [Double: String], tied: [Double: Set<String>]) {
        let tested = seeds > 1
        let key = markKey
        // The fewest median in each column; bold when it is significantly fewer than every other optimizer's
        // (one run each: fewer than every other). ≈: not significantly different from it.
        var best: [Double: String] = [:]
        var tied: [Double: Set<String>] = [:]
        for t in Targets.all {
            let solved = groups.compactMap { g in g.solved(t, in: measure).map { (g, $0) } }
            guard let winner = solved.min(by: { $0.1.median < $1.1.median }) else { continue }
            if !tested {
                if solved.allSatisfy({ key($0.0) == key(winner.0) || winner.1.upper < $0.1.lower }) { best[t] = key(winner.0) }
                continue
            }
            var significant = true
            for g in groups where !g.isSkipped && key(g) != key(winner.0) {
                if correctedP(winner.0, g, t, measure, comparisons: comparisons) >= significanceLevel {
                    significant = false
                    tied[t, default: []].insert(key(g))
                }
            }
            if significant { best[t] = key(winner.0) }
        }
        return (best, tied)
    }

    /// The caption's statement of the marking rule.
    static func markRule(seeds: Int, comparisons: Int) -> String {
        let tested = seeds > 1
        var caption = ""
        caption += tested
            ? "Bold: the fewest median, when a two-sided Mann–Whitney rank-sum test of its \(seeds) runs against each other "
                + "optimizer's (runs that did not reach τ rank behind those that did, by final error) gives p < "
                + "\(significanceLevel) after a Bonferroni correction for the \(comparisons) problems; ≈: not significantly different "
                + "from the fewest by that test. "
            : "Bold: fewest, by more than the spread. "
        return caption
    }
}
