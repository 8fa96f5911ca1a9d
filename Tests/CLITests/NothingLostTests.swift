@testable import DescentCLI
import DescentCore
import DescentTestSupport
@testable import DescentReport
import Foundation
import Testing

/// Every file under `folder` (hidden ones included) with its bytes, by relative path.
func snapshot(_ folder: String) -> [String: Data] {
    var out: [String: Data] = [:]
    for case let item as String in FileManager.default.enumerator(atPath: folder) ?? FileManager.DirectoryEnumerator() {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder + "/" + item, isDirectory: &isDirectory), !isDirectory.boolValue {
            out[item] = FileManager.default.contents(atPath: folder + "/" + item)
        }
    }
    return out
}

/// Waits (up to 30 s) until `running` holds the lock of `folder` (its PID is in `.lock`), however loaded the machine.
func waitForLock(_ folder: String, by running: SuiteProcess) {
    let deadline = Date().addingTimeInterval(30)
    let pid = "\(running.process.processIdentifier)"
    while Date() < deadline {
        if let text = try? String(contentsOfFile: folder + "/.lock", encoding: .utf8), text.hasPrefix(pid + "\n") { return }
        Thread.sleep(forTimeInterval: 0.05)
    }
}

/// The folder's items whose names start with a dot, sorted (.journal, .lock, and any leftover).
func hiddenItems(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(".") }.sorted()
}

@Suite("Nothing lost: default output, replacing, locks, switches", .serialized, .tags(.endToEnd))
struct NothingLostTests {
    let small = ["--problem", "parabola", "--optimizer", "gd(lr=0.1)", "--quiet", "--no-cache"]

    @Test("a run without --output never touches Results/: it writes Results/runs/HASH; suite reference writes its own folder")
    func defaultOutput() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // Results/ as a clone has it: a headline folder, plus files the suite did not write.
        #expect(try runSuite(small + ["--output", "Results"], directory: root).code == 0)
        try "notes".write(toFile: root + "/Results/README.md", atomically: true, encoding: .utf8)
        let before = snapshot(root + "/Results")
        let r = try runSuite(["--problem", "rosenbrock", "--optimizer", "adam", "--optimizer", "momentum", "--quiet", "--no-cache"],
                             directory: root)
        #expect(r.code == 0, "\(r.err)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: root + "/Results/runs")
        #expect(runs.count == 1 && runs[0].count == 8)
        #expect(r.out.contains("Results/runs/\(runs[0])/"))
        #expect(try String(contentsOfFile: root + "/Results/runs/\(runs[0])/summary.csv", encoding: .utf8).contains("rosenbrock,2,adam,"))
        var after = snapshot(root + "/Results")
        after = after.filter { !$0.key.hasPrefix("runs/") }
        #expect(after == before)
        // The same command again goes to the same folder (same configuration).
        #expect(try runSuite(["--problem", "rosenbrock", "--optimizer", "adam", "--optimizer", "momentum", "--quiet", "--no-cache"],
                             directory: root).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/Results/runs").count == 1)
        // suite reference: its own folder by default; a run's folder is another configuration.
        let reference = try runSuite(["reference", "--problem", "rosenbrock", "--no-cache"], directory: root)
        #expect(reference.code == 0, "\(reference.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/Results/runs").contains { $0.hasPrefix("reference-") })
        let into = try runSuite(["reference", "--problem", "rosenbrock", "--no-cache", "--output", "Results"], directory: root)
        #expect(into.code == 64 && into.err.contains("another configuration"), "\(into.err)")
        // (.lock holds the PID of the last command that took it.)
        #expect(snapshot(root + "/Results").filter { !$0.key.hasPrefix("runs/") && $0.key != ".lock" } == before.filter { $0.key != ".lock" })
    }

    @Test("suite report without traces/ keeps the plots and says so; in a clone it deletes nothing")
    func reportKeepsPlots() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(suite(small + ["--problem", "rosenbrock", "--output", out]).code == 0)
        try FileManager.default.removeItem(atPath: out + "/traces")
        let plots = snapshot(out + "/plots")
        #expect(plots.count > 4)
        let r = suite(["report", out])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("plots left as they were"))
        #expect(snapshot(out + "/plots") == plots)
        // And the manifest still lists them: a second report keeps them too.
        #expect(suite(["report", out, "--quiet"]).code == 0)
        #expect(snapshot(out + "/plots") == plots)
    }

    @Test("an interrupted rerun leaves the complete results and the journal as they were")
    func interruptedRerun() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let args = ["--problem", "parabola", "--problem", "beale", "--optimizer", "gd(lr=0.1)", "--optimizer", "fault(mode=hang)",
                    "--output", out, "--quiet", "--no-cache", "--jobs", "1", "--time-limit", "1"]
        let first = try runSuite(args)
        #expect(first.code == 0, "\(first.err)")
        let summary = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8)
        let journal = snapshot(out + "/.journal")
        #expect(journal.count == 4)
        // The same command without --resume, stopped while its hanging run is in its worker (whose scratch
        // files appear in the journal), so that the suite has its signal handlers, however loaded the machine.
        let running = try SuiteProcess(args)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !((try? FileManager.default.contentsOfDirectory(atPath: out + "/.journal")) ?? []).contains(where: { $0.hasPrefix("work-") }) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        running.process.terminate()
        let again = try running.finish()
        #expect(again.code == 130)
        #expect(again.err.contains("still holds the complete results"), "\(again.err)")
        #expect(try String(contentsOfFile: out + "/summary.csv", encoding: .utf8) == summary)
        #expect(Set(snapshot(out + "/.journal").keys).isSuperset(of: journal.keys))
    }

    @Test("two suites on one folder: the second stops at once with exit 75, the first completes")
    func lock() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let args = ["--problem", "parabola", "--optimizer", "gd(lr=0.1)", "--optimizer", "fault(mode=hang)", "--output", out,
                    "--quiet", "--no-cache", "--time-limit", "1.5"]
        let first = try SuiteProcess(args)
        waitForLock(out, by: first)
        let second = try runSuite(args)
        #expect(second.code == 75)
        #expect(second.err.contains("another suite (PID \(first.process.processIdentifier)) is writing"), "\(second.err)")
        let done = try first.finish()
        #expect(done.code == 0, "\(done.err)")
        let rows = try summaryRows(out)
        #expect(rows["gd(lr=0.1)"]?[5] == "converged" && rows["fault(mode=hang)"]?[5] == "timeout")
    }

    @Test("replacing a tuned run's folder leaves none of its files behind (tuning.csv, index.html)")
    func nothingStale() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(suite(["--problem", "rosenbrock", "--optimizer", "gd", "--tune", "--quiet", "--no-cache", "--output", out]).code == 0)
        #expect(suite(["report", out, "--html", "--quiet"]).code == 0)
        for f in ["tuning.csv", "tuning-cost.csv", "index.html", "tables/tuning.md"] { #expect(FileManager.default.fileExists(atPath: out + "/" + f)) }
        #expect(suite(small + ["--output", out, "--replace"]).code == 0)
        for f in ["tuning.csv", "tuning-cost.csv", "index.html", "tables/tuning.md", "traces/rosenbrock"] {
            #expect(!FileManager.default.fileExists(atPath: out + "/" + f), "\(f)")
        }
        let manifest = try Manifest(parsing: String(contentsOfFile: out + "/manifest.csv", encoding: .utf8))
        #expect(Set(snapshot(out).keys.filter { !$0.hasPrefix(".") && $0 != "manifest.csv" }) == manifest.paths)
    }

    @Test("a file the suite did not write stops a replacing run; nothing changes")
    func foreignFiles() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(suite(small + ["--output", out]).code == 0)
        try "mine".write(toFile: out + "/plots/mine.txt", atomically: true, encoding: .utf8)
        let before = snapshot(out)
        let r = suite(["--problem", "rosenbrock", "--optimizer", "gd", "--quiet", "--no-cache", "--output", out, "--replace"])
        #expect(r.code == 64 && r.err.contains("plots/mine.txt") && r.err.contains("did not write"), "\(r.err)")
        #expect(snapshot(out) == before)
    }

    @Test("a command killed in the middle of its folder switch is completed by the next one; leftovers are removed")
    func killedSwitch() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (out, clean) = (root + "/out", root + "/clean")
        #expect(try runSuite(small + ["--output", out]).code == 0)
        let b = ["--problem", "rosenbrock", "--optimizer", "gd", "--optimizer", "adam", "--quiet", "--no-cache", "--isolation", "none"]
        #expect(try runSuite(b + ["--output", clean]).code == 0)
        let killed = try runSuite(b + ["--output", out, "--replace"], environment: ["DESCENT_FAULT_KILL_IN_SWITCH": "1"])
        #expect(killed.code == SIGKILL)
        #expect(hiddenItems(out).contains(".switch"))
        // Debris of other killed commands.
        try FileManager.default.createDirectory(atPath: out + "/.staging-999999/traces", withIntermediateDirectories: true)
        try "x".write(toFile: out + "/.retired-999998", atomically: true, encoding: .utf8)
        let report = suite(["report", out, "--quiet"])
        #expect(report.code == 0, "\(report.err)")
        #expect(hiddenItems(out) == [".journal", ".lock"])
        #expect(suite(["diff", clean, out, "--strict"]).code == 0)
        #expect(try Metadata.read(folder: out).hash == Metadata.read(folder: clean).hash)
        #expect(!FileManager.default.fileExists(atPath: out + "/traces/parabola"))
    }

    @Test("a hand-made switch plan cannot move or delete anything but the suite's own items")
    func handMadePlan() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(suite(small + ["--output", out]).code == 0)
        try "mine".write(toFile: out + "/README.md", atomically: true, encoding: .utf8)
        for plan in ["descent-switch 1\nstaging .staging-1\nretired .retired-1\nremove README.md\nend\n",
                     "descent-switch 1\nstaging .staging-1\nretired ..\nremove summary.csv\nend\n",
                     "descent-switch 1\nstaging ../x\nretired .retired-1\nput summary.csv\nend\n"] {
            try plan.write(toFile: out + "/.switch", atomically: true, encoding: .utf8)
            let before = snapshot(out).filter { $0.key != ".lock" && $0.key != ".switch" }
            let r = suite(["report", out, "--quiet"])
            #expect(r.code == 0, "\(r.err)")
            #expect(FileManager.default.fileExists(atPath: out + "/README.md") && FileManager.default.fileExists(atPath: out + "/summary.csv"))
            #expect(Set(snapshot(out).keys).isSuperset(of: before.keys.filter { !$0.hasPrefix("tables") && !$0.hasPrefix("plots") }))
            #expect(!FileManager.default.fileExists(atPath: out + "/.switch"))
        }
    }

    @Test("labels that map to one file name get distinct files; a label too long for a file name gets a bounded one")
    func labelFiles() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let long = root + "/" + String(repeating: "d", count: 120) + "/" + String(repeating: "e", count: 120)
        try FileManager.default.createDirectory(atPath: long, withIntermediateDirectories: true)
        let start = [1.5, -0.5].withUnsafeBytes { Data($0) }
        for name in [root + "/a:b.bin", root + "/a_b.bin", long + "/x.bin"] { try start.write(to: URL(fileURLWithPath: name)) }
        let labels = ["rosenbrock(start_file=\(root)/a:b.bin)", "rosenbrock(start_file=\(root)/a_b.bin)",
                      "rosenbrock(start_file=\(long)/x.bin)"]
        let out = root + "/out"
        let r = suite(labels.flatMap { ["--problem", $0] } + ["--optimizer", "gd", "--quiet", "--no-cache", "--output", out])
        #expect(r.code == 0, "\(r.err)")
        let tables = try FileManager.default.contentsOfDirectory(atPath: out + "/tables").filter { $0.hasPrefix("rosenbrock") }
        #expect(tables.count == 3, "\(tables)")
        #expect(tables.allSatisfy { $0.utf8.count <= ReportFiles.maxStem + 4 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/traces").count == 3)
        #expect(suite(["report", out, "--quiet"]).code == 0)
        // An optimizer label over 255 bytes (a long chain) gets a bounded trace name; the run is written.
        let chain = (1...25).map { " + clip(norm=\($0).5)" }.joined()
        let chained = suite(["--problem", "parabola", "--optimizer", "gd" + chain, "--max-iterations", "50", "--quiet", "--no-cache",
                             "--output", root + "/long"])
        #expect(chained.code == 0, "\(chained.err)")
        let traces = try FileManager.default.contentsOfDirectory(atPath: root + "/long/traces/parabola")
        #expect(traces.count == 1 && traces[0].utf8.count <= ReportFiles.maxStem + 4, "\(traces)")
        let stems = ReportFiles.stems(labels)
        #expect(Set(stems.values).count == 3)
        #expect(ReportFiles.stems(["rosenbrock", "quadratic(n=8)"]) == ["rosenbrock": "rosenbrock", "quadratic(n=8)": "quadratic_n=8"])
    }

    @Test("--resume reuses only runs of the identical configuration: not a timeout under another time limit")
    func resumeSameConfiguration() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let args = ["--problem", "extended-rosenbrock(n=20000)", "--optimizer", "gd", "--max-iterations", "3000", "--quiet", "--no-cache",
                    "--output", out]
        #expect(suite(args + ["--time-limit", "0.01"]).code == 0)
        #expect(try summaryRows(out)["gd"]?[5] == "timeout")
        let refused = suite(args + ["--resume"])
        #expect(refused.code == 64 && refused.err.contains("another configuration"), "\(refused.err)")
        let rerun = suite(args + ["--resume", "--replace"])
        #expect(rerun.code == 0, "\(rerun.err)")
        #expect(!rerun.out.contains("reused"))
        #expect(try summaryRows(out)["gd"]?[5] == "max_iterations")
    }

    @Test("--resume after a data file changed redoes the runs: summary.csv and reference.csv agree")
    func resumeChangedData() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        func data(_ scale: Double) -> String {
            "a,b,y\n" + (0..<40).map { i in
                let (a, b) = (Double(i % 7) - 3, Double(i % 5) * 0.5)
                return "\(a),\(b),\(scale * (2 * a - b) + Double(i % 3) * 0.1)"
            }.joined(separator: "\n") + "\n"
        }
        try data(1).write(toFile: root + "/d.csv", atomically: true, encoding: .utf8)
        let args = ["--problem", "least-squares-data(data=\(root)/d.csv,target=y)", "--optimizer", "gd", "--optimizer", "adam",
                    "--quiet", "--cache", root + "/cache.csv", "--output", root + "/out"]
        #expect(suite(args).code == 0)
        let before = try summaryRows(root + "/out")["gd"]![13]
        try data(3).write(toFile: root + "/d.csv", atomically: true, encoding: .utf8)
        // Other data: another configuration (its hash holds the data's bytes), refused without --replace.
        let refused = suite(args + ["--resume"])
        #expect(refused.code == 64 && refused.err.contains("another configuration"), "\(refused.err)")
        let resumed = suite(args + ["--resume", "--replace"])
        #expect(resumed.code == 0, "\(resumed.err)")
        #expect(!resumed.out.contains("reused"), "\(resumed.out)")
        let rows = try summaryRows(root + "/out")
        let reference = try String(contentsOfFile: root + "/out/reference.csv", encoding: .utf8).split(separator: "\n")[1]
        let fStar = csvFields(reference)[2]
        #expect(rows["gd"]![13] == fStar && rows["adam"]![13] == fStar && fStar != before, "\(fStar) \(before)")
        // Unchanged data: everything is reused.
        #expect(suite(args + ["--resume"]).out.contains("(2 reused from an earlier invocation)"))
    }

    @Test("a journal record cut anywhere, even at a line boundary, is not read back")
    func cutJournalRecord() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(suite(small + ["--output", out, "--log-every", "5"]).code == 0)
        let file = try #require(FileManager.default.contentsOfDirectory(atPath: out + "/.journal").first { $0.hasSuffix(".run") })
        let text = try String(contentsOfFile: out + "/.journal/" + file, encoding: .utf8)
        #expect(RunCodec.decode(text) != nil)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for k in 1..<(lines.count - 1) {
            #expect(RunCodec.decode(lines.prefix(k).joined(separator: "\n") + "\n") == nil, "cut after line \(k)")
        }
    }

    @Test("a run interrupted after its last run finished says the results are complete, and they are")
    func interruptedAtTheEnd() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try runSuite(small + ["--problem", "beale", "--output", out], environment: ["DESCENT_FAULT_SIGINT_BEFORE_WRITE": "1"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("Interrupted after every run had finished: the results are complete") && !r.err.contains("--resume"))
        #expect(try String(contentsOfFile: out + "/summary.csv", encoding: .utf8).split(separator: "\n").count == 3)
        #expect(try String(contentsOfFile: out + "/metadata.json", encoding: .utf8).contains("\"complete\" : true"))
    }

    @Test("Markdown shows labels as text: no raw HTML, no broken cells")
    func markdownEscaping() {
        #expect(Markdown.escape("f(x=<img src=x onerror=alert(1)>)|a&b\nc") == "f(x=&lt;img src=x onerror=alert(1)&gt;)\\|a&amp;b c")
    }
}
