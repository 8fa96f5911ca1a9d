import DescentCore
import Foundation

/// Estimates what runs still to come will cost from what the finished ones cost, for the progress
/// display's ETA.
///
/// Runs differ by orders of magnitude (a parabola takes microseconds, an MLP on a data set seconds),
/// so counting runs says little. A run of optimizer o on problem p is estimated, in this order, by
/// the mean cost of the finished runs of (p, o); of (p, o's family: its name without parameters, so
/// the learning rates of a tuning sweep inform each other and the tuned runs); by p's median run times
/// the family's cost relative to the median runs of the problems it ran on (log-linear in the
/// dimension); and for a problem no run has finished on, by its size (what one gradient costs, ``probe(_:)``) times the median
/// cost per unit of size of the finished runs of o's family, or of all finished runs (the median: a
/// few costly runs of other problems would otherwise set the estimate of every problem not seen yet),
/// and at least what the cheapest tenth of the finished runs cost (a run's fixed overhead, which a tiny
/// problem's gradient cost leaves out).
struct CostModel: Sendable {
    /// A kind of run: its problem, the optimizer's label, the problem's size (``probe(_:)``) and dimension.
    struct Kind: Hashable, Sendable {
        var problem: String
        var optimizer: String
        var size: Double
        var dimension: Double = 1

        /// The optimizer's family: its label up to the first parameter list or modifier.
        var family: String { String(optimizer.prefix { $0 != "(" && $0 != " " && $0 != "+" }) }
    }

    private struct Mean: Sendable {
        var sum = 0.0
        var count = 0
        var value: Double { sum / Double(count) }
        mutating func add(_ x: Double) { sum += x; count += 1 }
    }

    private var pairs: [String: Mean] = [:]
    private var families: [String: Mean] = [:]
    /// Every run's seconds by problem, sorted (their median is the problem's typical run).
    private var problems: [String: [Double]] = [:]
    /// Per family, (log dimension, log of the run's cost over its problem's median run) of each run after a
    /// problem's first, and the line fitted through them (refitted when one is added, so an estimate is O(1)).
    private var relative: [String: [(x: Double, y: Double)]] = [:]
    private var lines: [String: (mx: Double, my: Double, slope: Double)] = [:]
    /// Each finished run's seconds per unit of size, sorted, per optimizer family and over every run.
    private var perSize: [String: [Double]] = [:]
    private var all: [Double] = []
    /// Every finished run's seconds, sorted: the cheapest runs' cost is what any run costs at least (a
    /// worker's messages, writing its result), which a tiny problem's gradient cost leaves out.
    private var runSeconds: [Double] = []

    /// The number of runs observed.
    private(set) var count = 0

    /// The seconds one f and ∇f evaluation of `problem` takes (at x = 0.1 · 1: the point does not
    /// matter for the cost), timed over at least 2 ms or 1000 evaluations: a problem's size as runs feel it.
    static func probe(_ problem: any Problem) -> Double {
        let x = Vector(count: problem.dimension, repeating: 0.1)
        let g = Vector(count: problem.dimension)
        let start = ContinuousClock.now
        var n = 0
        var elapsed = 0.0
        repeat {
            _ = problem.valueAndGradient(at: x, gradient: g)
            n += 1
            elapsed = (ContinuousClock.now - start).seconds
        } while elapsed < 2e-3 && n < 1000
        return Swift.max(elapsed / Double(n), 1e-9)
    }

    /// Records a finished run of `kind` that took `seconds`.
    mutating func observe(_ kind: Kind, seconds: Double) {
        let t = Swift.max(seconds, 0)
        pairs[kind.problem + "\u{1}" + kind.optimizer, default: Mean()].add(t)
        families[kind.problem + "\u{1}" + kind.family, default: Mean()].add(t)
        if let typical = typical(kind.problem), typical > 0, t > 0 {
            relative[kind.family, default: []].append((log(Swift.max(kind.dimension, 1)), log(t / typical)))
            lines[kind.family] = Self.line(relative[kind.family]!)
        }
        Self.insert(t, into: &problems[kind.problem, default: []])
        Self.insert(t, into: &runSeconds)
        if kind.size > 0 {
            Self.insert(t / kind.size, into: &perSize[kind.family, default: []])
            Self.insert(t / kind.size, into: &all)
        }
        count += 1
    }

    /// The estimated seconds of a run of `kind` (nil before anything was observed).
    func estimate(_ kind: Kind) -> Double? {
        if let m = pairs[kind.problem + "\u{1}" + kind.optimizer] { return m.value }
        if let m = families[kind.problem + "\u{1}" + kind.family] { return m.value }
        if let typical = typical(kind.problem) { return typical * factor(kind) }
        guard count > 0 else { return nil }
        // A problem no run has finished on yet: its size times the median cost per unit of size so far,
        // and at least what the cheapest tenth of the runs cost (the per-run overhead).
        let floor = runSeconds[runSeconds.count / 10]
        guard let ratios = perSize[kind.family] ?? (all.isEmpty ? nil : all) else { return floor }
        return Swift.max(kind.size * ratios[ratios.count / 2], floor)
    }

    /// What a run of `kind`'s family costs relative to a typical run of its problem: log-linear in the
    /// problem's dimension (a Newton step grows as n³, a gradient step as n), fitted over the problems the
    /// family ran on (the mean where they share one dimension); 1 for a family not seen yet.
    private func factor(_ kind: Kind) -> Double {
        guard let line = lines[kind.family] else { return 1 }
        return exp(line.my + line.slope * (log(Swift.max(kind.dimension, 1)) - line.mx))
    }

    /// The least-squares line through `points` (slope within [0, 3]; 0 when they share one x).
    private static func line(_ points: [(x: Double, y: Double)]) -> (mx: Double, my: Double, slope: Double) {
        let n = Double(points.count)
        let (mx, my) = (points.map(\.x).reduce(0, +) / n, points.map(\.y).reduce(0, +) / n)
        let sxx = points.map { ($0.x - mx) * ($0.x - mx) }.reduce(0, +)
        let slope = sxx > 1e-9 ? Swift.min(Swift.max(points.map { ($0.x - mx) * ($0.y - my) }.reduce(0, +) / sxx, 0), 3) : 0
        return (mx, my, slope)
    }

    /// Inserts `x` into the sorted `xs` (so a median is one lookup).
    private static func insert(_ x: Double, into xs: inout [Double]) {
        var lo = 0, hi = xs.count
        while lo < hi { let mid = (lo + hi) / 2; if xs[mid] < x { lo = mid + 1 } else { hi = mid } }
        xs.insert(x, at: lo)
    }

    /// The median of the sorted `s`.
    static func median(sorted s: [Double]) -> Double {
        s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The median run of `problem`, once one has been observed.
    private func typical(_ problem: String) -> Double? { problems[problem].map(Self.median(sorted:)) }

    /// Whether a run of `problem` has been observed (the estimates of its runs then rest on it).
    func hasSeen(problem: String) -> Bool { problems[problem] != nil }

    /// The sum of the estimates of `kinds` (0 before anything was observed).
    func total(_ kinds: some Sequence<Kind>) -> Double {
        var sum = 0.0
        for k in kinds { sum += estimate(k) ?? 0 }
        return sum
    }
}
