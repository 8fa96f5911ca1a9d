import _DescentMath

/// Number formatting for tables: deterministic, locale-free, no Foundation.
public enum NumberFormat {
    /// The shortest text that parses back to exactly `x` (Swift's `description`), for CSV.
    /// Non-finite values print as `nan`, `inf`, `-inf` (what pandas reads).
    public static func exact(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return x.description
    }

    /// `x` in scientific notation with `digits` significant digits: `1.23e-05`, `-4.00e+02`, `0`.
    public static func scientific(_ x: Double, digits: Int = 3) -> String {
        precondition(digits >= 1, "digits must be at least 1")
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return "0" }
        let (mantissa, exponent) = decimalDigits(Swift.abs(x), digits: digits)
        var text = mantissa
        if digits > 1 { text.insert(".", at: text.index(after: text.startIndex)) }
        let sign = exponent < 0 ? "-" : "+"
        let e = Swift.abs(exponent)
        return (x < 0 ? "-" : "") + text + "e" + sign + (e < 10 ? "0" : "") + String(e)
    }

    /// `x` in fixed notation with `digits` significant digits: `12.3`, `0.00123`, `1230`.
    public static func fixed(_ x: Double, digits: Int = 3) -> String {
        if !x.isFinite || x == 0 { return x == 0 ? "0" : exact(x) }
        let (mantissa, exponent) = decimalDigits(Swift.abs(x), digits: digits)
        var text: String
        if exponent >= digits - 1 {
            text = mantissa + String(repeating: "0", count: exponent - (digits - 1))
        } else if exponent >= 0 {
            text = mantissa
            text.insert(".", at: text.index(text.startIndex, offsetBy: exponent + 1))
        } else {
            text = "0." + String(repeating: "0", count: -exponent - 1) + mantissa
        }
        return (x < 0 ? "-" : "") + text
    }

    /// The one rule for every number a table, caption, note or `numbers.tex` shows (not CSV, which keeps
    /// ``exact(_:)``): an integer below 10⁶ in all its digits (`262`, `0`, `1`); any other finite number
    /// with 3 significant digits, plain from 0.01 to below 1000 (`4.67`, `0.0120`, `257`) and in
    /// scientific notation otherwise (`1.23e-05`, `2.56e+04`; LaTeX sets it as `\DescentNum{1.23}{-5}`);
    /// `nan`, `inf`, `-inf`. Work counted in evaluations, gradients or iterations is a count: its medians
    /// and quartiles are shown by ``count(_:)``.
    /// A reference value (f*) keeps `digits` significant digits by the same rule.
    public static func value(_ x: Double, digits: Int = 3) -> String {
        if !x.isFinite { return exact(x) }
        if x == x.rounded() && Swift.abs(x) < 1e6 { return String(Int(x)) }
        let (_, exponent) = decimalDigits(Swift.abs(x), digits: digits)
        return (-2...2).contains(exponent) ? fixed(x, digits: digits) : scientific(x, digits: digits)
    }

    /// A count (or a median or quartile of counts) as ``value(_:)`` shows it, rounded to a whole count
    /// (half away from zero): `256.5` → `257`.
    public static func count(_ x: Double) -> String {
        x.isFinite ? value(x.rounded(.toNearestOrAwayFromZero)) : exact(x)
    }

    /// Several numbers of one cell (a median and its quartiles) in one notation: when any is not an
    /// integer, all are written as non-integers (3 significant digits), all in scientific notation when
    /// ``value(_:)`` writes any of them so: `10.0 [9.99–11.6]`, `9.78e-09 [9.72e-09–1.20e-01]`.
    public static func values(_ xs: [Double]) -> [String] {
        let texts = xs.map { value($0) }
        let whole = xs.allSatisfy { !$0.isFinite || ($0 == $0.rounded() && Swift.abs($0) < 1e6) }
        guard !whole else { return texts }
        let scientificForm = texts.contains { $0.contains("e") && $0 != "inf" && $0 != "-inf" }
        return zip(xs, texts).map { x, t in
            if !x.isFinite || x == 0 { return t }
            return scientificForm ? scientific(x) : fixed(x)
        }
    }

    /// A duration with a unit and three significant digits: `850 µs`, `12.3 ms`, `4.56 s`.
    public static func duration(_ seconds: Double) -> String {
        if !seconds.isFinite { return exact(seconds) }
        if seconds < 1e-3 { return fixed(seconds * 1e6) + " µs" }
        if seconds < 1 { return fixed(seconds * 1e3) + " ms" }
        return fixed(seconds) + " s"
    }

    /// The `digits` leading decimal digits of `a` > 0, rounded half away from zero, and the
    /// decimal exponent of the first: `decimalDigits(0.012345, 3) == ("123", -2)`.
    static func decimalDigits(_ a: Double, digits: Int) -> (String, Int) {
        var e = Int(_log10(a).rounded(.down))
        let scale = _pow10(digits - 1)
        var r = (scaled(a, by: -e) * scale).rounded(.toNearestOrAwayFromZero)
        if r >= 10 * scale {          // rounding carried into a new digit (9.995 → 10.0)
            e += 1
            r = (scaled(a, by: -e) * scale).rounded(.toNearestOrAwayFromZero)
        } else if r < scale {         // log10 landed one low
            e -= 1
            r = (scaled(a, by: -e) * scale).rounded(.toNearestOrAwayFromZero)
        }
        if r >= 10 * scale { r = scale; e += 1 }
        return (String(Int64(r)), e)
    }

    /// a · 10^k, in two steps when 10^k alone would overflow or underflow.
    private static func scaled(_ a: Double, by k: Int) -> Double {
        if k > 300 { return a * _pow10(300) * _pow10(k - 300) }
        if k < -300 { return a * _pow10(-300) * _pow10(k + 300) }
        return a * _pow10(k)
    }
}
