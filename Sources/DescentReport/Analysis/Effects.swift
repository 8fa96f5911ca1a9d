import DescentCore

/// `effects.csv`: for every column of every per-problem table (problem, target) that has a reference,
/// each optimizer's effect size and significance against that reference — what the tables' marks are
/// made of (``ResultTables/compare(_:target:measure:)``), with the numbers a reader needs to judge them.
///
/// Columns: `problem, target, optimizer, reference, runs, reached, median_work, ratio, ratio_lower,
/// ratio_upper, a12, p, p_holm, p_paired, mark`.
/// - `median_work`: the median outcome over all runs (empty when at most half reached τ).
/// - `ratio`: `median_work` over the reference's (∞ as `inf` when undefined), with a 95% percentile
///   bootstrap interval (`ratio_lower`, `ratio_upper`): each of the two optimizers' runs redrawn with
///   replacement, ``replicates`` seeded replicates per column.
/// - `a12`: Vargha–Delaney Â₁₂, the probability that a run of the optimizer is behind a run of the
///   reference (ties half): 0.5 no difference, 1 every run behind every run of the reference.
/// - `p`: the exact rank-sum p (conditional on ties); `p_holm`: Holm-corrected within the column (the
///   tables' marks use it); `p_paired`: the exact paired sign-flip p on per-instance outcomes, for
///   comparison (`nan` when runs do not pair up by instance and seed).
/// - `mark`: `bold`/`italic` (the reference, significantly fewer than every other or not), `≈`, or empty.
/// The reference's own row has ratio 1 and empty test columns.
public enum Effects {
    /// Bootstrap replicates per comparison.
    public static let replicates = 1000

    /// The CSV header.
    public static let header = "problem,target,optimizer,reference,runs,reached,median_work,ratio,ratio_lower,ratio_upper,a12,p,p_holm,p_paired,mark"

    /// The file for `problems`, work counted in each problem's default measure.
    public static func csv(_ problems: [ProblemGroup]) -> String {
        var out = header + "\n"
        for p in problems {
            let measure = p.defaultMeasure
            let groups = ResultTables.ordered(p.groups, measure: measure)
            for t in Targets.all {
                guard let c = ResultTables.compare(groups, target: t, measure: measure) else { continue }
                let ref = groups[c.reference]
                let refOutcomes = ResultTables.outcomes(ref, t, measure)
                let refLabel = ResultTables.rowLabel(ref)
                var rng = generator(p.problem, t)
                func row(_ g: RunGroup, _ fields: [String]) {
                    let o = ResultTables.outcomes(g, t, measure)
                    out += ([CSV.field(p.problem), Targets.label(t), CSV.field(ResultTables.rowLabel(g)), CSV.field(refLabel), String(o.count),
                            String(o.filter(\.reached).count)] + fields).joined(separator: ",") + "\n"
                }
                row(ref, [ResultTables.medianWork(refOutcomes).map(NumberFormat.exact) ?? "", "1", "1", "1", "", "", "", "",
                          c.significant ? "bold" : "italic"])
                for k in c.comparisons {
                    let g = groups[k.group]
                    let (lower, upper) = ratioInterval(ResultTables.outcomes(g, t, measure), refOutcomes, &rng)
                    row(g, [k.medianWork.map(NumberFormat.exact) ?? "", NumberFormat.exact(k.ratio), NumberFormat.exact(lower),
                            NumberFormat.exact(upper), NumberFormat.exact(k.a12), NumberFormat.exact(k.p),
                            NumberFormat.exact(k.holm), NumberFormat.exact(k.paired), k.indistinguishable ? "≈" : ""])
                }
            }
        }
        return out
    }

    /// The seeded generator of one column: the same draws whatever else the result set holds.
    static func generator(_ problem: String, _ target: Double) -> SeededGenerator {
        var hash = StableHash()
        hash.combine(problem)
        hash.combine(target)
        return SeededGenerator(seed: hash.value ^ Bootstrap.seed)
    }

    /// The 95% percentile interval of median(x*)/median(y*) over ``replicates`` redraws of both samples;
    /// an undefined median (at most half reached) counts as ∞ (x) or makes the replicate ∞ too (y).
    static func ratioInterval(_ x: [ResultTables.TargetOutcome], _ y: [ResultTables.TargetOutcome],
                              _ rng: inout SeededGenerator) -> (Double, Double) {
        guard !x.isEmpty, !y.isEmpty else { return (.nan, .nan) }
        var ratios: [Double] = []
        ratios.reserveCapacity(replicates)
        var dx = x, dy = y
        for _ in 0..<replicates {
            for i in dx.indices { dx[i] = x[Int(rng.next() % UInt64(x.count))] }
            for i in dy.indices { dy[i] = y[Int(rng.next() % UInt64(y.count))] }
            guard let my = ResultTables.medianWork(sorting: &dy) else { ratios.append(.infinity); continue }
            ratios.append(ResultTables.medianWork(sorting: &dx).map { ResultTables.workRatio($0, best: my) } ?? .infinity)
        }
        return Bootstrap.interval(ratios)
    }
}
