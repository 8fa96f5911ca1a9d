import DescentCore
import _DescentMath

/// The runtime-ECDF figures (``RuntimeECDF``), the files they go to and their section of the results page.
public enum ECDFPlots {
    /// Points per decade of x a drawn curve keeps at most (the last of each bin); `ecdf.csv` has every step.
    public static let pointsPerDecade = 40.0

    /// The figure of `ecdf`: the virtual best as the dashed black reference line (first in the legend), then
    /// one step curve per optimizer in palette order; log x from half the least to twice the largest work, y in [0, 1].
    /// `scope` names the problems (`all 31 problems`, `convex quadratics`).
    public static func figure(_ ecdf: RuntimeECDF, scope: String, hash: String) -> Figure {
        let curves = ecdf.curves()
        let xs = curves.flatMap { $0.steps.map(\.x) }
        let low = (xs.filter { $0 > 0 }.min() ?? 1) / 2
        let high = Swift.max(xs.max() ?? 1, low * 4) * 2
        // The virtual best first, so the legend shows it before a long list is cut (it takes no palette colour).
        let series = ([curves.last!] + curves.dropLast()).map { name, steps in
            let start = steps.last { $0.x <= low }?.solved ?? 0
            let drawn = thin(steps.filter { $0.x > low })
            let points = [(x: low, y: ecdf.fraction(start))] + drawn.map { (x: $0.x, y: ecdf.fraction($0.solved)) }
                + [(x: high, y: ecdf.fraction(steps.last?.solved ?? 0))]
            return Figure.Series(name: name, points: points, isReference: name == RuntimeECDF.virtualBest, isStep: true)
        }
        let targets = "\(Targets.label(Targets.all.first!)) … \(Targets.label(Targets.all.last!))"
        let caption = "Runtime ECDF over \(scope): for each optimizer, the fraction of the \(ecdf.total) (problem, instance, target) "
            + "entries (\(ecdf.problemCount) problems; targets f − f* ≤ \(targets), ‖∇f‖ where f* is unknown) reached within the work "
            + "on the x axis. A run that never reached a target adds nothing, so a curve ends at the share solved. Work: "
            + workWords(ecdf) + ". Dashed black: the virtual best, the least work any optimizer needed for each entry. Curves keep "
            + "at most \(Int(pointsPerDecade)) points per decade; ecdf.csv has every step. Descent run \(hash)."
        return Figure(title: "Runtime ECDF: " + scope, xLabel: axisWords(ecdf), yLabel: "fraction of (problem, instance, target) solved",
                      logX: true, logY: false, yRange: (0, 1), series: series, caption: caption)
    }

    /// The x-axis label.
    static func axisWords(_ ecdf: RuntimeECDF) -> String {
        switch ecdf.measures {
        case [.seconds]: return "seconds (wall-clock)"
        case [.evaluations]: return "evaluations of f (with or without ∇f)"
        case [.epochs]: return "epochs"
        default: return "evaluations (epochs on mini-batch problems)"
        }
    }

    /// What the work is, for captions.
    static func workWords(_ ecdf: RuntimeECDF) -> String {
        if ecdf.measures == [.seconds] { return "wall-clock seconds to the target (timing.csv; not repeatable)" }
        return ecdf.measures.map(\.words).joined(separator: " on full-batch problems, ")
            + (ecdf.measures.count > 1 ? " on mini-batch problems" : "")
            + ", not divided by the dimension n as COCO does (a gradient is one oracle call for every n)"
    }

    /// The steps drawn: the last of each 1/``pointsPerDecade``-decade bin of x.
    static func thin(_ steps: [(x: Double, solved: Int)]) -> [(x: Double, solved: Int)] {
        var out: [(x: Double, solved: Int)] = []
        var lastBin = Int.min
        for s in steps {
            let bin = Int((_log10(s.x) * pointsPerDecade).rounded(.down))
            if bin == lastBin { out[out.count - 1] = s } else { out.append(s) }
            lastBin = bin
        }
        return out
    }

    /// The ECDF views of `problems`: all problems, then each class that has any (``ProblemClass``), all
    /// with the same curves in the same order.
    public static func views(_ problems: [ProblemGroup]) -> [(group: String, scope: String, ecdf: RuntimeECDF)] {
        let solvers = RuntimeECDF.solvers(problems)
        var out = [(group: "all", scope: "all \(problems.count) problems", ecdf: RuntimeECDF(problems, solvers: solvers))]
        for (c, members) in RuntimeECDF.classes(problems) {
            out.append((c.rawValue, c.words, RuntimeECDF(members, solvers: solvers)))
        }
        return out
    }

    /// The files: `ecdf.csv` and `timing/ecdf.csv` (seconds, all problems; both need only targets.csv and
    /// timing.csv) and, with `plots`, `plots/ecdf.svg/.tex`, `plots/ecdf-<class>.svg/.tex` for each class and
    /// `timing/plots/ecdf-time.svg/.tex`.
    public static func files(_ problems: [ProblemGroup], hash: String, plots: Bool) -> [(String, String)] {
        let views = views(problems)
        let time = RuntimeECDF(problems, seconds: true)
        var files = [("ecdf.csv", RuntimeECDF.csv(views.map { ($0.group, $0.ecdf) })), ("timing/ecdf.csv", RuntimeECDF.csv([("all", time)]))]
        guard plots else { return files }
        for v in views {
            let name = v.group == "all" ? "plots/ecdf" : "plots/ecdf-\(v.group)"
            let figure = figure(v.ecdf, scope: v.scope, hash: hash)
            files += [(name + ".svg", SVG.render(figure)), (name + ".tex", PGFPlots.render(figure))]
        }
        let figure = figure(time, scope: "all \(problems.count) problems, seconds", hash: hash)
        files += [("timing/plots/ecdf-time.svg", SVG.render(figure)), ("timing/plots/ecdf-time.tex", PGFPlots.render(figure))]
        return files
    }

    /// The results page's ECDF section (after the profiles): the all-problems figure and one per class.
    static func htmlSection(_ problems: [ProblemGroup], hash: String, counter: inout Int) -> String {
        var out = HTMLReport.section("ecdf", "Runtime ECDFs")
            + "<p>The curves are in ecdf.csv; the expected running times (ERT) per problem in ert.csv and tables/ert.md.</p>\n"
        for v in views(problems) { out += HTMLReport.figure(&counter, [("", figure(v.ecdf, scope: v.scope, hash: hash))]) }
        return out + "</section>\n"
    }
}
