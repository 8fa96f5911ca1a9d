import DescentCore
import DescentReport

/// The learning-rate tuning protocol of `--tune`.
///
/// 1. For each problem and each optimizer with a learning rate `lr`, run every value of a log grid
///    (default 5 points, one per decade from 10⁻³ to 10, so the tuned headline run of `--all` stays
///    within 5 minutes; `--tune-grid 1e-5:1e2:36` is DeepOBS's grid), rounded to 3 significant digits,
///    on instance 0 with the first seed.
/// 2. Choose, per (problem, optimizer), the value whose run ranks first by the tables' row order:
///    most targets reached, then least work to the tightest target reached, then smallest final
///    f − f*, then the smaller learning rate.
/// 3. Run the chosen value on every evaluation instance (1…N with `--instances N`) or seed; those
///    runs, under the optimizer's own label, make the tables (their `lr` column shows the choice).
/// `tuning.csv` (``TuningTables``), `tables/tuning.md`, `tables/tuning-<problem>.tex` and `plots/tuning-<problem>.svg|tex` show the whole sweep.
enum Tuning {
    static let defaultGrid = "1e-3:1e1:5"

    /// The learning rates of `LOW:HIGH:POINTS` (log-spaced, 3 significant digits, duplicates dropped).
    static func grid(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let lo = Double(parts[0]), let hi = Double(parts[1]), let n = Int(parts[2]),
              lo > 0, hi > lo, lo.isFinite, hi.isFinite, n >= 2, n <= 1000 else {
            throw SuiteError("--tune-grid must be LOW:HIGH:POINTS with 0 < LOW < HIGH and 2 <= POINTS <= 1000 "
                + "(default \(defaultGrid)), got '\(text)'", exitCode: SuiteExitCode.usage)
        }
        var out: [Double] = []
        let (a, b) = (log10(lo), log10(hi))
        for i in 0..<n {
            let v = Double(NumberFormat.scientific(pow(10, a + (b - a) * Double(i) / Double(n - 1)), digits: 3))!
            if out.last != v { out.append(v) }
        }
        return out
    }

    /// The choice among `candidates` (the sweep's records of one optimizer on one problem, in grid order):
    /// the index of the chosen grid value and the whole sweep.
    static func choose(problem: String, optimizer: String, candidates: [RunRecord], grid: [Double]) -> (index: Int, sweep: TuningSweep)? {
        guard candidates.count == grid.count else { return nil }
        let groups = candidates.map { RunGroup(problem: problem, optimizer: $0.optimizer, batchSize: $0.batchSize, runs: [$0]) }
        let measure: WorkMeasure = candidates.first?.batchSize != nil ? .epochs : .evaluations
        // The tables' rank; ties go to the smaller learning rate (the first in grid order), not to the label.
        let ranks = groups.map { ResultTables.rank($0, measure: measure) }
        guard let best = ranks.min(), let index = ranks.firstIndex(of: best) else { return nil }
        let points = zip(grid, candidates).map { TuningSweep.Point(learningRate: $0.0, result: $0.1.result) }
        return (index, TuningSweep(problem: problem, optimizer: optimizer, chosen: grid[index], points: points))
    }
}

#if canImport(Glibc)
import Glibc
#endif
