import _DescentMath
/// A line plot's data, rendered by ``SVG`` for looking at and by ``PGFPlots`` for papers, so both
/// show the same points.
public struct Figure: Sendable {
    /// One line, with an optional band (the seed spread) around it.
    public struct Series: Sendable {
        /// The legend entry.
        public var name: String
        /// The points, in drawing order.
        public var points: [(x: Double, y: Double)]
        /// The band around the line: (x, lower, upper), in drawing order; empty for none.
        public var band: [(x: Double, lower: Double, upper: Double)]
        /// Dashed black reference line (a theoretical rate) instead of a palette colour.
        public var isReference: Bool
        /// Drawn as a right-continuous step function (profiles).
        public var isStep: Bool
        /// From this x on the line is drawn faded: every run behind it had stopped and only carries its
        /// final value forward; `nil` for none.
        public var fadeFrom: Double?
        /// Points on the line where a run stopped (drawn as ticks |).
        public var stops: [(x: Double, y: Double)] = []
        /// Points on the line where a run diverged (drawn as ×).
        public var divergences: [(x: Double, y: Double)] = []
        /// Words after the name in the legend, e.g. ` (2/7 diverged)`.
        public var note = ""
        /// The legend entry: the name and its note.
        public var legend: String { name + note }
        /// The name its ``LineStyle`` is keyed by: the optimizer's label, when the legend entry says more.
        public var styleKey: String

        /// A series; `styleKey` defaults to `name`.
        public init(name: String, points: [(x: Double, y: Double)], band: [(x: Double, lower: Double, upper: Double)] = [],
                    isReference: Bool = false, isStep: Bool = false, styleKey: String? = nil) {
            self.name = name
            self.styleKey = styleKey ?? name
            self.points = points
            self.band = band
            self.isReference = isReference
            self.isStep = isStep
        }
    }

    /// Title above the plot.
    public var title: String
    /// x-axis label.
    public var xLabel: String
    /// y-axis label.
    public var yLabel: String
    /// Logarithmic x axis (profiles).
    public var logX: Bool
    /// Logarithmic y axis (suboptimality).
    public var logY: Bool
    /// Values below this are drawn at it on a log axis (f − f* can reach 0 or go slightly negative).
    public var yFloor: Double
    /// Fixed y range, or `nil` to fit the data.
    public var yRange: (Double, Double)?
    /// The lines, in legend order.
    public var series: [Series]
    /// A sentence on what is drawn (an XML/TeX comment in the files, and the alt text of the SVG);
    /// ``fullCaption`` adds ``bandCaption`` when bands are drawn.
    public var caption: String
    /// The words on the bands, added to the caption when they are drawn.
    public var bandCaption = ""
    /// Which bands are drawn (``BandMode``).
    public var bandMode = BandMode.auto
    /// The x-axis label in LaTeX (math mode where it is maths); `nil`: ``xLabel``, escaped.
    public var xLabelTeX: String?
    /// The y-axis label in LaTeX, e.g. `$f - f^*$`; `nil`: ``yLabel``, escaped.
    public var yLabelTeX: String?

    /// A figure.
    public init(title: String, xLabel: String, yLabel: String, logX: Bool = false, logY: Bool = true, yFloor: Double = 1e-16,
                yRange: (Double, Double)? = nil, series: [Series], caption: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.logY = logY
        self.yFloor = yFloor
        self.yRange = yRange
        self.series = series
        self.caption = caption
    }

    /// y clamped to the floor on a log axis; `nil` for values that cannot be drawn (NaN, ±∞).
    func drawable(_ y: Double) -> Double? {
        guard y.isFinite || (y.isInfinite && y < 0 && logY) else { return nil }
        return logY ? Swift.max(y, yFloor) : y
    }

    /// Points of a series as drawn: clamped, non-finite dropped, expanded to steps when asked.
    func drawnPoints(_ s: Series) -> [(x: Double, y: Double)] {
        var out: [(x: Double, y: Double)] = []
        for p in s.points {
            guard p.x.isFinite, !(logX && p.x <= 0), let y = drawable(p.y) else { continue }
            if s.isStep, let last = out.last, last.y != y { out.append((p.x, last.y)) }
            out.append((p.x, y))
        }
        return out
    }

    /// The band of a series as drawn: points whose bounds cannot be drawn are dropped, the rest clamped.
    func drawnBand(_ s: Series) -> [(x: Double, lower: Double, upper: Double)] {
        guard drawsBands else { return [] }
        return s.band.compactMap { b in
            guard let lo = drawable(b.lower), let hi = drawable(b.upper) else { return nil }
            return (b.x, lo, hi)
        }
    }

    /// The style of each series, in order: `nil` for a reference line (dashed black), else its
    /// optimizer's ``LineStyle`` (``LineStyle/assign(_:)``: by name, none shared in the figure).
    public func styles() -> [LineStyle?] {
        let assigned = LineStyle.assign(series.filter { !$0.isReference }.map(\.styleKey))
        return series.map { $0.isReference ? nil : assigned[$0.styleKey] }
    }

    /// The most series with a band ``BandMode/auto`` draws bands for; with more they would overlap beyond reading.
    public static let autoBandLimit = 4

    /// Whether the bands are drawn, by ``bandMode``.
    public var drawsBands: Bool {
        switch bandMode {
        case .none: return false
        case .all: return true
        case .auto: return series.filter { !$0.band.isEmpty }.count <= Self.autoBandLimit
        }
    }

    /// ``caption``, with ``bandCaption`` when bands are drawn.
    public var fullCaption: String {
        drawsBands && series.contains(where: { !$0.band.isEmpty }) ? caption + bandCaption : caption
    }

    /// The indices of the drawn points that carry the series' markers: about `count` of them, spread
    /// evenly over the x range, shifted by `phase` (0..<1) so that lines' markers do not sit on each other.
    func markerIndices(_ points: [(x: Double, y: Double)], phase: Double, count: Int = 5) -> [Int] {
        guard let first = points.first, let last = points.last else { return [] }
        let (a, b) = logX ? (_log10(first.x), _log10(last.x)) : (first.x, last.x)
        guard b > a else { return [0] }
        var out: [Int] = []
        var j = 0
        for k in 0..<count {
            let target = a + (b - a) * (Double(k) + phase) / Double(count)
            while j + 1 < points.count && (logX ? _log10(points[j + 1].x) : points[j + 1].x) <= target { j += 1 }
            if out.last != j { out.append(j) }
        }
        return out
    }

    /// Keeps at most `limit` points, evenly spaced by index, always the first and the last.
    public static func thin<T>(_ points: [T], limit: Int = 120) -> [T] {
        guard points.count > limit, limit >= 2 else { return points }
        var out: [T] = []
        let stride = Double(points.count - 1) / Double(limit - 1)
        var last = -1
        for i in 0..<limit {
            let j = Swift.min(points.count - 1, Int((Double(i) * stride).rounded()))
            if j != last { out.append(points[j]); last = j }
        }
        return out
    }

    /// Where a series' markers go: indices into its solid part (`solid` points, about five markers
    /// over its x range) and into its faded tail (`tail` points, spaced as five over the whole plot).
    func markers(solid: [(x: Double, y: Double)], tail: [(x: Double, y: Double)], phase: Double, xRange: (Double, Double))
        -> (solid: [Int], tail: [Int]) {
        func t(_ x: Double) -> Double { logX ? _log10(x) : x }
        guard let a = tail.first, let b = tail.last, t(xRange.1) > t(xRange.0) else {
            return (markerIndices(solid, phase: phase), [])
        }
        let share = (t(b.x) - t(a.x)) / (t(xRange.1) - t(xRange.0))
        let count = Int((5 * share).rounded())
        return (markerIndices(solid, phase: phase), count > 0 ? markerIndices(tail, phase: phase, count: count) : [])
    }

    /// The data ranges of x and y over every drawn point and band.
    func ranges() -> (x: (Double, Double), y: (Double, Double)) {
        var xs: [Double] = []
        var ys: [Double] = []
        // A reference line (a bound) never sets the range: it is clipped to the data's.
        for s in series where !s.isReference {
            for p in drawnPoints(s) { xs.append(p.x); ys.append(p.y) }
            for b in drawnBand(s) { xs.append(b.x); ys += [b.lower, b.upper] }
        }
        var x = (xs.min() ?? 0, xs.max() ?? 1)
        var y = yRange ?? (ys.min() ?? (logY ? 1e-16 : 0), ys.max() ?? 1)
        if x.0 == x.1 { x = logX ? (x.0 / 2, x.1 * 2) : (x.0 - 1, x.1 + 1) }
        if y.0 == y.1 { y = logY ? (y.0 / 10, y.1 * 10) : (y.0 - 1, y.1 + 1) }
        return (x, y)
    }

    /// A reference line's drawn points cut to the plotted y range: it ends where it leaves the range
    /// (interpolated, in log space on a log axis), so it neither sets the axis nor runs outside it.
    func clippedReference(_ s: Series, yRange: (Double, Double)) -> [(x: Double, y: Double)] {
        let points = s.points.filter { $0.x.isFinite && $0.y.isFinite && !(logY && $0.y <= 0) && !(logX && $0.x <= 0) }
        func t(_ y: Double) -> Double { logY ? _log10(y) : y }
        let (lo, hi) = (t(yRange.0), t(yRange.1))
        var out: [(x: Double, y: Double)] = []
        for (i, p) in points.enumerated() {
            let inside = t(p.y) >= lo && t(p.y) <= hi
            if i > 0 {
                let q = points[i - 1]
                let qInside = t(q.y) >= lo && t(q.y) <= hi
                if inside != qInside {
                    let edge = (inside ? t(q.y) : t(p.y)) < lo ? lo : hi
                    let w = (edge - t(q.y)) / (t(p.y) - t(q.y))
                    let x = q.x + w * (p.x - q.x)
                    out.append((x, logY ? _pow(10, edge) : edge))
                }
            }
            if inside { out.append(p) }
        }
        return out
    }
}

/// Which uncertainty bands a figure draws: `auto` (the default) draws them when at most
/// ``Figure/autoBandLimit`` lines have one (more overlap beyond reading, e.g. profiles of many
/// optimizers), `none` never, `all` always. The numbers behind them (profiles.csv) are the same either way.
public enum BandMode: String, Sendable, CaseIterable {
    /// Bands where at most ``Figure/autoBandLimit`` lines have one (the default).
    case auto
    /// No bands.
    case none
    /// Every band.
    case all
}
