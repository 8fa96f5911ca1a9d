import _DescentMath

/// Standalone SVG 1.1 for a ``Figure``: axes with a tick on every decade of a log axis, one
/// `<polyline>` per series (class `series`, `data-name` = its legend entry) in its optimizer's
/// ``LineStyle`` with markers, the carried-forward tail faded (class `carried`), ticks where runs
/// stopped and crosses where they diverged (class `events`), bands as `<polygon class="band">`, and
/// a legend on the right (few lines) or below the plot in columns (many), at 12 px.
public enum SVG {
    static let width = 760.0, plotHeight = 352.0
    static let left = 72.0, top = 36.0, bottom = 52.0
    /// Right margin with the legend beside the plot, and without.
    static let legendRight = 230.0, plainRight = 24.0
    /// Legend text size (px) and line height.
    static let legendFont = 12.0, legendLine = 17.0
    /// At most this many entries, each at most ``sideLabel`` characters, go beside the plot; more go below.
    static let sideEntries = 10, sideLabel = 26

    /// The legend's place and size: beside the plot, or below it in `columns` columns.
    struct LegendLayout {
        var below: Bool
        var columns: Int
        var columnWidth: Double
        var rows: Int
    }

    /// An estimate of the width of `text` at `size` px in Helvetica (0.56 em a character).
    static func textWidth(_ text: String, size: Double) -> Double { Double(text.count) * size * 0.56 }

    static func legendLayout(_ names: [String]) -> LegendLayout {
        let longest = names.map(\.count).max() ?? 0
        if names.count <= sideEntries && longest <= sideLabel {
            return LegendLayout(below: false, columns: 1, columnWidth: legendRight - 12, rows: names.count)
        }
        let available = width - left - plainRight
        let widest = names.map { textWidth($0, size: legendFont) }.max() ?? 0
        let columnWidth = Swift.min(available, widest + 44)
        let columns = Swift.max(1, Int(available / columnWidth))
        return LegendLayout(below: true, columns: columns, columnWidth: available / Double(columns),
                            rows: (names.count + columns - 1) / columns)
    }

    /// The SVG document.
    public static func render(_ figure: Figure) -> String {
        let (xr, yr) = figure.ranges()
        let styles = figure.styles()
        let layout = legendLayout(figure.series.map(\.legend))
        let right = layout.below ? plainRight : legendRight
        let plotBottom = top + plotHeight
        let height = plotBottom + bottom + (layout.below ? Double(layout.rows) * legendLine + 8 : 0)
        let xAxis = Axis(range: xr, log: figure.logX, from: left, to: width - right, exact: true)
        let yAxis = Axis(range: yr, log: figure.logY, from: plotBottom, to: top)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        out += "<title>\(escape(figure.title))</title>\n<desc>\(escape(figure.fullCaption))</desc>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>\n"
        out += "<text x=\"\(f(left))\" y=\"22\" font-size=\"14\" font-weight=\"bold\">\(escape(figure.title))</text>\n"
        // Grid and ticks.
        out += "<g class=\"axes\" stroke=\"#ccc\" stroke-width=\"0.5\">\n"
        for t in xAxis.ticks() {
            out += "<line x1=\"\(f(xAxis.map(t)))\" y1=\"\(f(top))\" x2=\"\(f(xAxis.map(t)))\" y2=\"\(f(plotBottom))\"/>\n"
        }
        for t in yAxis.ticks() {
            out += "<line x1=\"\(f(left))\" y1=\"\(f(yAxis.map(t)))\" x2=\"\(f(width - right))\" y2=\"\(f(yAxis.map(t)))\"/>\n"
        }
        out += "</g>\n<g class=\"labels\" fill=\"#333\" font-size=\"11\">\n"
        for t in xAxis.ticks() {
            out += "<text x=\"\(f(xAxis.map(t)))\" y=\"\(f(plotBottom + 16))\" text-anchor=\"middle\">\(xAxis.label(t))</text>\n"
        }
        for t in yAxis.ticks() {
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(yAxis.map(t) + 4))\" text-anchor=\"end\">\(yAxis.label(t))</text>\n"
        }
        out += "</g>\n<g class=\"labels\" fill=\"#222\" font-size=\"13\">\n"
        out += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(plotBottom + 38))\" text-anchor=\"middle\">\(escape(figure.xLabel))</text>\n"
        out += "<text transform=\"translate(16 \(f((top + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(figure.yLabel))</text>\n"
        out += "</g>\n"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - right - left))\" height=\"\(f(plotHeight))\" "
            + "fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n"
        // Clip the data to the plotting area.
        out += "<clipPath id=\"plot\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - right - left))\" height=\"\(f(plotHeight))\"/></clipPath>\n"
        out += "<g clip-path=\"url(#plot)\" fill=\"none\" stroke-width=\"1.6\">\n"
        func point(_ p: (x: Double, y: Double)) -> String { "\(f(xAxis.map(p.x))),\(f(yAxis.map(p.y)))" }
        // Bands first, under every line.
        for (s, style) in zip(figure.series, styles) {
            let band = figure.drawnBand(s)
            guard band.count >= 2, let style else { continue }
            let upper = band.map { point(($0.x, $0.upper)) }
            let lower = band.reversed().map { point(($0.x, $0.lower)) }
            out += "<polygon class=\"band\" data-name=\"\(escape(s.name))\" points=\"\((upper + lower).joined(separator: " "))\" "
                + "fill=\"\(colour(style))\" fill-opacity=\"0.12\" stroke=\"none\"/>\n"
        }
        for (s, style) in zip(figure.series, styles) {
            let name = escape(s.name)
            guard let style else {
                let points = figure.clippedReference(s, yRange: (yAxis.value(plotBottom), yAxis.value(top))).map(point)
                out += "<polyline class=\"series\" data-name=\"\(name)\" stroke=\"#000\" stroke-dasharray=\"6 3\" "
                    + "points=\"\(points.joined(separator: " "))\"/>\n"
                continue
            }
            let stroke = colour(style)
            let dash = style.svgDash.isEmpty ? "" : " stroke-dasharray=\"\(style.svgDash)\""
            let points = figure.drawnPoints(s)
            let split = s.fadeFrom.map { x in points.firstIndex { $0.x >= x } ?? points.count } ?? points.count
            let solid = points[..<Swift.min(points.count, split + 1)]
            out += "<polyline class=\"series\" data-name=\"\(name)\" stroke=\"\(stroke)\"\(dash) points=\"\(solid.map(point).joined(separator: " "))\"/>\n"
            let tail = split < points.count - 1 ? Array(points[split...]) : []
            if !tail.isEmpty {
                out += "<polyline class=\"carried\" data-name=\"\(name)\" stroke=\"\(stroke)\" stroke-opacity=\"0.4\"\(dash) "
                    + "points=\"\(tail.map(point).joined(separator: " "))\"/>\n"
            }
            let marks = figure.markers(solid: Array(solid), tail: tail, phase: phase(style), xRange: xr)
            out += "<g class=\"marks\" data-name=\"\(name)\">" + marks.solid.map { i in
                marker(style, x: xAxis.map(solid[i].x), y: yAxis.map(solid[i].y))
            }.joined()
            if !marks.tail.isEmpty {
                out += "<g opacity=\"0.4\">" + marks.tail.map { marker(style, x: xAxis.map(tail[$0].x), y: yAxis.map(tail[$0].y)) }.joined() + "</g>"
            }
            out += "</g>\n"
            let stops = s.stops.compactMap { p in figure.drawable(p.y).map { (x: p.x, y: $0) } }
            let crosses = s.divergences.compactMap { p in figure.drawable(p.y).map { (x: p.x, y: $0) } }
            if !stops.isEmpty || !crosses.isEmpty {
                out += "<g class=\"events\" data-name=\"\(name)\" stroke=\"\(stroke)\" stroke-width=\"1.4\">"
                for p in stops {
                    let (x, y) = (xAxis.map(p.x), yAxis.map(p.y))
                    out += "<line x1=\"\(f(x))\" y1=\"\(f(y - 5))\" x2=\"\(f(x))\" y2=\"\(f(y + 5))\"/>"
                }
                for p in crosses {
                    let (x, y) = (xAxis.map(p.x), yAxis.map(p.y))
                    out += "<path d=\"M\(f(x - 4)),\(f(y - 4))L\(f(x + 4)),\(f(y + 4))M\(f(x - 4)),\(f(y + 4))L\(f(x + 4)),\(f(y - 4))\" stroke-width=\"2\"/>"
                }
                out += "</g>\n"
            }
        }
        out += "</g>\n<g class=\"legend\" font-size=\"\(f(legendFont))\">\n"
        for (i, (s, style)) in zip(figure.series, styles).enumerated() {
            let (x, y): (Double, Double)
            if layout.below {
                x = left + Double(i / layout.rows) * layout.columnWidth
                y = plotBottom + bottom + 4 + Double(i % layout.rows) * legendLine + legendLine / 2
            } else {
                x = width - right + 12
                y = top + 8 + Double(i) * legendLine
            }
            out += symbol(style, x: x, y: y)
            let room = Int((layout.columnWidth - 40) / (legendFont * 0.56))
            out += "<text x=\"\(f(x + 34))\" y=\"\(f(y + 4))\">\(escape(clip(s.legend, Swift.max(room, 12))))</text>\n"
        }
        out += "</g>\n</svg>\n"
        return out
    }

    /// A style's colour as `rgb(r,g,b)`.
    static func colour(_ style: LineStyle) -> String { "rgb(\(style.rgb.0),\(style.rgb.1),\(style.rgb.2))" }

    /// Where along the x range a style's markers start (0..<1), so lines' markers do not coincide.
    static func phase(_ style: LineStyle) -> Double { Double((style.colour * 5 + style.marker * 3 + style.dash) % 11) / 11 * 0.8 + 0.1 }

    /// One marker of `style` centred on (x, y).
    static func marker(_ style: LineStyle, x: Double, y: Double) -> String {
        let c = colour(style)
        let paint = style.filled ? "fill=\"\(c)\" stroke=\"\(c)\" stroke-width=\"1\"" : "fill=\"white\" stroke=\"\(c)\" stroke-width=\"1.4\""
        switch style.marker % 4 {
        case 0: return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3.6\" \(paint)/>"
        case 1: return "<rect x=\"\(f(x - 3.4))\" y=\"\(f(y - 3.4))\" width=\"6.8\" height=\"6.8\" \(paint)/>"
        case 2: return "<path d=\"M\(f(x)),\(f(y - 4.6))L\(f(x + 4.4)),\(f(y + 3.2))L\(f(x - 4.4)),\(f(y + 3.2))Z\" \(paint)/>"
        default: return "<path d=\"M\(f(x)),\(f(y - 4.8))L\(f(x + 4.2)),\(f(y))L\(f(x)),\(f(y + 4.8))L\(f(x - 4.2)),\(f(y))Z\" \(paint)/>"
        }
    }

    /// A legend symbol at (x, y): 28 px of the line with its marker in the middle; dashed black for a
    /// reference line (`style` nil). Also the swatches of the results page.
    public static func symbol(_ style: LineStyle?, x: Double, y: Double) -> String {
        guard let style else {
            return "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 28))\" y2=\"\(f(y))\" stroke=\"#000\" stroke-width=\"1.6\" stroke-dasharray=\"6 3\"/>"
        }
        let dash = style.svgDash.isEmpty ? "" : " stroke-dasharray=\"\(style.svgDash)\""
        return "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 28))\" y2=\"\(f(y))\" stroke=\"\(colour(style))\" stroke-width=\"1.8\"\(dash)/>"
            + marker(style, x: x + 14, y: y)
    }

    /// XML text escaping.
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func clip(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    /// A coordinate with one decimal: short files, sub-pixel accuracy.
    static func f(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}

/// A linear or logarithmic axis mapped onto pixels, with readable ticks.
struct Axis {
    var lo: Double, hi: Double, log: Bool, from: Double, to: Double

    /// `exact`: a linear axis spans exactly `range` (ticks at the round values inside) instead of
    /// being widened to round ends.
    init(range: (Double, Double), log: Bool, from: Double, to: Double, exact: Bool = false) {
        self.log = log
        self.from = from
        self.to = to
        if exact && !log && range.1 > range.0 {
            (lo, hi) = range
        } else if log {
            lo = _log10(Swift.max(range.0, 1e-300)).rounded(.down)
            hi = _log10(Swift.max(range.1, 1e-300)).rounded(.up)
            if hi <= lo { hi = lo + 1 }
        } else {
            let step = Axis.niceStep((range.1 - range.0) / 6)
            lo = (range.0 / step).rounded(.down) * step
            hi = (range.1 / step).rounded(.up) * step
            if hi <= lo { hi = lo + step }
        }
    }

    func map(_ v: Double) -> Double {
        let t = log ? (_log10(Swift.max(v, 1e-300)) - lo) / (hi - lo) : (v - lo) / (hi - lo)
        return from + t * (to - from)
    }

    /// The value at a pixel coordinate (``map(_:)`` inverted).
    func value(_ pixel: Double) -> Double {
        let t = lo + (pixel - from) / (to - from) * (hi - lo)
        return log ? _pow(10, t) : t
    }

    /// Tick values: every decade on a log axis, 1-2-5 steps otherwise.
    func ticks() -> [Double] {
        if log {
            return (Int(lo)...Int(hi)).map { _pow10($0) }
        }
        let step = Axis.niceStep((hi - lo) / 6)
        var out: [Double] = []
        var k = (lo / step - 1e-9).rounded(.up)
        while k * step <= hi + step * 1e-9 { out.append(k * step); k += 1 }
        return out
    }

    func label(_ v: Double) -> String {
        if log {
            let e = Int(_log10(v).rounded())
            return "1e\(e)"
        }
        var text = NumberFormat.fixed(v, digits: 6)
        if text.contains(".") {
            while text.last == "0" { text.removeLast() }
            if text.last == "." { text.removeLast() }
        }
        return text
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = _pow10(Int(_log10(raw).rounded(.down)))
        for m in [1.0, 2, 5, 10] where m * p >= raw { return m * p }
        return 10 * p
    }
}
