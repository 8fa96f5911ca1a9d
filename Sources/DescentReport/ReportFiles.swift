import DescentCore

/// The files of a results folder, as (relative path, contents).
///
/// ``raw(_:)`` are the data a run writes (CSV with full precision, traces); ``derived(_:profileTarget:)``
/// are the tables and plots made from them, which `suite report` regenerates from the raw files alone.
/// Everything but `timing.csv`, `traces/` time columns and `timing/` is deterministic.
public enum ReportFiles {
    /// The default target of the profiles.
    public static let defaultProfileTarget = 1e-6

    /// Each record's trace path (`nil` for skipped runs): `traces/<problem>/<optimizer>[-batchB-seedS].csv`,
    /// with `-2`, `-3`, … when two labels map to the same file name.
    public static func tracePaths(_ records: [RunRecord], problemStems: [String: String]? = nil) -> [String?] {
        let problemStems = problemStems ?? stems(records.map(\.problem))
        var used = Set<String>()
        return records.map { r in
            guard r.result.status != .skipped else { return nil }
            let base = stem(r.optimizer) + (r.batchSize.map { "-batch\($0)-seed\(r.seed)" } ?? "")
                + (r.instance > 0 ? "-instance\(r.instance)" : "")
            let folder = "traces/\(problemStems[r.problem] ?? fileName(r.problem))"
            var path = "\(folder)/\(base)"
            var suffix = 2
            while used.contains(path) { path = "\(folder)/\(base)-\(suffix)"; suffix += 1 }
            used.insert(path)
            return path + ".csv"
        }
    }

    /// A label made safe as a file name: `adam(lr=0.01,beta1=0.9)` → `adam_lr=0.01_beta1=0.9`.
    public static func fileName(_ label: String) -> String {
        var out = ""
        for c in label {
            let keep = c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "=")
            if keep { out.append(c) } else if out.last != "_" { out.append("_") }
        }
        while out.last == "_" { out.removeLast() }
        return out.isEmpty ? "_" : out
    }

    /// The longest file stem made from a label (bytes), well under the 255 bytes a file name may have.
    public static let maxStem = 120

    /// The file stem of each label: its ``fileName(_:)``, unless two labels share that name (e.g.
    /// `f(start_file=a:b.npy)` and `f(start_file=a_b.npy)`) or it is longer than ``maxStem``; those get the
    /// name's first 100 bytes and 8 hex digits of the label's hash, so no file of one overwrites another's.
    public static func stems(_ labels: some Sequence<String>) -> [String: String] {
        var names: [String: String] = [:]
        var count: [String: Int] = [:]
        for label in labels where names[label] == nil {
            let name = fileName(label)
            names[label] = name
            count[name, default: 0] += 1
        }
        var out: [String: String] = [:]
        for (label, name) in names {
            out[label] = count[name]! > 1 || name.utf8.count > maxStem ? hashed(label, name) : name
        }
        return out
    }

    /// One label's stem without the others to collide with (an optimizer's, inside its problem's folder,
    /// where ``tracePaths(_:problemStems:)`` numbers duplicates): its ``fileName(_:)``, hashed when too long.
    public static func stem(_ label: String) -> String {
        let name = fileName(label)
        return name.utf8.count > maxStem ? hashed(label, name) : name
    }

    /// `name`'s first 100 bytes and 8 hex digits of `label`'s hash.
    private static func hashed(_ label: String, _ name: String) -> String {
        var hash = StableHash()
        hash.combine(label)
        return String(decoding: name.utf8.prefix(100), as: UTF8.self) + "-" + hash.digits.prefix(8)
    }

    /// The file stems of the problems of `set` (``stems(_:)``), the same in every file that names a problem.
    public static func problemStems(_ set: ResultSet) -> [String: String] {
        stems(set.records.map(\.problem) + set.tuning.map(\.problem))
    }

    /// The raw data: `summary.csv`, `targets.csv`, `reference.csv`, `timing.csv` and `traces/`.
    public static func raw(_ set: ResultSet, problemOrder: [(label: String, dimension: Int)]) -> [(String, String)] {
        let paths = tracePaths(set.records, problemStems: problemStems(set))
        var files: [(String, String)] = [
            ("summary.csv", CSV.summary(set.records, tracePaths: paths)),
            ("targets.csv", CSV.targets(set.records)),
            ("reference.csv", CSV.references(problemOrder.flatMap { p in
                set.instances(of: p.label).map { i in
                    let key = Instances.referenceKey(p.label, instance: i)
                    return (p.label, i, p.dimension, set.references[key], set.conditionNumbers[key])
                }
            })),
            ("timing.csv", CSV.timing(set.records)),
        ]
        if !set.tuning.isEmpty { files.append(("tuning.csv", TuningTables.csv(set.tuning))) }
        for (r, path) in zip(set.records, paths) {
            if let path { files.append((path, CSV.trace(r.result.trace))) }
        }
        return files
    }

    /// Tables, plots and profiles made from the raw data. Without traces (a clone of a repository
    /// that commits tables but not traces) nothing under `plots/` or `timing/plots/` is written,
    /// so existing plots are left as they are instead of being replaced by empty ones.
    /// With `page` (the text of `metadata.json`), also `index.html` (``HTMLReport``), made from the same
    /// tables, figures and bootstrap bands as the files.
    /// `latexTargets`: the target columns of the LaTeX per-problem tables (``ResultTables/defaultLaTeXTargets``).
    /// `bands` says which figures draw their bands (``BandMode``; the numbers in profiles.csv are the same either way).
    public static func derived(_ set: ResultSet, profileTarget: Double = defaultProfileTarget,
                               latexTargets: [Double] = ResultTables.defaultLaTeXTargets, page metadata: String? = nil,
                               bands: BandMode = .auto) -> [(String, String)] {
        let havePlots = set.records.contains { !$0.result.trace.isEmpty } || set.records.isEmpty
        let problems = set.problems
        let stem = problemStems(set)
        var files: [(String, String)] = []
        // Partial results say so first, in every Markdown file a reader opens.
        let partial = set.complete ? "" : "**Incomplete: the run was interrupted before every planned run finished "
            + "(metadata.json: \"complete\": false); rerun the same command with --resume.**\n\n"
        files.append(("summary.md", Markdown.summary(set.records, references: set.references, note: partial)))

        // Tables: one Markdown file with everything; one LaTeX file per table.
        let bootstrap = Bootstrap(problems)
        let standings = ResultTables.standings(problems)
        let overview = ResultTables.overview(standings, problemCount: problems.count, hash: set.hash,
                                             intervals: bootstrap.medianRatioIntervals())
        let method = ResultProtocol(problems: problems, hash: set.hash, tuned: !set.tuning.isEmpty)
        files.append(("tables/protocol.tex", method.latex))
        files.append(("tables/protocol.md", method.markdown))
        files.append(("tables/legend.md", Legend.markdown))
        var md = "# Descent results\n\n" + partial + "Run \(set.hash) (see metadata.json). Generated by `suite report`; "
            + "the numbers come from summary.csv and targets.csv; legend.md defines every status and column.\n\n" + method.markdown + "\n" + overview.markdown(headingLevel: 2)
        var timing = "# Descent results: seconds to each target\n\nWall-clock times are not repeatable; "
            + "they are kept apart from the deterministic tables. Run \(set.hash).\n"
        files.append(("tables/overview.tex", overview.latex()))
        files.append(("effects.csv", Effects.csv(problems)))
        var macros = NumberMacros(hash: set.hash)
        for standing in standings {
            let key = "overview/" + standing.label
            macros.add(key + "/rank", Double(standing.rank))
            macros.add(key + "/targets-reached", Double(standing.reached))
            macros.add(key + "/score", 100 * standing.score)
            macros.add(key + "/median-ratio", standing.medianRatio)
        }
        var tables: [Table] = []
        for p in problems {
            var rates: [String: Double] = [:]
            for s in set.tuning where s.problem == p.problem { rates[s.optimizer] = s.chosen }
            let table = ResultTables.targets(p, measure: p.defaultMeasure, hash: set.hash, learningRates: rates,
                                             latexTargets: latexTargets)
            tables.append(table)
            md += "\n" + table.markdown(headingLevel: 2)
            files.append(("tables/\(stem[p.problem]!).tex", table.latex()))
            timing += "\n" + ResultTables.targets(p, measure: .seconds, hash: set.hash).markdown(headingLevel: 2)
            for g in p.groups where !g.isSkipped {
                let key = p.problem + "/" + ResultTables.rowLabel(g)
                macros.add(key + "/final-error", g.finalError?.median)
                macros.add(key + "/status", text: g.statusText)
                for t in Targets.all {
                    macros.add(key + "/work-" + Targets.label(t), text: g.solved(t, in: p.defaultMeasure).map { ResultTables.workText($0.median, p.defaultMeasure) },
                               number: true)
                }
            }
        }
        files.append(("tables/tables.md", md))
        files.append(("tables/numbers.tex", macros.text))
        files.append(("timing/tables.md", timing))
        // The learning-rate sweeps (tables and plots from tuning.csv; no traces needed).
        if !set.tuning.isEmpty { files += TuningTables.derived(set.tuning, hash: set.hash, stems: stem) }
        // COCO's views: expected running times (ert.csv, tables/ert*) and runtime ECDFs (ecdf.csv, plots/ecdf*).
        files += ERTTables.files(problems, stems: stem, hash: set.hash, latexTargets: latexTargets)
        files += ECDFPlots.files(problems, hash: set.hash, plots: havePlots)

        // Plots (the page shows the work-axis convergence figures and the profiles).
        var convergence: [Figure] = []
        var profileFigures: [Figure] = []
        if havePlots {
            for p in problems {
                let name = stem[p.problem]!
                let kappa = set.conditionNumbers[p.problem]
                for (axis, folder, suffix) in [(ResultPlots.XAxis.work, "plots", ""), (.iterations, "plots", "-iterations"),
                                               (.time, "timing/plots", "-time")] {
                    var figure = ResultPlots.convergence(p, axis: axis, conditionNumber: kappa, hash: set.hash)
                    figure.bandMode = bands
                    if axis == .work { convergence.append(figure) }
                    files.append(("\(folder)/\(name)\(suffix).svg", SVG.render(figure)))
                    files.append(("\(folder)/\(name)\(suffix).tex", PGFPlots.render(figure)))
                }
            }
            let profiles = Profiles(problems, target: profileTarget)
            let bandMode = bands
            let bands = bootstrap.profileBands(profiles, target: profileTarget)
            files.append(("profiles.csv", profiles.csv(target: profileTarget, bands: bands)))
            profileFigures = [profiles.performanceFigure(target: profileTarget, hash: set.hash, bands: bands.performance),
                              profiles.dataFigure(target: profileTarget, hash: set.hash, bands: bands.data)]
            for i in profileFigures.indices { profileFigures[i].bandMode = bandMode }
            for (name, figure) in zip(["performance-profile", "data-profile"], profileFigures) {
                files.append(("plots/\(name).svg", SVG.render(figure)))
                files.append(("plots/\(name).tex", PGFPlots.render(figure)))
            }
        }
        // The example paper's captions are the figures' own: without traces it is kept as it is, like the plots.
        if havePlots {
            files += PaperKit.files(PaperKit.content(problems, stems: stem, standings: standings, convergence: convergence,
                                                     profiles: profileFigures))
        }
        if let metadata {
            files.append(("index.html", HTMLReport.page(set, problems: problems, overview: overview, tables: tables,
                                                        convergence: convergence, profiles: profileFigures, metadata: metadata)))
        }
        return files
    }
}

/// `tables/numbers.tex`: one macro per headline number, cited in prose as
/// `\DescentValue{rosenbrock/adam/work-1e-6}`. Numbers follow ``NumberFormat/value(_:)`` (set with
/// `\DescentNum`); text values (the hash, a status) are escaped text; a quantity without a value (a target
/// not every run reached, no final error) is `\DescentMissing` (an en dash unless redefined); a key that
/// does not exist stops LaTeX with an error naming it.
struct NumberMacros {
    private(set) var text: String
    private var keys = Set<String>()

    init(hash: String) {
        text = "% Generated by Descent (run \(hash)); regenerate with `suite report`.\n"
            + "% Cite a number as \\DescentValue{<problem>/<optimizer>/<quantity>}, e.g. \\DescentValue{hash}.\n"
            + "% Quantities: work-1e-k (work to f - f* <= 1e-k), final-error, status; overview/<optimizer>/rank,\n"
            + "% targets-reached, median-ratio. Keys keep letters, digits and .=,()+-/ of the labels; others become -.\n"
            + "% A quantity without a value (a target not every run reached; no final error) prints \\DescentMissing\n"
            + "% (default: an en dash); an unknown key is an error. Numbers are set with \\DescentNum{mantissa}{exponent}.\n"
            + LaTeX.numberMacro + LaTeX.missingMacro
            + "\\providecommand{\\DescentValue}[1]{\\ifcsname descent@#1\\endcsname\\csname descent@#1\\endcsname\\else\n"
            + "  \\PackageError{descent}{Unknown key `#1' in \\string\\DescentValue}{The keys are listed in tables/numbers.tex.}\\fi}\n"
        add("hash", text: hash)
    }

    /// A number (nil: no value, `\DescentMissing`).
    mutating func add(_ key: String, _ value: Double?) {
        add(key, text: value.map { NumberFormat.value($0) }, number: true)
    }

    /// A text value, or with `number` one already written by ``NumberFormat`` (nil: `\DescentMissing`).
    mutating func add(_ key: String, text value: String?, number: Bool = false) {
        let k = LaTeX.key(key)
        guard keys.insert(k).inserted else { return }
        let body = value.map { number ? LaTeX.number($0) : LaTeX.escape($0) } ?? "\\DescentMissing"
        text += "\\expandafter\\def\\csname descent@\(k)\\endcsname{\(body)}\n"
    }
}
