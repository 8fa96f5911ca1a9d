import DescentCore
import Synchronization
import _DescentMath

/// Exact, tie-aware tests for comparing optimizers on few instances, a multiple-comparison
/// correction, and effect sizes.
///
/// Inputs are any `Comparable` outcomes ordered best first, like the tables' outcomes for a target:
/// runs that reached it by their work, then runs that did not by their final error, so an unreached
/// run ranks behind every reached one. Rank statistics are kept in half-ranks (twice the midrank, an
/// integer), so every comparison of a statistic with the observed one is exact.
public enum ExactTests {
    /// The largest number of splits C(n₁ + n₂, n₁) for which ``rankSum(_:_:exactLimit:draws:seed:)``
    /// counts the permutation distribution exactly; the protocol's 7 vs 7 is C(14, 7) = 3 432.
    public static let exactSplitLimit = 200_000

    /// The number of random splits drawn beyond ``exactSplitLimit``.
    public static let monteCarloDraws = 100_000

    /// The seed of the Monte Carlo draws: the same samples always get the same p.
    public static let monteCarloSeed: UInt64 = 0x5EED_0026

    /// Tie patterns whose null distribution has been counted (at most ``cacheLimit`` of them): a table
    /// asks for the same few patterns many times.
    private static let nullCache = Mutex<[[Int]: [Double]]>([:])
    private static let cacheLimit = 20_000

    // MARK: Rank sum

    /// The two-sided Mann–Whitney rank-sum p-value of `x` against `y`, from the permutation distribution
    /// conditional on the observed ties: P(|U − n₁n₂/2| ≥ |u − n₁n₂/2|) over every split of the pooled
    /// sample (with its midranks) into groups of n₁ and n₂. Counted exactly when C(n₁ + n₂, n₁) ≤
    /// `exactLimit`; otherwise `draws` seeded random splits give p = (1 + #{as extreme})/(1 + draws).
    /// p = 1 when either sample is empty or every value ties. Completely separated samples get the
    /// smallest p their tie pattern allows: 2/C(n₁ + n₂, n₁) when n₁ = n₂ or nothing ties (at most that otherwise).
    public static func rankSum<T: Comparable>(_ x: [T], _ y: [T], exactLimit: Int = exactSplitLimit,
                                              draws: Int = monteCarloDraws, seed: UInt64 = monteCarloSeed) -> Double {
        let (n1, n2) = (x.count, y.count)
        guard n1 > 0, n2 > 0 else { return 1 }
        let n = n1 + n2
        let pooled = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
        // Tie blocks: their sizes, and x's rank sum in half-ranks (a block at 0-based i of size t has midrank (2i + t + 1)/2).
        var blocks: [Int] = []
        var sumX = 0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && pooled[j + 1].0 == pooled[i].0 { j += 1 }
            let t = j - i + 1
            let h = 2 * i + t + 1
            for k in i...j where pooled[k].1 { sumX += h }
            blocks.append(t)
            i = j + 1
        }
        if blocks.count == 1 { return 1 }
        // The half-rank sum of a group of m has mean m(n + 1); the two groups' deviations are opposite.
        let deviation = Swift.abs(sumX - n1 * (n + 1))
        let m = Swift.min(n1, n2)
        let center = m * (n + 1)
        if binomial(n, m) > Double(exactLimit) {
            var generator = SeededGenerator(seed: seed)
            var pool: [Int] = []
            var start = 0
            for t in blocks {
                pool += repeatElement(2 * start + t + 1, count: t)
                start += t
            }
            var extreme = 0
            for _ in 0..<draws {
                var s = 0
                for k in 0..<m {  // a partial Fisher–Yates shuffle: pool[0..<m] is a uniform random m-subset
                    pool.swapAt(k, Int.random(in: k..<n, using: &generator))
                    s += pool[k]
                }
                if Swift.abs(s - center) >= deviation { extreme += 1 }
            }
            return Double(1 + extreme) / Double(1 + draws)
        }
        let counts = rankSumNull(blocks, m)
        var extreme = 0.0
        var total = 0.0
        for (s, c) in counts.enumerated() where c > 0 {
            total += c
            if Swift.abs(s - center) >= deviation { extreme += c }
        }
        return Swift.min(1, extreme / total)
    }

    /// The smallest two-sided p ``rankSum(_:_:exactLimit:draws:seed:)`` can give samples of n₁ and n₂
    /// without ties, attained by complete separation: 2/C(n₁ + n₂, n₁), at most 1 (1 when either is empty).
    /// Beyond ``exactSplitLimit`` splits the Monte Carlo p is never below 1/(1 + draws).
    public static func smallestRankSumP(_ n1: Int, _ n2: Int) -> Double {
        guard n1 > 0, n2 > 0 else { return 1 }
        return Swift.min(1, 2 / binomial(n1 + n2, n1))
    }

    /// The number of ways to choose `m` of the pooled sample with each half-rank sum 0 … n(n + 1), for tie
    /// blocks of the given sizes in order: choosing j of a block of size t at half-rank h adds j·h, C(t, j) ways.
    /// The counts are whole numbers at most C(n, m) with m ≤ n/2, exact in a Double.
    static func rankSumNull(_ blocks: [Int], _ m: Int) -> [Double] {
        let key = [m] + blocks
        if let cached = nullCache.withLock({ $0[key] }) { return cached }
        let n = blocks.reduce(0, +)
        let width = n * (n + 1) + 1
        var dp = [Double](repeating: 0, count: (m + 1) * width)  // dp[k·width + s]: k chosen, half-rank sum s
        dp[0] = 1
        var start = 0
        var reach = 0  // the largest sum reachable so far
        for t in blocks {
            let h = 2 * start + t + 1
            var next = [Double](repeating: 0, count: dp.count)
            var ways = [Double](repeating: 1, count: t + 1)
            for j in stride(from: 1, through: t, by: 1) { ways[j] = ways[j - 1] * Double(t - j + 1) / Double(j) }
            for k in 0...Swift.min(m, start) {
                for s in 0...reach {
                    let c = dp[k * width + s]
                    if c == 0 { continue }
                    for j in 0...Swift.min(t, m - k) { next[(k + j) * width + s + j * h] += ways[j] * c }
                }
            }
            dp = next
            reach += Swift.min(t, m) * h
            start += t
        }
        let row = Array(dp[(m * width)...])
        nullCache.withLock { cache in if cache.count < cacheLimit { cache[key] = row } }
        return row
    }

    /// C(n, k) as a Double (exact while it is below 2⁵³).
    static func binomial(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        var c = 1.0
        for i in 0..<Swift.min(k, n - k) { c = c * Double(n - i) / Double(i + 1) }
        return c.rounded()
    }

    // MARK: Paired

    /// The two-sided exact sign-flip test of per-instance `differences` with the Wilcoxon signed-rank
    /// statistic: T⁺, the sum of the midranks of |d| over the positive d, against its distribution over
    /// all 2ⁿ sign patterns with the observed midranks, p = P(|T⁺ − n(n + 1)/4| ≥ |t⁺ − n(n + 1)/4|).
    /// Zero differences are dropped before ranking (scipy's `wilcoxon(zero_method="wilcox")`); p = 1
    /// when none is left. ±∞ is allowed (see ``pairedDifference(_:_:)``): infinite magnitudes share the
    /// top midrank. The signed-rank statistic, not the sum of differences, because it needs only the
    /// order of the magnitudes (so unreached runs can enter as ±∞ and one hard instance cannot dominate)
    /// and is rank-based like ``rankSum(_:_:exactLimit:draws:seed:)``. The counts are exact while 2ⁿ < 2⁵³.
    public static func signFlip(_ differences: [Double]) -> Double {
        precondition(!differences.contains { $0.isNaN }, "a paired difference is NaN; differences must be numbers or ±∞")
        let d = differences.filter { $0 != 0 }
        let n = d.count
        guard n > 0 else { return 1 }
        let order = d.indices.sorted { Swift.abs(d[$0]) < Swift.abs(d[$1]) }
        var halfRank = [Int](repeating: 0, count: n)
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && Swift.abs(d[order[j + 1]]) == Swift.abs(d[order[i]]) { j += 1 }
            for k in i...j { halfRank[order[k]] = i + j + 2 }
            i = j + 1
        }
        let observed = d.indices.reduce(0) { $0 + (d[$1] > 0 ? halfRank[$1] : 0) }
        // Half-rank sums run over 0 … n(n + 1), centred at n(n + 1)/2; count the sign patterns giving each.
        let total = n * (n + 1)
        var counts = [Double](repeating: 0, count: total + 1)
        counts[0] = 1
        var reach = 0
        for h in halfRank {
            reach += h
            for s in stride(from: reach, through: h, by: -1) { counts[s] += counts[s - h] }
        }
        let deviation = Swift.abs(2 * observed - total)
        var extreme = 0.0
        for (s, c) in counts.enumerated() where c > 0 && Swift.abs(2 * s - total) >= deviation { extreme += c }
        return Swift.min(1, extreme / counts.reduce(0, +))
    }

    /// The difference of one instance's two outcomes for ``signFlip(_:)``, positive when `a` is worse,
    /// ordered like the unpaired test (reached runs by work, then unreached runs by final error).
    /// `value` is the work when `reached`, else the final error (NaN counts as +∞).
    /// Both reached: ±log₁₀(larger work / smaller work), positive when `a` needed more, so instances of different difficulty weigh alike (0 when equal).
    /// Otherwise: −∞ when `a` comes first in that order, +∞ when `b` does, 0 when they tie — a pair with an
    /// unreached run is a difference larger than any between two reached runs.
    public static func pairedDifference(_ a: (reached: Bool, value: Double), _ b: (reached: Bool, value: Double)) -> Double {
        if a.reached && b.reached {
            if a.value == b.value { return 0 }
            // One correctly rounded division of the larger by the smaller: equal ratios (26/1 and 52/2, 8/4 and
            // 2/1, 11/10 and 10/11 in magnitude) give the same bits, so they tie in the signed-rank test.
            let (high, low) = (Swift.max(a.value, b.value), Swift.min(a.value, b.value))
            let magnitude = low <= 0 ? Double.infinity : _log10(high / low)
            return a.value > b.value ? magnitude : -magnitude
        }
        if a.reached != b.reached { return a.reached ? -.infinity : .infinity }
        let (ea, eb) = (a.value.isNaN ? .infinity : a.value, b.value.isNaN ? .infinity : b.value)
        return ea == eb ? 0 : (ea < eb ? -.infinity : .infinity)
    }

    // MARK: Correction and effect size

    /// Holm–Bonferroni adjusted p-values, in the order given: the i-th smallest p becomes
    /// max over j ≤ i of (m − j + 1)·p₍ⱼ₎, capped at 1 (step-down, monotone in p). Rejecting the
    /// hypotheses whose adjusted p is below α controls the family-wise error rate at α over all m.
    public static func holm(_ p: [Double]) -> [Double] {
        precondition(p.allSatisfy { $0 >= 0 && $0 <= 1 }, "Holm needs p-values in [0, 1]")
        let m = p.count
        let order = p.indices.sorted { p[$0] != p[$1] ? p[$0] < p[$1] : $0 < $1 }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (j, index) in order.enumerated() {
            running = Swift.max(running, Swift.min(1, Double(m - j) * p[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// The Vargha–Delaney effect size Â₁₂ = P(X > Y) + ½·P(X = Y) over all pairs of `x` and `y`
    /// (= U₁/(n₁n₂)); 0.5 when either is empty. With outcomes ordered best first, Â₁₂ = 1 says every
    /// run of `x` is behind every run of `y`, 0 that every run of `x` is ahead.
    public static func varghaDelaney<T: Comparable>(_ x: [T], _ y: [T]) -> Double {
        guard !x.isEmpty, !y.isEmpty else { return 0.5 }
        var score = 0
        for a in x {
            for b in y { score += a > b ? 2 : (a == b ? 1 : 0) }
        }
        return Double(score) / Double(2 * x.count * y.count)
    }

    /// The median of `x` over the median of `y` (``Spread`` medians): `x`'s work relative to `y`'s.
    public static func medianRatio(_ x: [Double], _ y: [Double]) -> Double {
        Spread(x).median / Spread(y).median
    }
}
