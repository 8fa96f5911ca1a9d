import DescentCore
import _DescentMath

/// The convergence plots: one line per optimizer (the median over seeds, with the interquartile
/// range as a band), and the gradient-descent bound on quadratics with known κ.
public enum ResultPlots {
    /// The x-axes plots are drawn against.
    public enum XAxis: String, Sendable, CaseIterable {
        /// Gradient evaluations (epochs for mini-batch runs).
        case work
        /// Optimizer steps.
        case iterations
        /// Wall-clock seconds (written under `timing/`).
        case time
    }

    /// The convergence figure of one problem against `axis`.
    public static func convergence(_ p: ProblemGroup, axis: XAxis, conditionNumber: Double?, hash: String) -> Figure {
        let measure: WorkMeasure = switch axis {
        case .work: p.isStochastic ? .epochs : .gradientEvaluations
        case .iterations: .iterations
        case .time: .seconds
        }
        let fStarKnown = p.optimum != nil
        var series: [Figure.Series] = []
        var maxX = 0.0
        for g in ResultTables.ordered(p.groups, measure: p.defaultMeasure) where !g.isSkipped {
            let traces = g.ran.map(\.result.trace).filter { !$0.isEmpty }
            guard !traces.isEmpty else { continue }
            var points: [(x: Double, y: Double)] = []
            var band: [(x: Double, lower: Double, upper: Double)] = []
            if traces.count == 1 {
                points = traces[0].map { (measure.value($0), $0.error) }
            } else {
                // Rows at the same iteration in every seed's trace (seeds log on the same schedule).
                var byIteration: [[TraceRow]] = []
                var index = traces.map { _ in 0 }
                for row in traces[0] {
                    var rows = [row]
                    for s in 1..<traces.count {
                        while index[s] < traces[s].count && traces[s][index[s]].iteration < row.iteration { index[s] += 1 }
                        if index[s] < traces[s].count && traces[s][index[s]].iteration == row.iteration { rows.append(traces[s][index[s]]) }
                    }
                    if rows.count == traces.count { byIteration.append(rows) }
                }
                for rows in byIteration {
                    let x = Spread(rows.map(measure.value)).median
                    let s = Spread(rows.map { $0.error.isNaN ? .infinity : $0.error })
                    points.append((x, s.median))
                    band.append((x, s.lower, s.upper))
                }
            }
            points = Figure.thin(points)
            band = Figure.thin(band)
            maxX = Swift.max(maxX, points.filter { $0.y.isFinite }.map(\.x).max() ?? 0)
            series.append(Figure.Series(name: ResultTables.rowLabel(g), points: points, band: band))
        }
        var caption = (fStarKnown ? "f − f*" : "‖∇f‖") + " against \(measure.words) on \(p.problem) (n = \(p.dimension))"
        caption += p.seedCount > 1 ? "; lines: median over \(p.seedCount) seeds, bands: interquartile range" : ""
        caption += "; values below 1e-16 drawn at 1e-16. Descent run \(hash)."
        // Gradient descent with step 1/L on a quadratic: f_k − f* ≤ (1 − 1/κ)^{2k} (f₀ − f*).
        if axis != .time, let kappa = conditionNumber, kappa >= 1, let f0 = p.groups.lazy.flatMap(\.ran).first?.result.initialValue,
           let fStar = p.optimum?.value, f0 > fStar, maxX > 0 {
            let offset = measure == .gradientEvaluations ? 1.0 : 0.0
            let rate = 1 - 1 / kappa
            let points = (0...60).map { i -> (x: Double, y: Double) in
                let x = offset + (maxX - offset) * Double(i) / 60
                return (x, (f0 - fStar) * _pow(rate, 2 * (x - offset)))
            }
            series.append(Figure.Series(name: "GD bound, step 1/L (κ = \(NumberFormat.scientific(kappa)))", points: points,
                                        isReference: true))
            caption += " Dashed: the bound (1 − 1/κ)^{2k} (f₀ − f*) for gradient descent with step 1/L."
        }
        return Figure(title: "\(p.problem) (n = \(p.dimension))", xLabel: measure.words,
                      yLabel: fStarKnown ? "f − f*" : "‖∇f‖", series: series, caption: caption)
    }
}
