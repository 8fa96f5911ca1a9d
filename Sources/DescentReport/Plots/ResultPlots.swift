import DescentCore
import _DescentMath

/// The convergence plots: one line per optimizer (the median over its runs, with the interquartile
/// range as a band), over the whole plotted budget, and the gradient-descent bound on quadratics with known κ.
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

    /// One run as a curve: its trace as (x, error) in order, and how it ended.
    public struct Run: Sendable {
        /// (x, f − f* or ‖∇f‖) at each logged row.
        public var points: [(x: Double, y: Double)]
        /// Whether the run diverged (from its last row on it counts as +∞).
        public var diverged: Bool

        /// A run.
        public init(points: [(x: Double, y: Double)], diverged: Bool) {
            self.points = points
            self.diverged = diverged
        }

        /// The run's value at x: its last logged value at or before x (a stopped run keeps its final
        /// value), +∞ from its last row on when it diverged and wherever the value is NaN.
        func value(at x: Double) -> Double {
            var lo = 0, hi = points.count
            while lo < hi { let mid = (lo + hi) / 2; if points[mid].x <= x { lo = mid + 1 } else { hi = mid } }
            let i = Swift.max(0, lo - 1)
            if diverged && lo == points.count { return .infinity }
            let y = points[i].y
            return y.isNaN ? .infinity : y
        }
    }

    /// The median line of `runs` up to `end`: at each x of the runs' rows (thinned to about `limit`)
    /// and at `end`, the median over every run (+∞ counted, so it is finite while more than half are),
    /// the interquartile band, where runs stopped or diverged, and from where every run had stopped.
    public static func median(_ runs: [Run], end: Double, name: String, limit: Int = 160) -> Figure.Series {
        let runs = runs.filter { !$0.points.isEmpty }
        guard !runs.isEmpty else { return Figure.Series(name: name, points: []) }
        let lastX = runs.map { $0.points.last!.x }
        let xs = Array(Set(runs.flatMap { $0.points.map(\.x) } + [end])).filter(\.isFinite).sorted()
        var grid = Figure.thin(xs, limit: limit)
        // Keep the x where a run stopped, so the carried-forward part starts exactly there.
        grid = Array(Set(grid + lastX.filter { $0 <= end })).sorted()
        var points: [(x: Double, y: Double)] = []
        var band: [(x: Double, lower: Double, upper: Double)] = []
        for x in grid {
            let sorted = runs.map { $0.value(at: x) }.sorted()
            let m = Spread.quantile(sorted, 0.5)
            points.append((x, m))
            band.append((x, Spread.quantile(sorted, 0.25), Spread.quantile(sorted, 0.75)))
        }
        func onLine(_ x: Double) -> Double {
            points.last { $0.x <= x && $0.y.isFinite }?.y ?? .nan
        }
        var series = Figure.Series(name: name, points: points, band: runs.count > 1 ? band : [])
        let allStopped = lastX.max()!
        series.fadeFrom = allStopped < end ? allStopped : nil
        // One tick per distinct x where a run stopped before the end; one cross where runs diverged.
        let stopped = Set(zip(runs, lastX).filter { !$0.0.diverged && $0.1 < end }.map(\.1)).sorted()
        let diverged = Set(zip(runs, lastX).filter { $0.0.diverged }.map(\.1)).sorted()
        series.stops = stopped.map { ($0, onLine($0)) }
        series.divergences = diverged.map { ($0, onLine($0)) }
        let divergedRuns = runs.filter(\.diverged).count
        if divergedRuns > 0 { series.note = runs.count == 1 ? " (diverged)" : " (\(divergedRuns)/\(runs.count) diverged)" }
        return series
    }

    /// The convergence figure of one problem against `axis`.
    public static func convergence(_ p: ProblemGroup, axis: XAxis, conditionNumber: Double?, hash: String) -> Figure {
        let measure: WorkMeasure = switch axis {
        case .work: p.isStochastic ? .epochs : .gradientEvaluations
        case .iterations: .iterations
        case .time: .seconds
        }
        let fStarKnown = p.optimum != nil
        var curves: [(String, [Run])] = []
        for g in ResultTables.ordered(p.groups, measure: p.defaultMeasure) where !g.isSkipped {
            let runs = g.ran.filter { !$0.result.trace.isEmpty }.map { r in
                Run(points: r.result.trace.map { (measure.value($0), $0.error) }, diverged: r.result.status == .diverged)
            }
            if !runs.isEmpty { curves.append((ResultTables.rowLabel(g), runs)) }
        }
        // The plotted budget: the furthest any run went; every line is drawn to it.
        let end = curves.flatMap { $0.1.compactMap { $0.points.last?.x } }.filter(\.isFinite).max() ?? 0
        var series = curves.map { median($0.1, end: end, name: $0.0) }
        let runs = p.seedCount
        var caption = (fStarKnown ? "f − f*" : "‖∇f‖") + " against \(measure.words) on \(p.problem) (n = \(p.dimension))"
        caption += runs > 1 ? "; lines: median over \(runs) \(p.runWord)" : ""
        caption += "; a run that stopped keeps its final value to the end of the plot (|: where a run stopped; "
            + "the line is faded once every run had stopped), a diverged run counts as +∞ from where it diverged (×)"
            + (runs > 1 ? ", so a line is drawn while more than half its runs are finite" : "")
        // Values ≤ 0 (f* reached exactly) and below 1e-16 are drawn at the bottom: a decade under the
        // smallest positive value, at most 1e-16, so an exact 0 does not stretch the axis to 1e-16.
        let ys = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
        let exponent = Swift.max(-16, (ys.filter { $0 > 0 }.min().map { Int(_log10($0).rounded(.down)) } ?? -15) - 1)
        let floor = _pow10(exponent)
        if ys.contains(where: { $0 < floor }) { caption += "; values below 1e\(exponent) (0 included) drawn at 1e\(exponent)" }
        caption += ". Descent run \(hash)."
        // Gradient descent with step 1/L on a quadratic: f_k − f* ≤ (1 − 1/κ)^{2k} (f₀ − f*).
        if axis != .time, let kappa = conditionNumber, kappa >= 1, let f0 = p.groups.lazy.flatMap(\.ran).first?.result.initialValue,
           let fStar = p.optimum?.value, f0 > fStar, end > 0 {
            let offset = measure == .gradientEvaluations ? 1.0 : 0.0
            let rate = 1 - 1 / kappa
            let points = (0...60).map { i -> (x: Double, y: Double) in
                let x = offset + (end - offset) * Double(i) / 60
                return (x, (f0 - fStar) * _pow(rate, 2 * (x - offset)))
            }
            series.append(Figure.Series(name: "GD bound, step 1/L", points: points, isReference: true))
            caption += " Dashed black: the bound (1 − 1/κ)^{2k} (f₀ − f*) for gradient descent with step 1/L (κ = "
                + "\(NumberFormat.scientific(kappa))), cut off where it leaves the plotted range."
        }
        var figure = Figure(title: "\(p.problem) (n = \(p.dimension))", xLabel: measure.words,
                            yLabel: fStarKnown ? "f − f*" : "‖∇f‖", yFloor: floor, series: series, caption: caption)
        figure.bandCaption = runs > 1 ? " Bands: interquartile range over the \(p.runWord)." : ""
        figure.yLabelTeX = fStarKnown ? "$f - f^*$" : "$\\|\\nabla f\\|$"
        return figure
    }
}
