import Synchronization
import _DescentMath

/// The two-sided Mann–Whitney (Wilcoxon rank-sum) test, as COCO applies it to compare two solvers'
/// runs on one problem and target.
///
/// U₁ = R₁ − n₁(n₁+1)/2 from the midranks of the pooled sample. Without ties and with n₁ + n₂ ≤
/// ``exactLimit`` the p-value is exact (the permutation distribution of U, counted); otherwise it is
/// the normal approximation with the tie correction and a continuity correction,
/// z = (|U₁ − n₁n₂/2| − ½)/σ, σ² = n₁n₂/12 · (n + 1 − Σ(t³ − t)/(n(n − 1))), p = erfc(z/√2).
/// These are scipy's `mannwhitneyu(x, y, method="exact")` and `method="asymptotic"`.
public enum RankSum {
    /// The largest pooled sample whose p-value is counted exactly (when there are no ties): the counts,
    /// at most C(50, 25) ≈ 1.3·10¹⁴, stay exact in a Double.
    public static let exactLimit = 50

    /// The null distributions counted so far, by (n₁, n₂): a table of many problems and targets asks for
    /// the same few sizes again and again.
    private static let distributions = Mutex<[Int: [Double]]>([:])

    /// U₁ (the statistic of `x`) and the two-sided p-value; p = 1 when either sample is empty or
    /// every value ties.
    public static func test<T: Comparable>(_ x: [T], _ y: [T]) -> (u: Double, p: Double) {
        let (n1, n2) = (x.count, y.count)
        guard n1 > 0, n2 > 0 else { return (0, 1) }
        let pooled = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
        let n = n1 + n2
        var rankSum = 0.0
        var tieTerm = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && pooled[j + 1].0 == pooled[i].0 { j += 1 }
            let midrank = Double(i + j) / 2 + 1
            for k in i...j where pooled[k].1 { rankSum += midrank }
            let t = Double(j - i + 1)
            tieTerm += t * t * t - t
            i = j + 1
        }
        let u = rankSum - Double(n1 * (n1 + 1)) / 2
        if tieTerm == 0 && n <= exactLimit {
            return (u, exactP(u: Int(u.rounded()), n1, n2))
        }
        let mean = Double(n1 * n2) / 2
        let variance = Double(n1 * n2) / 12 * (Double(n + 1) - tieTerm / Double(n * (n - 1)))
        guard variance > 0 else { return (u, 1) }
        let z = (Swift.abs(u - mean) - 0.5) / variance.squareRoot()
        return (u, Swift.min(1, Swift.max(0, _erfc(z / 2.0.squareRoot()))))
    }

    /// 2 · min(P(U ≤ u), P(U ≥ u)), capped at 1, from the exact null distribution of U.
    static func exactP(u: Int, _ n1: Int, _ n2: Int) -> Double {
        let key = n1 * (exactLimit + 1) + n2
        let counts = distributions.withLock { cache in
            if let c = cache[key] { return c }
            let c = nullDistribution(n1, n2)
            cache[key] = c
            return c
        }
        let maxU = n1 * n2
        let total = counts.reduce(0, +)
        let below = counts[0...Swift.min(u, maxU)].reduce(0, +)
        let above = counts[Swift.max(0, u)...].reduce(0, +)
        return Swift.min(1, 2 * Swift.min(below, above) / total)
    }

    /// The number of orderings of n₁ x-values and n₂ y-values with each U = 0 … n₁n₂.
    static func nullDistribution(_ n1: Int, _ n2: Int) -> [Double] {
        // counts[a][b][v]: orderings of a x-values and b y-values with U = v (U counts (x, y) pairs with y < x).
        // Built up one sample at a time: the largest value is an x (adds b to U) or a y.
        var table = [[[Double]]](repeating: [[Double]](repeating: [], count: n2 + 1), count: n1 + 1)
        for a in 0...n1 {
            for b in 0...n2 {
                var c = [Double](repeating: 0, count: a * b + 1)
                if a == 0 || b == 0 {
                    c[0] = 1
                } else {
                    for (v, w) in table[a - 1][b].enumerated() { c[v + b] += w }
                    for (v, w) in table[a][b - 1].enumerated() { c[v] += w }
                }
                table[a][b] = c
            }
        }
        return table[n1][n2]
    }
}
