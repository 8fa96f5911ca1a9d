import DescentCore

/// Which cell of each column of a per-problem table is its reference (the fewest work), whether the
/// reference is significantly fewer than every other optimizer, which cells are indistinguishable from
/// it, and the rule in words.
///
/// The rule (stated in full by ``markRule(runs:word:)``):
/// - Outcomes. Each run's outcome for a target τ is its work to τ when it reached τ; runs that did not
///   reach τ rank behind every run that did, among themselves by final error (NaN last).
/// - Reference. The optimizer whose median outcome over all its runs is the smallest work. Its median is a
///   work only when more than half its runs reached τ, so only such an optimizer can be the reference;
///   ties go to more runs reaching, then to the name (then the batch size). A column where no optimizer reaches τ on more than
///   half its runs has no reference and no marks.
/// - Test. The reference against every other optimizer that ran on the problem, each by the exact
///   two-sided rank-sum test conditional on ties (``ExactTests/rankSum(_:_:exactLimit:draws:seed:)``),
///   Holm-corrected over those comparisons (the family is the column).
/// - Marks. Bold: the reference, when every corrected p is below ``significanceLevel``; italic: the
///   reference otherwise. ≈: corrected p at least ``significanceLevel`` and median outcome at most
///   ``indistinguishableFactor`` times the reference's. Cells no run reached (dashes) never get ≈.
///   With one run per optimizer there is no test: bold when strictly fewest, italic when tied.
extension ResultTables {
    /// The family-wise significance level of the tables' tests (Holm-corrected within a column).
    public static let significanceLevel = 0.05

    /// ≈ is never put on a cell whose median work is more than this many times the reference's.
    public static let indistinguishableFactor = 2.0

    /// One run's outcome for a target, ordered best first: runs that reached it by their work, then
    /// runs that did not by their final error (the ordering of COCO's rank-sum tests).
    struct TargetOutcome: Comparable {
        var reached: Bool
        var value: Double

        static func < (a: TargetOutcome, b: TargetOutcome) -> Bool {
            a.reached != b.reached ? a.reached : a.value < b.value
        }
    }

    /// The outcomes of `g`'s runs for `target`, in run order.
    static func outcomes(_ g: RunGroup, _ target: Double, _ measure: WorkMeasure) -> [TargetOutcome] {
        g.ran.map { r in
            if let hit = r.result.hits.first(where: { $0.target == target }) { return TargetOutcome(reached: true, value: measure.value(hit)) }
            let e = r.result.finalError
            return TargetOutcome(reached: false, value: e.isNaN ? .infinity : e)
        }
    }

    /// The median of outcomes as a work: defined when more than half the runs reached (the middle
    /// outcome, or the mean of the middle two, is then a reached run's work), else `nil`.
    static func medianWork(_ outcomes: [TargetOutcome]) -> Double? {
        var sorted = outcomes
        return medianWork(sorting: &sorted)
    }

    /// ``medianWork(_:)`` of `outcomes`, sorting them in place (no allocation: the bootstrap calls it often).
    static func medianWork(sorting outcomes: inout [TargetOutcome]) -> Double? {
        let n = outcomes.count
        var reached = 0
        for o in outcomes where o.reached { reached += 1 }
        guard n > 0, reached * 2 > n else { return nil }
        outcomes.sort()
        return n % 2 == 1 ? outcomes[n / 2].value : (outcomes[n / 2 - 1].value + outcomes[n / 2].value) / 2
    }

    /// The key of a group in marks: its optimizer and batch size.
    static func markKey(_ g: RunGroup) -> String { g.optimizer + "\(g.batchSize ?? 0)" }

    /// A column's marks: the reference's key and whether it is significantly fewer than every other
    /// optimizer (bold) or not (italic), and the keys marked ≈.
    public struct ColumnMarks: Sendable, Equatable {
        /// The key of the reference (``markKey(_:)``).
        public var reference: String
        /// Bold (significantly fewer than every other optimizer) rather than italic.
        public var significant: Bool
        /// The keys marked ≈.
        public var indistinguishable: Set<String>
    }

    /// One comparison of a column: an optimizer against the column's reference.
    public struct Comparison: Sendable, Equatable {
        /// The compared group's index in the groups given.
        public var group: Int
        /// Its median work over all runs (``medianWork(_:)``); `nil` when at most half its runs reached.
        public var medianWork: Double?
        /// Its median work over the reference's (``workRatio(_:best:)``); ∞ when its median is undefined.
        public var ratio: Double
        /// Vargha–Delaney Â₁₂ of its outcomes against the reference's: the probability that a run of it
        /// is behind a run of the reference (ties count half); 0.5 = no difference, 1 = always behind.
        public var a12: Double
        /// The exact rank-sum p-value, uncorrected.
        public var p: Double
        /// The Holm-corrected p-value within the column.
        public var holm: Double
        /// The exact paired sign-flip p-value on per-instance outcomes (``ExactTests/signFlip(_:)``);
        /// NaN when the two optimizers' runs do not pair up by instance and seed.
        public var paired: Double
        /// Marked ≈.
        public var indistinguishable: Bool
    }

    /// A column's reference (its group index) and the comparisons of every other group that ran;
    /// `nil` when no group reaches the target on more than half its runs, or when some reached run's work
    /// is unknown (NaN: seconds read from a folder without `timing.csv`).
    public static func compare(_ groups: [RunGroup], target: Double, measure: WorkMeasure)
        -> (reference: Int, significant: Bool, comparisons: [Comparison])? {
        let ran = groups.indices.filter { !groups[$0].isSkipped }
        let outcome = ran.map { outcomes(groups[$0], target, measure) }
        // Work that was not recorded (seconds in a folder without timing.csv) cannot be ranked: no marks.
        guard !outcome.contains(where: { $0.contains { $0.reached && $0.value.isNaN } }) else { return nil }
        let medians = outcome.map(medianWork)
        let reached = outcome.map { $0.filter(\.reached).count }
        var best: Int? = nil
        for i in ran.indices {
            guard let m = medians[i] else { continue }
            if let b = best, let mb = medians[b],
               (mb, -reached[b], groups[ran[b]].optimizer, groups[ran[b]].batchSize ?? 0)
                <= (m, -reached[i], groups[ran[i]].optimizer, groups[ran[i]].batchSize ?? 0) { continue }
            best = i
        }
        guard let b = best, let reference = medians[b] else { return nil }
        let tested = outcome[b].count > 1
        var comparisons: [Comparison] = []
        for i in ran.indices where i != b {
            let ratio = medians[i].map { workRatio($0, best: reference) } ?? .infinity
            let p = tested ? ExactTests.rankSum(outcome[b], outcome[i]) : (medians[i] == reference ? 1 : 0)
            comparisons.append(Comparison(group: ran[i], medianWork: medians[i], ratio: ratio,
                                          a12: ExactTests.varghaDelaney(outcome[i], outcome[b]), p: p, holm: p,
                                          paired: paired(groups[ran[b]], groups[ran[i]], outcome[b], outcome[i]),
                                          indistinguishable: false))
        }
        let holm = ExactTests.holm(comparisons.map(\.p))
        for k in comparisons.indices {
            comparisons[k].holm = holm[k]
            comparisons[k].indistinguishable = tested && holm[k] >= significanceLevel
                && comparisons[k].ratio <= indistinguishableFactor
        }
        return (ran[b], !comparisons.isEmpty && comparisons.allSatisfy { $0.holm < significanceLevel }, comparisons)
    }

    /// The exact paired p of two groups' outcomes matched by (instance, seed); NaN when they do not match.
    static func paired(_ a: RunGroup, _ b: RunGroup, _ oa: [TargetOutcome], _ ob: [TargetOutcome]) -> Double {
        let ka = a.ran.map { "\($0.instance)/\($0.seed)" }
        let kb = b.ran.map { "\($0.instance)/\($0.seed)" }
        guard ka.count > 1, Set(ka).count == ka.count, Set(ka) == Set(kb) else { return .nan }
        let index = Dictionary(uniqueKeysWithValues: kb.enumerated().map { ($1, $0) })
        let d = ka.indices.map { i in
            let o = ob[index[ka[i]]!]
            return ExactTests.pairedDifference((o.reached, o.value), (oa[i].reached, oa[i].value))
        }
        return ExactTests.signFlip(d)
    }

    /// For each target, the column's marks (absent where the column has no reference).
    public static func columnMarks(_ groups: [RunGroup], measure: WorkMeasure) -> [Double: ColumnMarks] {
        var out: [Double: ColumnMarks] = [:]
        for t in Targets.all {
            guard let c = compare(groups, target: t, measure: measure) else { continue }
            out[t] = ColumnMarks(reference: markKey(groups[c.reference]), significant: c.significant,
                                 indistinguishable: Set(c.comparisons.filter(\.indistinguishable).map { markKey(groups[$0.group]) }))
        }
        return out
    }

    /// The marking rule in words, for a table whose optimizers have `runs` runs each (`word`: instances or seeds).
    public static func markRule(runs: Int, word: String) -> String {
        guard runs > 1 else {
            return "Bold: the fewest work, when strictly fewer than every other optimizer's; italic: the fewest, tied. "
        }
        let factor = indistinguishableFactor.rounded() == indistinguishableFactor
            ? String(Int(indistinguishableFactor)) : NumberFormat.fixed(indistinguishableFactor)
        return "Marks compare each column's reference with every other optimizer. Each run's outcome is its work to τ; "
            + "runs that did not reach τ rank behind every run that did, among themselves by final error. "
            + "Reference: the optimizer with the smallest median outcome over its \(runs) \(word); only an optimizer that "
            + "reached τ on more than half its \(word) has a median work, so only it can be the reference (ties: more runs "
            + "reaching, then name); a column where none does has no marks. Test: the exact two-sided Mann–Whitney rank-sum "
            + "test conditional on ties, the reference against each other optimizer that ran, Holm-corrected over the "
            + "column's comparisons. Bold: the reference, significantly fewer than every other optimizer (every corrected "
            + "p < \(significanceLevel)); italic: the reference otherwise. ≈: not significantly different from the "
            + "reference (corrected p ≥ \(significanceLevel)) and a median work at most \(factor)× the reference's. "
            + "Unmarked: significantly more work than the reference, or more than \(factor)× its median. "
            + "Dashes (no run reached τ) are never marked. "
    }

    /// The smallest Holm-corrected p a column of `optimizers` optimizers with `runs` runs each can reach:
    /// every comparison completely separated, (optimizers − 1) · 2/C(2·runs, runs).
    public static func smallestCorrectedP(optimizers: Int, runs: Int) -> Double {
        Swift.min(1, Double(Swift.max(1, optimizers - 1)) * ExactTests.smallestRankSumP(runs, runs))
    }
}

extension ResultTables {
    /// Why the run count is enough (or not) for the marks to mean something, computed for this table:
    /// the smallest Holm-corrected p a column can reach, against 0.01.
    public static func powerNote(runs: Int, optimizers: Int, word: String) -> String {
        guard runs > 1, optimizers > 1 else { return "" }
        let p = smallestCorrectedP(optimizers: optimizers, runs: runs)
        let splits = ExactTests.binomial(2 * runs, runs)
        var note = "With \(runs) \(word) per optimizer and \(optimizers - 1) comparisons in a column, the smallest corrected p "
            + "(every comparison completely separated) is \(optimizers - 1) · 2/C(\(2 * runs), \(runs)) = \(optimizers - 1) · 2/"
            + "\(Int(splits)) = \(NumberFormat.scientific(p, digits: 2))"
        note += p <= 0.01 ? ", at most 0.01: a method whose every run beats every other method's is always bold. "
            : ", above 0.01: raise --instances until it is not (the headline's 8 give 35 · 2/12870 = 0.0054). "
        return note
    }
}
