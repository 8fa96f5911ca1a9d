import DescentCLI
import DescentCore
import DescentReport
import Foundation
import Testing

/// `report`, `diff` and `merge` read what a run wrote; damaged or hostile data are refused with the
/// file and what is wrong (exit 64), never published as numbers.
@Suite("Damaged data: report and diff refuse what the suite did not write", .serialized)
struct DamagedDataTests {
    /// A fresh results folder of 2 problems × 2 optimizers, and a function that runs `report` and `diff` on
    /// it after `damage` and returns both results.
    func check(_ damage: (String) throws -> Void) throws -> (report: (code: Int32, out: String, err: String),
                                                             diff: (code: Int32, out: String, err: String)) {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let args = ["--problem", "rosenbrock", "--problem", "beale", "--optimizer", "gd", "--optimizer", "adam", "--quiet", "--no-cache"]
        #expect(suite(args + ["--output", root + "/a"]).code == 0)
        try FileManager.default.copyItem(atPath: root + "/a", toPath: root + "/b")
        try damage(root + "/b")
        let before = snapshot(root + "/b")
        let report = suite(["report", root + "/b", "--quiet"])
        let diff = suite(["diff", root + "/a", root + "/b"])
        if report.code != 0 {
            #expect(snapshot(root + "/b").filter { $0.key != ".lock" } == before.filter { $0.key != ".lock" }, "a refused report wrote")
        }
        return (report, diff)
    }

    /// Makes `folder` look like one written before manifests: no manifest.csv, no `complete` key in metadata.json.
    func makeLegacy(_ folder: String) throws {
        try FileManager.default.removeItem(atPath: folder + "/manifest.csv")
        let metadata = try String(contentsOfFile: folder + "/metadata.json", encoding: .utf8)
        try metadata.replacingOccurrences(of: "  \"complete\" : true,\n", with: "").write(toFile: folder + "/metadata.json", atomically: true, encoding: .utf8)
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test("a duplicated summary row is refused, with or without the manifest")
    func duplicatedRows() throws {
        for keepManifest in [true, false] {
            let r = try check { folder in
                let l = try lines(folder + "/summary.csv")
                let text = (l + [l[1]]).joined(separator: "\n") + "\n"
                if keepManifest { try rewriteResult(folder, "summary.csv", text) } else {
                    try makeLegacy(folder)
                    try text.write(toFile: folder + "/summary.csv", atomically: true, encoding: .utf8)
                }
            }
            #expect(r.report.code == 64 && r.report.err.contains("two rows"), "\(r.report.err)")
            #expect(r.diff.code == 64 && r.diff.err.contains("two rows"), "\(r.diff.err)")
        }
    }

    @Test("summary.csv or targets.csv cut at a line boundary is refused, with or without the manifest", arguments: ["summary.csv", "targets.csv"])
    func cutFiles(file: String) throws {
        for keepManifest in [true, false] {
            let r = try check { folder in
                if !keepManifest { try makeLegacy(folder) }
                let l = try lines(folder + "/" + file)
                try (l.dropLast(file == "summary.csv" ? 1 : 3).joined(separator: "\n") + "\n")
                    .write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
            }
            #expect(r.report.code == 64, "\(r.report.out)")
            #expect(r.report.err.contains(keepManifest ? "\(file) has" : "targets.csv"), "\(r.report.err)")
            #expect(r.diff.code == 64)
        }
    }

    @Test("a folder this version wrote whose manifest.csv was deleted is refused: its data cannot be checked")
    func deletedManifest() throws {
        let r = try check { folder in
            try FileManager.default.removeItem(atPath: folder + "/manifest.csv")
        }
        #expect(r.report.code == 64 && r.report.err.contains("manifest.csv is missing"), "\(r.report.err)")
        #expect(r.diff.code == 64 && r.diff.err.contains("manifest.csv is missing"), "\(r.diff.err)")
    }

    @Test("a negative evaluation count is refused")
    func negativeCount() throws {
        let r = try check { folder in
            var l = try lines(folder + "/summary.csv")
            var fields = l[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[7] = "-5"
            l[1] = fields.joined(separator: ",")
            try rewriteResult(folder, "summary.csv", l.joined(separator: "\n") + "\n")
        }
        #expect(r.report.code == 64 && r.report.err.contains("gradient_evaluations is not an integer >= 0"), "\(r.report.err)")
    }

    @Test("a deleted trace is named, not silently left out of a plot")
    func deletedTrace() throws {
        let r = try check { folder in try FileManager.default.removeItem(atPath: folder + "/traces/beale/adam.csv") }
        #expect(r.report.code == 64 && r.report.err.contains("traces/beale/adam.csv is missing"), "\(r.report.err)")
    }

    @Test("a trace path outside the folder is refused and never opened", arguments: ["../../../../etc/passwd", "/etc/passwd", "traces/../../x.csv"])
    func traceOutside(path: String) throws {
        let r = try check { folder in
            let text = try String(contentsOfFile: folder + "/summary.csv", encoding: .utf8)
            try rewriteResult(folder, "summary.csv", text.replacingOccurrences(of: "traces/beale/adam.csv", with: path))
        }
        #expect(r.report.code == 64 && r.report.err.contains("is not a path under traces/"), "\(r.report.err)")
        #expect(!r.report.err.contains("root:") && !r.report.out.contains("root:"))
    }

    @Test("a trace that is a symbolic link out of the folder is refused")
    func traceSymlink() throws {
        let r = try check { folder in
            try FileManager.default.removeItem(atPath: folder + "/traces/beale/adam.csv")
            try FileManager.default.createSymbolicLink(atPath: folder + "/traces/beale/adam.csv", withDestinationPath: "/etc/passwd")
        }
        #expect(r.report.code == 64 && r.report.err.contains("not a file inside the folder"), "\(r.report.err)")
        #expect(!r.report.err.contains("root:"))
    }

    @Test("an edited data file is refused: the manifest's size and hash")
    func editedFile() throws {
        let r = try check { folder in
            let text = try String(contentsOfFile: folder + "/reference.csv", encoding: .utf8)
            try text.replacingOccurrences(of: "rosenbrock,2,0.0,analytic", with: "rosenbrock,2,-5.0,analytic")
                .write(toFile: folder + "/reference.csv", atomically: true, encoding: .utf8)
        }
        #expect(r.report.code == 64 && r.report.err.contains("reference.csv"), "\(r.report.err)")
    }

    @Test("a byte-order mark and CRLF line ends (a spreadsheet's save) are read as the same file")
    func byteOrderMark() throws {
        let r = try check { folder in
            let text = try String(contentsOfFile: folder + "/summary.csv", encoding: .utf8)
            try rewriteResult(folder, "summary.csv", "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n"))
        }
        #expect(r.report.code == 0, "\(r.report.err)")
        #expect(r.diff.code == 0, "\(r.diff.out)")
    }
}
