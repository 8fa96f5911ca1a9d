import DescentCore
import _DescentMath

/// The expected tuning cost (Dodge et al. 2019, "expected validation performance", as DeepOBS and
/// AlgoPerf users read it): from a `--tune` sweep, the best result a user would get after k
/// learning rates drawn uniformly at random from the grid (with replacement).
///
/// The result of a grid point is the number of ``Targets/all`` its run reached (0…8; comparable
/// across problems, the tables' first criterion). With G grid points sorted s₍₁₎ ≤ … ≤ s₍G₎,
/// P(best of k ≤ s₍i₎) = (i/G)^k, so E[best] = Σᵢ s₍ᵢ₎ ((i/G)^k − ((i−1)/G)^k), and likewise E[best²]
/// for the standard deviation. Skipped points are left out.
public enum TuningCost {
    /// E[best of k] and its standard deviation for the scores of one sweep (empty: nil).
    public static func expectedBest(_ scores: [Double], k: Int) -> (mean: Double, sd: Double)? {
        guard !scores.isEmpty, k >= 1 else { return nil }
        let s = scores.sorted()
        let g = Double(s.count)
        var mean = 0.0, square = 0.0
        var previous = 0.0
        for (i, v) in s.enumerated() {
            let p = _pow(Double(i + 1) / g, Double(k))
            mean += v * (p - previous)
            square += v * v * (p - previous)
            previous = p
        }
        return (mean, Swift.max(0, square - mean * mean).squareRoot())
    }

    /// The budgets k the table and plot show: 1, 2, 4, … below G, and G.
    public static func budgets(gridSize g: Int) -> [Int] {
        var out: [Int] = []
        var k = 1
        while k < g { out.append(k); k *= 2 }
        return out + [g]
    }

    /// Per optimizer (in sweep order), for each k of `budgets`: the mean over its problems of E[targets
    /// reached by the best of k] and the mean of the standard deviations.
    static func curves(_ sweeps: [TuningSweep], budgets: [Int]) -> [(optimizer: String, problems: Int, points: [(mean: Double, sd: Double)])] {
        var order: [String] = []
        for s in sweeps where !order.contains(s.optimizer) { order.append(s.optimizer) }
        return order.compactMap { name in
            let scores = sweeps.filter { $0.optimizer == name }
                .map { $0.points.filter { $0.status != .skipped }.map { Double($0.targetsReached) } }
                .filter { !$0.isEmpty }
            guard !scores.isEmpty else { return nil }
            let points = budgets.map { k -> (mean: Double, sd: Double) in
                let each = scores.compactMap { expectedBest($0, k: k) }
                return (each.map(\.mean).reduce(0, +) / Double(each.count), each.map(\.sd).reduce(0, +) / Double(each.count))
            }
            return (name, scores.count, points)
        }
    }

    /// `tuning-cost.csv`, `tables/tuning-cost.tex`, its Markdown (for `tables/tuning.md`) and `plots/tuning-cost.svg|tex`.
    public static func derived(_ sweeps: [TuningSweep], hash: String) -> (files: [(String, String)], markdown: String) {
        let g = sweeps.map(\.points.count).max() ?? 0
        guard g > 0 else { return ([], "") }
        let budgets = self.budgets(gridSize: g)
        let curves = self.curves(sweeps, budgets: budgets)
        var rows: [[String]] = []
        for s in sweeps {
            let scores = s.points.filter { $0.status != .skipped }.map { Double($0.targetsReached) }
            for k in 1...g {
                guard let e = expectedBest(scores, k: k) else { continue }
                rows.append([CSV.field(s.problem), CSV.field(s.optimizer), String(k), NumberFormat.exact(e.mean), NumberFormat.exact(e.sd)])
            }
        }
        let csv = CSV.table(header: ["problem", "optimizer", "k", "expected_targets_reached", "sd"], rows: rows)
        var table = Table(
            title: "Expected tuning cost: targets reached by the best of k random learning rates",
            caption: "Mean over the \(curves.first?.problems ?? 0) problems of each optimizer's `--tune` sweep of the expected number "
                + "of the 8 targets reached by the best of k learning rates drawn uniformly, with replacement, from the "
                + "\(g)-point grid (Dodge et al. 2019); in parentheses, the mean standard deviation of that best. "
                + "A method insensitive to its learning rate is near its final value already at k = 1.",
            label: "descent:tuning-cost",
            columns: [Table.Column("optimizer", right: false)] + budgets.map { Table.Column("k = \($0)") },
            rows: curves.map { c in
                [Table.Cell(c.optimizer)] + c.points.map {
                    Table.Cell(NumberFormat.value($0.mean) + " (" + NumberFormat.value($0.sd) + ")", numeric: true)
                }
            })
        table.hash = hash
        let figure = Figure(
            title: "Expected tuning cost", xLabel: "learning rates tried (k)", yLabel: "expected targets reached by the best",
            logX: false, logY: false, yRange: (0, Double(Targets.all.count)),
            series: curves.map { c in
                Figure.Series(name: c.optimizer, points: zip(budgets, c.points).map { (Double($0), $1.mean) })
            },
            caption: "Mean over problems of the expected targets reached by the best of k random grid learning rates (the "
                + "standard deviations are in tables/tuning-cost.tex). Descent run \(hash).")
        return ([("tuning-cost.csv", csv), ("tables/tuning-cost.tex", table.latex()),
                 ("plots/tuning-cost.svg", SVG.render(figure)), ("plots/tuning-cost.tex", PGFPlots.render(figure))],
                table.markdown(headingLevel: 2))
    }
}
