import DescentCore

/// Runtime ECDFs, COCO's main display (Hansen et al., "COCO: performance assessment", 2016, §
/// "Empirical cumulative distribution functions"; cocopp's `pprldmany` figures).
///
/// An *entry* is a (problem, instance, target) triple (with several seeds on an instance, each
/// (instance, seed) gives its own entries); the entries of a view are every problem's run slots
/// (the distinct (instance, seed) pairs any optimizer ran or skipped) × ``Targets/all``. For an
/// optimizer s,
///
///     ECDF_s(x) = |{entries whose run of s reached f − f* ≤ τ with work ≤ x}| / |entries|,
///
/// where work is the problem's default measure (``ProblemGroup/defaultMeasure``: evaluations, or
/// epochs for mini-batch problems), or seconds for the `timing/` view. A run that never reached τ,
/// a skipped run and a run that does not exist add nothing, so a curve's final height is the share of
/// entries the optimizer solved. Unlike cocopp there are no simulated restarts (bootstrapped run
/// lengths of unsuccessful runs): every curve is the plain distribution of the recorded hits.
///
/// The x axis is work itself, not COCO's evaluations / n: a gradient evaluation returns all n partial
/// derivatives in one oracle call, so the cost of the gradient methods benchmarked here does not grow
/// with n the way a derivative-free method's does (the same choice as the data profile, ``Profiles``);
/// dividing would make the high-dimensional networks look cheap, and means nothing for epochs.
///
/// The *virtual best* (COCO's "best 2009" reference) solves each entry with the least work any
/// optimizer needed for it.
public struct RuntimeECDF: Sendable, Equatable {
    /// The name of the virtual-best curve (in `ecdf.csv` and the figures' reference line).
    public static let virtualBest = "(virtual best)"

    /// The optimizers (table row labels), in order of first appearance.
    public var solvers: [String]
    /// The number of entries every curve is a share of.
    public var total: Int
    /// Per solver, the work at which it reached each entry it solved, ascending.
    public var runtimes: [[Double]]
    /// Per entry some optimizer solved, the least work any needed, ascending.
    public var best: [Double]
    /// The work measures of the problems, in ``WorkMeasure`` order.
    public var measures: [WorkMeasure]
    /// The number of problems.
    public var problemCount: Int

    /// The ECDFs over `problems`: in each problem's default measure, or in seconds. `solvers` (default:
    /// the optimizers of `problems`) fixes the curves and their order, so every view has the same colours.
    public init(_ problems: [ProblemGroup], seconds: Bool = false, solvers: [String]? = nil) {
        let solvers = solvers ?? Self.solvers(problems)
        let index = Dictionary(solvers.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let targets = Targets.all
        var runtimes = Array(repeating: [Double](), count: solvers.count)
        var best: [Double] = []
        var total = 0
        var measures = Set<WorkMeasure>()
        for p in problems {
            let measure = seconds ? WorkMeasure.seconds : p.defaultMeasure
            measures.insert(measure)
            // The run slots: (instance, seed) of every run, skipped ones included.
            var slots: [Slot: Int] = [:]
            for g in p.groups { for r in g.runs where slots[Slot(r)] == nil { slots[Slot(r)] = slots.count } }
            total += slots.count * targets.count
            var least = Array(repeating: Double.infinity, count: slots.count * targets.count)
            for g in p.groups {
                guard let s = index[ResultTables.rowLabel(g)] else { continue }
                for r in g.runs where r.result.status != .skipped {
                    for h in r.result.hits {
                        guard let t = targets.firstIndex(of: h.target) else { continue }
                        let w = measure.value(h)
                        guard !w.isNaN else { continue }   // seconds without timing.csv
                        runtimes[s].append(w)
                        let e = slots[Slot(r)]! * targets.count + t
                        least[e] = Swift.min(least[e], w)
                    }
                }
            }
            best += least.filter(\.isFinite)
        }
        self.solvers = solvers
        self.total = total
        self.runtimes = runtimes.map { $0.sorted() }
        self.best = best.sorted()
        self.measures = WorkMeasure.allCases.filter(measures.contains)
        problemCount = problems.count
    }

    /// A run slot of a problem.
    private struct Slot: Hashable {
        var instance: Int
        var seed: UInt64
        init(_ r: RunRecord) { instance = r.instance; seed = r.seed }
    }

    /// The optimizers of `problems` (row labels), in order of first appearance.
    public static func solvers(_ problems: [ProblemGroup]) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        for p in problems { for g in p.groups where seen.insert(ResultTables.rowLabel(g)).inserted { out.append(ResultTables.rowLabel(g)) } }
        return out
    }

    /// A step function of ascending `values`: (x, number of values ≤ x) at each distinct value.
    public static func steps(_ values: [Double]) -> [(x: Double, solved: Int)] {
        var out: [(x: Double, solved: Int)] = []
        for (i, v) in values.enumerated() where i + 1 == values.count || values[i + 1] != v { out.append((v, i + 1)) }
        return out
    }

    /// Every curve, the virtual best last: (name, steps).
    public func curves() -> [(name: String, steps: [(x: Double, solved: Int)])] {
        zip(solvers, runtimes).map { ($0, Self.steps($1)) } + [(Self.virtualBest, Self.steps(best))]
    }

    /// The fraction of entries solved: `solved / total` (0 without entries).
    public func fraction(_ solved: Int) -> Double { total == 0 ? 0 : Double(solved) / Double(total) }

    /// The measure column of `ecdf.csv`: the measures' names joined by `+` (`evaluations+epochs` when
    /// a view mixes full-batch and mini-batch problems).
    public var measureName: String { measures.map(\.rawValue).joined(separator: "+") }

    /// CSV rows `group, measure, solver, x, solved, total, fraction` of the views, in order: one row per
    /// step (each distinct work value at which a curve rises); exact numbers.
    public static func csv(_ views: [(group: String, ecdf: RuntimeECDF)]) -> String {
        var rows: [[String]] = []
        for (group, e) in views {
            for (name, steps) in e.curves() {
                for s in steps {
                    rows.append([CSV.field(group), e.measureName, CSV.field(name), NumberFormat.exact(s.x), String(s.solved),
                                 String(e.total), NumberFormat.exact(e.fraction(s.solved))])
                }
            }
        }
        return CSV.table(header: ["group", "measure", "solver", "x", "solved", "total", "fraction"], rows: rows)
    }

    /// The problems of each class that has any, in class order (``ProblemClass``).
    public static func classes(_ problems: [ProblemGroup]) -> [(ProblemClass, [ProblemGroup])] {
        ProblemClass.allCases.compactMap { c in
            let members = problems.filter { ProblemClass.of($0.problem) == c }
            return members.isEmpty ? nil : (c, members)
        }
    }
}
