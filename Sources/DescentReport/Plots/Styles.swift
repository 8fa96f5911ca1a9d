import DescentCore

/// How an optimizer's line looks, the same in every SVG, pgfplots figure and on the results page:
/// a colour from Paul Tol's colour-blind-safe "muted" palette, a marker and a dash pattern, so
/// lines stay apart in grayscale too.
///
/// Styles are keyed by the optimizer's name, never by its row: the built-in optimizers of the
/// registry have fixed entries (``builtIn``); a variant of one (`adam(lr=0.01)`, `sgd (B=8)`,
/// `adam + clip(norm=1)`) keeps its base's colour with a marker and dash derived from a hash of the
/// whole label; any other name (a plugin's) gets a hash-derived style. Within one figure no two
/// names share a full style (``assign(_:)`` moves a colliding hashed style to the next free one).
public struct LineStyle: Sendable, Hashable {
    /// The palette entry (0..<``LineStyle/palette``.count).
    public var colour: Int
    /// The marker (0..<``LineStyle/markerCount``): filled circle, square, triangle, diamond, then open circle, square, triangle.
    public var marker: Int
    /// The dash pattern (0..<``LineStyle/dashCount``): solid, dashed, dotted, dash-dotted.
    public var dash: Int

    /// A style.
    public init(colour: Int, marker: Int, dash: Int) {
        self.colour = colour
        self.marker = marker
        self.dash = dash
    }

    /// Paul Tol's "muted" palette (colour-blind safe, for lines), as 0–255 RGB.
    public static let palette: [(Int, Int, Int)] = [
        (51, 34, 136), (204, 102, 119), (17, 119, 51), (136, 204, 238), (136, 34, 85),
        (221, 204, 119), (68, 170, 153), (153, 153, 51), (170, 68, 153),
    ]
    /// The number of markers.
    public static let markerCount = 7
    /// The number of dash patterns.
    public static let dashCount = 4
    /// Every full style: 9 × 7 × 4 = 252 (the counts are pairwise coprime, so ``init(index:)`` is one-to-one).
    public static let count = 252

    /// The i-th style of the sequence in which neighbours differ in colour, marker and dash alike.
    public init(index: Int) {
        let i = ((index % Self.count) + Self.count) % Self.count
        self.init(colour: i % Self.palette.count, marker: i % Self.markerCount, dash: i % Self.dashCount)
    }

    /// The colour as `rgb(r,g,b)`.
    public var rgb: (Int, Int, Int) { Self.palette[colour] }
    /// Whether the marker is filled with the line's colour (else white).
    public var filled: Bool { marker < 4 }

    /// The built-in optimizers of the registry (`suite list`), in registry order: the n-th name has
    /// style n, so optimizers listed together differ in colour, marker and dash.
    public static let builtIn: [String] = [
        "gd", "momentum", "nesterov", "sgd", "adagrad", "rmsprop", "adadelta", "adam", "amsgrad", "adamw", "nadam", "radam",
        "adamax", "asgd", "rprop", "adafactor", "lion", "adabelief", "yogi", "schedulefree-sgd", "schedulefree-adamw", "lbfgs",
        "lbfgs-wolfe", "prodigy", "dadapt-adam", "dadapt-sgd", "polyak", "sgd-armijo", "nag", "heavy-ball", "newton",
        "gsl-bfgs2", "gsl-bfgs", "gsl-cg-pr", "gsl-cg-fr", "gsl-sd", "gsl-nm",
    ]

    /// The optimizer name a label starts with: `adam` for `adam(lr=0.01)`, `sgd (B=8)` and `adam + clip(norm=1)`.
    public static func baseName(_ label: String) -> String {
        String(label.prefix { $0 != "(" && $0 != " " && $0 != "+" })
    }

    /// The style `label` gets when nothing in its figure collides with it, and the styles to try
    /// after it, in order, when something does.
    static func candidates(_ label: String) -> [LineStyle] {
        if let i = builtIn.firstIndex(of: label) { return [LineStyle(index: i)] }
        var hash = StableHash()
        hash.combine(label)
        let h = Int(truncatingIfNeeded: hash.value >> 1)
        if let b = builtIn.firstIndex(of: baseName(label)) {
            // A variant: its base's colour, another marker and dash (28 choices, the base's own last).
            let base = LineStyle(index: b)
            let combos = markerCount * dashCount
            let own = base.marker * dashCount + base.dash
            let sameColour = (0..<combos).map { k -> LineStyle in
                let c = (h + k) % combos
                let m = c == own ? (own + combos - 1) % combos : c
                return LineStyle(colour: base.colour, marker: m / dashCount, dash: m % dashCount)
            }
            return sameColour + (0..<count).map { LineStyle(index: h + $0) }
        }
        return (0..<count).map { LineStyle(index: h + $0) }
    }

    /// The style of each name of one figure: fixed for built-ins, hash-derived for others, no two alike
    /// (while there are at most ``count`` names). Independent of the order of `names`: collisions are
    /// settled with the names sorted, built-ins first.
    public static func assign(_ names: [String]) -> [String: LineStyle] {
        let unique = Array(Set(names))
        let ordered = unique.filter { builtIn.contains($0) }.sorted() + unique.filter { !builtIn.contains($0) }.sorted()
        var taken = Set<LineStyle>()
        var out: [String: LineStyle] = [:]
        for name in ordered {
            let options = candidates(name)
            let style = options.first { !taken.contains($0) } ?? options[0]
            taken.insert(style)
            out[name] = style
        }
        return out
    }

    /// The dash pattern as an SVG `stroke-dasharray` (empty for solid).
    var svgDash: String { ["", "7 3", "1.5 2.5", "7 2.5 1.5 2.5"][dash] }
    /// The dash pattern as a TikZ option.
    var tikzDash: String { ["solid", "dashed", "dotted", "dashdotted"][dash] }
    /// The marker as a pgfplots `mark`.
    var tikzMark: String { ["*", "square*", "triangle*", "diamond*", "o", "square", "triangle"][marker] }
}
