import _DescentMath

/// Standalone SVG 1.1 for a ``Figure``: axes with ticks, one `<polyline>` per series (class
/// `series`, `data-name` = its legend entry), bands as `<polygon class="band">`, a legend on the right.
public enum SVG {
    static let width = 760.0, height = 440.0
    static let left = 72.0, right = 230.0, top = 36.0, bottom = 52.0

    /// The SVG document.
    public static func render(_ figure: Figure) -> String {
        let (xr, yr) = figure.ranges()
        let xAxis = Axis(range: xr, log: figure.logX, from: left, to: width - right)
        let yAxis = Axis(range: yr, log: figure.logY, from: height - bottom, to: top)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n"
        out += "<title>\(escape(figure.title))</title>\n<desc>\(escape(figure.caption))</desc>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>\n"
        out += "<text x=\"\(f(left))\" y=\"22\" font-size=\"13\" font-weight=\"bold\">\(escape(figure.title))</text>\n"
        // Grid and ticks.
        out += "<g class=\"axes\" stroke=\"#ccc\" stroke-width=\"0.5\">\n"
        for t in xAxis.ticks() {
            out += "<line x1=\"\(f(xAxis.map(t)))\" y1=\"\(f(top))\" x2=\"\(f(xAxis.map(t)))\" y2=\"\(f(height - bottom))\"/>\n"
        }
        for t in yAxis.ticks() {
            out += "<line x1=\"\(f(left))\" y1=\"\(f(yAxis.map(t)))\" x2=\"\(f(width - right))\" y2=\"\(f(yAxis.map(t)))\"/>\n"
        }
        out += "</g>\n<g class=\"labels\" fill=\"#333\">\n"
        for t in xAxis.ticks() {
            out += "<text x=\"\(f(xAxis.map(t)))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(xAxis.label(t))</text>\n"
        }
        for t in yAxis.ticks() {
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(yAxis.map(t) + 4))\" text-anchor=\"end\">\(yAxis.label(t))</text>\n"
        }
        out += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(escape(figure.xLabel))</text>\n"
        out += "<text transform=\"translate(16 \(f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(figure.yLabel))</text>\n"
        out += "</g>\n"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - right - left))\" height=\"\(f(height - bottom - top))\" "
            + "fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n"
        // Clip the data to the plotting area.
        out += "<clipPath id=\"plot\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - right - left))\" height=\"\(f(height - bottom - top))\"/></clipPath>\n"
        out += "<g clip-path=\"url(#plot)\" fill=\"none\" stroke-width=\"1.5\">\n"
        var legend: [(String, String, String)] = []
        for (s, index) in zip(figure.series, figure.styleIndices()) {
            let (stroke, dash): (String, String)
            if let index {
                let style = Figure.style(index)
                stroke = "rgb(\(style.rgb.0),\(style.rgb.1),\(style.rgb.2))"
                dash = ["", "6 3", "1.5 2.5"][style.dash]
            } else {
                (stroke, dash) = ("#000", "6 3")
            }
            let band = figure.drawnBand(s)
            if band.count >= 2 {
                let upper = band.map { "\(f(xAxis.map($0.x))),\(f(yAxis.map($0.upper)))" }
                let lower = band.reversed().map { "\(f(xAxis.map($0.x))),\(f(yAxis.map($0.lower)))" }
                out += "<polygon class=\"band\" data-name=\"\(escape(s.name))\" points=\"\((upper + lower).joined(separator: " "))\" "
                    + "fill=\"\(stroke)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
            }
            let points = figure.drawnPoints(s).map { "\(f(xAxis.map($0.x))),\(f(yAxis.map($0.y)))" }
            out += "<polyline class=\"series\" data-name=\"\(escape(s.name))\" stroke=\"\(stroke)\""
                + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + " points=\"\(points.joined(separator: " "))\"/>\n"
            legend.append((s.name, stroke, dash))
        }
        out += "</g>\n<g class=\"legend\" font-size=\"10\">\n"
        for (i, entry) in legend.enumerated() {
            let y = top + 8 + Double(i) * 14
            guard y < height - 8 else {
                out += "<text x=\"\(f(width - right + 12))\" y=\"\(f(y))\">… \(legend.count - i) more</text>\n"
                break
            }
            out += "<line x1=\"\(f(width - right + 12))\" y1=\"\(f(y - 4))\" x2=\"\(f(width - right + 34))\" y2=\"\(f(y - 4))\" "
                + "stroke=\"\(entry.1)\" stroke-width=\"2\"" + (entry.2.isEmpty ? "" : " stroke-dasharray=\"\(entry.2)\"") + "/>\n"
            out += "<text x=\"\(f(width - right + 40))\" y=\"\(f(y))\">\(escape(clip(entry.0, 30)))</text>\n"
        }
        out += "</g>\n</svg>\n"
        return out
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

    init(range: (Double, Double), log: Bool, from: Double, to: Double) {
        self.log = log
        self.from = from
        self.to = to
        if log {
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

    /// Tick values: decades on a log axis (every k-th when there are many), 1-2-5 steps otherwise.
    func ticks() -> [Double] {
        if log {
            let decades = Int(hi - lo)
            let every = Swift.max(1, (decades + 7) / 8)
            return stride(from: Int(lo), through: Int(hi), by: every).map { _pow10($0) }
        }
        let step = Axis.niceStep((hi - lo) / 6)
        var out: [Double] = []
        var v = lo
        while v <= hi + step * 1e-9 { out.append(v); v += step }
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
