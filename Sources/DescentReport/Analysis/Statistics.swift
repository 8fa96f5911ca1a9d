/// Order statistics over a few seeds: median and interquartile range.
public struct Spread: Sendable, Equatable {
    /// The median.
    public var median: Double
    /// The first quartile (25th percentile).
    public var lower: Double
    /// The third quartile (75th percentile).
    public var upper: Double

    /// The spread of `values` (not empty). Quartiles interpolate linearly between order statistics
    /// (numpy's default `percentile`, R's type 7), so they are exact and independent of input order.
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "a spread needs at least one value")
        let sorted = values.sorted()
        median = Self.quantile(sorted, 0.5)
        lower = Self.quantile(sorted, 0.25)
        upper = Self.quantile(sorted, 0.75)
    }

    /// The q-quantile of sorted values, linear interpolation (type 7).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * q
        let i = Int(h.rounded(.down))
        let j = Swift.min(i + 1, sorted.count - 1)
        let w = h - Double(i)
        // Equal neighbours (or an exact order statistic) need no interpolation: keeps ±∞ out of ∞ − ∞.
        if w == 0 || sorted[i] == sorted[j] { return sorted[i] }
        return sorted[i] + w * (sorted[j] - sorted[i])
    }

    /// Whether the interquartile range is empty (one seed, or every seed agrees).
    public var isPoint: Bool { lower == upper }
}
