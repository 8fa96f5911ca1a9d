import ArgumentParser
import DescentCore
import DescentReport
import Foundation

/// `suite report DIR`: regenerate every table and plot of a results folder from its CSV files.
struct ReportCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Regenerate the tables, plots and profiles of a results folder from its CSV files, without rerunning."
    )

    @Argument(help: "A folder written by 'suite run' (default: Results).")
    var folder: String = "Results"

    @Option(name: .long, help: "The target f − f* of the performance and data profiles.")
    var profileTarget: Double = ReportFiles.defaultProfileTarget

    @Option(name: .long, help: ArgumentHelp("The target columns of the LaTeX per-problem tables, e.g. 1e-2,1e-6 (default 1e-1,1e-4,1e-8; Markdown, HTML and CSV keep every target).", valueName: "targets"))
    var latexTargets: String?

    @Flag(name: .long, help: "Also write index.html: one self-contained page with every table, plot, certificate and the provenance (documentation: Output files, The results page).")
    var html = false

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    @Option(name: .long, help: BandMode.help)
    var bands: String = BandMode.auto.rawValue

    func validate() throws {
        try ResultFolder.checkProfileTarget(profileTarget)
        _ = try ResultFolder.latexTargets(latexTargets)
        _ = try BandMode.option(bands)
    }

    func run() throws { try run(console: .standard) }

    mutating func run(registry: Registry, console: Console) throws { try run(console: console) }

    func run(console: Console) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SuiteError("\(folder) is not a folder (give a folder written by 'suite run')", exitCode: SuiteExitCode.usage)
        }
        // The lock first: a run writing this folder finishes before its files are read.
        let output = try OutputFolder(folder)
        let set = try ResultFolder.load(folder)
        // metadata.json exists (load read its hash); the page prints it as it is.
        let metadata = html ? FileManager.default.contents(atPath: folder + "/metadata.json").map { String(decoding: $0, as: UTF8.self) } ?? "" : nil
        let files = ReportFiles.derived(set, profileTarget: profileTarget, latexTargets: try ResultFolder.latexTargets(latexTargets),
                                        page: metadata, bands: try BandMode.option(bands))
        // Update, not replace: the data files stay, and plots that cannot be redrawn without traces are kept.
        let warnings = try output.publish(files, mode: .update)
        for w in warnings { console.err("warning: \(w)\n") }
        if !quiet && !files.contains(where: { $0.0.hasPrefix("plots/") && !$0.0.hasPrefix("plots/tuning-") }) {
            console.out("\(folder)/traces/ is missing: tables regenerated, plots left as they were (a run writes the traces).\n")
        }
        if !quiet {
            console.out("Regenerated \(files.count) files in \(folder)/ from \(set.records.count) run\(set.records.count == 1 ? "" : "s") (run \(set.hash)): "
                + "summary.md, tables/, plots/, profiles.csv, timing/\(html ? ", index.html" : "")\n")
        }
    }
}

extension BandMode {
    /// The `--bands` help.
    static let help = ArgumentHelp("Which uncertainty bands the plots draw: auto (only where at most \(Figure.autoBandLimit) lines have one), none or all.",
                                   valueName: "auto|none|all")

    /// The mode `--bands` names; a usage error (exit 64) naming the valid ones otherwise.
    static func option(_ text: String) throws -> BandMode {
        guard let mode = BandMode(rawValue: text) else {
            throw ValidationError("--bands must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
        }
        return mode
    }
}

/// `suite diff A B`: compare two results folders cell by cell; exit 1 when something moved beyond the seed spread.
struct DiffCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two results folders; exit 1 when a cell moved beyond the seed spread (a regression gate).",
        discussion: """
            Compared per (problem, optimizer, batch size): the status, whether each target was reached, the work to it,
            and the final f − f*. A number has moved when |a − b| > max(IQR_a, IQR_b) + rtol · max(|a|, |b|)
            (the interquartile range over seeds; 0 for a single seed). Times are never compared.
            With --strict, every deterministic file (CSV, Markdown, LaTeX, SVG; not timing/ or traces/) must also be
            byte-identical: the check CI runs against the committed Results/.
            """
    )

    @Argument(help: "The reference folder (e.g. the committed Results).")
    var reference: String

    @Argument(help: "The folder to check.")
    var candidate: String

    @Option(name: .long, help: "Relative tolerance added to the spread (default 1e-9).")
    var rtol: Double = 1e-9

    @Flag(name: .long, help: "Also require the deterministic files to be byte-identical.")
    var strict = false

    func validate() throws {
        guard rtol >= 0, rtol.isFinite else { throw ValidationError("--rtol must be a finite number >= 0, got \(rtol)") }
    }

    func run() throws { try run(console: .standard) }

    mutating func run(registry: Registry, console: Console) throws { try run(console: console) }

    func run(console: Console) throws {
        let a = try ResultFolder.load(reference, traces: false)
        let b = try ResultFolder.load(candidate, traces: false)
        var flagged = Diff.compare(a, b, rtol: rtol)
        if strict { flagged += Diff.files(reference, candidate) }
        if a.hash != b.hash { console.out("configurations differ: run \(a.hash) vs \(b.hash)\n") }
        if flagged.isEmpty {
            console.out("No differences beyond the spread: \(a.records.count) run\(a.records.count == 1 ? "" : "s") in \(reference), \(b.records.count) in \(candidate)"
                + (strict ? "; deterministic files identical" : "") + ".\n")
            return
        }
        console.out(flagged.map { "  " + $0 }.joined(separator: "\n") + "\n")
        throw SuiteError("\(flagged.count) difference\(flagged.count == 1 ? "" : "s") between \(reference) and \(candidate)",
                         exitCode: SuiteExitCode.failure)
    }
}

/// Cell-by-cell comparison of two result sets.
enum Diff {
    static func compare(_ a: ResultSet, _ b: ResultSet, rtol: Double) -> [String] {
        var out: [String] = []
        func groups(_ s: ResultSet) -> [(String, RunGroup, ProblemGroup)] {
            s.problems.flatMap { p in p.groups.map { (p.problem + " × " + ResultTables.rowLabel($0), $0, p) } }
        }
        let (ga, gb) = (groups(a), groups(b))
        let keysB = Set(gb.map(\.0))
        let keysA = Set(ga.map(\.0))
        for (key, _, _) in ga where !keysB.contains(key) { out.append("\(key): only in the reference") }
        for (key, _, _) in gb where !keysA.contains(key) { out.append("\(key): only in the candidate") }
        let byKey = Dictionary(gb.map { ($0.0, ($0.1, $0.2)) }, uniquingKeysWith: { x, _ in x })
        func moved(_ x: Spread, _ y: Spread) -> Bool {
            let spread = Swift.max(x.upper - x.lower, y.upper - y.lower)
            if x.median.isNaN || y.median.isNaN { return x.median.isNaN != y.median.isNaN }
            if x.median == y.median { return false }
            return Swift.abs(x.median - y.median) > spread + rtol * Swift.max(Swift.abs(x.median), Swift.abs(y.median))
        }
        for (key, g, p) in ga {
            guard let (h, q) = byKey[key] else { continue }
            if g.statusText != h.statusText { out.append("\(key): status \(g.statusText) → \(h.statusText)") }
            let measure = p.defaultMeasure
            for t in Targets.all {
                let (x, y) = (g.work(to: t, in: measure), h.work(to: t, in: q.defaultMeasure))
                if x.reached != y.reached {
                    out.append("\(key): \(Targets.label(t)) reached by \(x.reached)/\(x.total) → \(y.reached)/\(y.total)")
                } else if x.reached > 0, moved(Spread(x.values), Spread(y.values)) {
                    out.append("\(key): \(measure.rawValue) to \(Targets.label(t)) \(ResultTables.workText(Spread(x.values).median, measure)) → "
                        + ResultTables.workText(Spread(y.values).median, measure))
                }
            }
            if let x = g.finalError, let y = h.finalError, moved(x, y) {
                out.append("\(key): final error \(NumberFormat.scientific(x.median)) → \(NumberFormat.scientific(y.median))")
            }
        }
        return out
    }

    /// Deterministic files that differ or exist on one side only.
    static func files(_ a: String, _ b: String) -> [String] {
        let (fa, fb) = (deterministicFiles(a), deterministicFiles(b))
        var out: [String] = []
        for f in fa.union(fb).sorted() {
            if !fa.contains(f) { out.append("\(f): only in \(b)"); continue }
            if !fb.contains(f) { out.append("\(f): only in \(a)"); continue }
            if FileManager.default.contents(atPath: a + "/" + f) != FileManager.default.contents(atPath: b + "/" + f) {
                out.append("\(f): contents differ")
            }
        }
        return out
    }

    static func deterministicFiles(_ root: String) -> Set<String> {
        var out = Set<String>()
        let top = ["summary.csv", "targets.csv", "reference.csv", "summary.md", "profiles.csv", "effects.csv", "ecdf.csv", "ert.csv",
                   "tuning.csv", "tuning-cost.csv"]
        for f in top where FileManager.default.fileExists(atPath: root + "/" + f) { out.insert(f) }
        for folder in ["tables", "plots"] {
            guard let items = FileManager.default.enumerator(atPath: root + "/" + folder) else { continue }
            for case let item as String in items where item.hasSuffix(".md") || item.hasSuffix(".tex") || item.hasSuffix(".svg") {
                out.insert(folder + "/" + item)
            }
        }
        return out
    }
}
