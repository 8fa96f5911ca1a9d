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

        /// A series.
        public init(name: String, points: [(x: Double, y: Double)], band: [(x: Double, lower: Double, upper: Double)] = [],
                    isReference: Bool = false, isStep: Bool = false) {
            self.name = name
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
    /// A sentence on what is drawn (an XML/TeX comment in the files, and the alt text of the SVG).
    public var caption: String

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

    /// The palette (Tableau 10), as 0–255 RGB; series past ten reuse it dashed, past twenty dotted.
    public static let palette: [(Int, Int, Int)] = [
        (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
        (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
    ]

    /// The colour and dash style (0 solid, 1 dashed, 2 dotted) of the i-th non-reference series.
    public static func style(_ i: Int) -> (rgb: (Int, Int, Int), dash: Int) {
        (palette[i % palette.count], Swift.min(i / palette.count, 2))
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
        s.band.compactMap { b in
            guard let lo = drawable(b.lower), let hi = drawable(b.upper) else { return nil }
            return (b.x, lo, hi)
        }
    }

    /// The style of each series, in order: `nil` for a reference line (dashed black), else the
    /// index into ``style(_:)`` (reference lines do not use up a palette colour).
    func styleIndices() -> [Int?] {
        var next = 0
        return series.map { s in
            guard !s.isReference else { return nil }
            defer { next += 1 }
            return next
        }
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

    /// The data ranges of x and y over every drawn point and band.
    func ranges() -> (x: (Double, Double), y: (Double, Double)) {
        var xs: [Double] = []
        var ys: [Double] = []
        for s in series {
            for p in drawnPoints(s) { xs.append(p.x); ys.append(p.y) }
            for b in drawnBand(s) { xs.append(b.x); ys += [b.lower, b.upper] }
        }
        var x = (xs.min() ?? 0, xs.max() ?? 1)
        var y = yRange ?? (ys.min() ?? (logY ? 1e-16 : 0), ys.max() ?? 1)
        if x.0 == x.1 { x = logX ? (x.0 / 2, x.1 * 2) : (x.0 - 1, x.1 + 1) }
        if y.0 == y.1 { y = logY ? (y.0 / 10, y.1 * 10) : (y.0 - 1, y.1 + 1) }
        return (x, y)
    }
}
