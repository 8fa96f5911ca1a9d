import DescentCLI
import DescentCore
import DescentTestSupport
@testable import DescentReport
import Foundation
import Testing

/// What a hostile tester did to results folders (links, hand-made plans, edited journals, a deleted
/// lock), each of which broke a guarantee once; every test here failed before its fix.
@Suite("Hostile folders: links, plans, journals and locks", .serialized, .tags(.endToEnd))
struct HostileFolderTests {
    let small = ["--problem", "parabola", "--optimizer", "gd(lr=0.1)", "--quiet", "--no-cache"]

    func folder() throws -> String {
        let root = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    @Test("a .lock or .journal that links outside the folder is never followed")
    func links() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "precious".write(toFile: root + "/victim.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/out/.lock", withDestinationPath: root + "/victim.txt")
        #expect(suite(small + ["--output", root + "/out"]).code == 0)
        #expect(suite(["report", root + "/out", "--quiet"]).code == 0)
        #expect(try String(contentsOfFile: root + "/victim.txt", encoding: .utf8) == "precious")
        // A journal linked to another folder: refused, and nothing in that folder is touched.
        try FileManager.default.createDirectory(atPath: root + "/victim", withIntermediateDirectories: true)
        for name in ["work-important.txt", "notes.tmp-2024", "important.run"] {
            try "keep".write(toFile: root + "/victim/" + name, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: root + "/out2", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/out2/.journal", withDestinationPath: root + "/victim")
        let r = suite(small + ["--output", root + "/out2"])
        #expect(r.code == 64 && r.err.contains(".journal is not a folder the suite made"), "\(r.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/victim").sorted() == ["important.run", "notes.tmp-2024", "work-important.txt"])
    }

    @Test("a hand-made plan with linked staging or retired folders moves and deletes nothing outside")
    func linkedPlanFolders() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = root + "/out"
        #expect(suite(small + ["--output", out]).code == 0)
        try FileManager.default.createDirectory(atPath: root + "/victim/plots", withIntermediateDirectories: true)
        try "keep".write(toFile: root + "/victim/plots/precious.txt", atomically: true, encoding: .utf8)
        let plots = snapshot(out + "/plots")
        for (staging, retired) in [(".staging-1", ".retired-1"), (".staging-2", ".retired-2")] {
            if staging == ".staging-1" {
                try FileManager.default.createDirectory(atPath: out + "/" + staging + "/plots", withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: out + "/" + retired, withDestinationPath: root + "/victim")
            } else {
                try FileManager.default.createSymbolicLink(atPath: out + "/" + staging, withDestinationPath: root + "/victim")
            }
            try "descent-switch 1\nstaging \(staging)\nretired \(retired)\nput plots\nend\n".write(toFile: out + "/.switch", atomically: true, encoding: .utf8)
            let r = suite(["report", out, "--quiet"])
            #expect(r.code == 0, "\(r.err)")
            #expect(FileManager.default.fileExists(atPath: root + "/victim/plots/precious.txt"))
            #expect(snapshot(out + "/plots") == plots)
        }
        // A plan whose staging folder is gone (every real plan has it): ignored, the results stay.
        try "descent-switch 1\nstaging .staging-9\nretired .retired-9\nremove summary.csv\nremove metadata.json\nend\n"
            .write(toFile: out + "/.switch", atomically: true, encoding: .utf8)
        #expect(suite(["report", out, "--quiet"]).code == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/summary.csv"))
        // A regular file where the retired folder should be: the plan is ignored, not an error forever.
        try FileManager.default.createDirectory(atPath: out + "/.staging-5", withIntermediateDirectories: true)
        try "x".write(toFile: out + "/.retired-5", atomically: true, encoding: .utf8)
        try "descent-switch 1\nstaging .staging-5\nretired .retired-5\nput plots\nend\n".write(toFile: out + "/.switch", atomically: true, encoding: .utf8)
        #expect(suite(["report", out, "--quiet"]).code == 0)
        #expect(suite(["report", out, "--quiet"]).code == 0)
        // A user's own dot-folder is not a leftover.
        try FileManager.default.createDirectory(atPath: out + "/.staging-backup", withIntermediateDirectories: true)
        #expect(suite(["report", out, "--quiet"]).code == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/.staging-backup"))
    }

    @Test("an edited journal record is not reused: the run is redone")
    func editedJournal() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(suite(small + ["--output", out]).code == 0)
        let name = try #require(FileManager.default.contentsOfDirectory(atPath: out + "/.journal").first { $0.hasSuffix(".run") })
        let text = try String(contentsOfFile: out + "/.journal/" + name, encoding: .utf8)
        #expect(RunCodec.decode(text) != nil)
        let forged = text.replacingOccurrences(of: "\nf_final=", with: "\nf_final=1e-30\nignored=")
        #expect(RunCodec.decode(forged) == nil)
        try forged.write(toFile: out + "/.journal/" + name, atomically: true, encoding: .utf8)
        let r = suite(small + ["--output", out, "--resume"])
        #expect(r.code == 0 && !r.out.contains("reused"), "\(r.out)")
        #expect(try !String(contentsOfFile: out + "/summary.csv", encoding: .utf8).contains("1e-30"))
    }

    @Test("an edited instance file is another configuration: a run without --output does not replace the first one's results")
    func editedInstanceFile() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/Problems", withIntermediateDirectories: true)
        try "name = \"q\"\nfamily = \"quadratic\"\n[parameters]\nn = 4\nkappa = 10\n".write(toFile: root + "/Problems/q.toml", atomically: true, encoding: .utf8)
        let args = ["--problem", "q", "--optimizer", "gd", "--quiet", "--no-cache"]
        #expect(try runSuite(args, directory: root).code == 0)
        try "name = \"q\"\nfamily = \"quadratic\"\n[parameters]\nn = 4\nkappa = 1000\n".write(toFile: root + "/Problems/q.toml", atomically: true, encoding: .utf8)
        #expect(try runSuite(args, directory: root).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/Results/runs").count == 2)
    }

    @Test("a cache file inside the output folder is refused before any work")
    func cacheInsideOutput() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = suite(["--problem", "parabola", "--optimizer", "gd", "--quiet", "--output", out, "--cache", out + "/traces/refs.csv"])
        #expect(r.code == 64 && r.err.contains("is inside the output folder"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: out + "/traces"))
    }

    @Test("results without metadata.json are not another configuration's to replace without --replace")
    func deletedMetadata() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(suite(small + ["--output", out]).code == 0)
        try FileManager.default.removeItem(atPath: out + "/metadata.json")
        let r = suite(["--problem", "beale", "--optimizer", "gd", "--quiet", "--no-cache", "--output", out])
        #expect(r.code == 64 && r.err.contains("without their metadata.json"), "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: out + "/summary.csv"))
    }

    @Test("report and diff read a folder reached through a symbolic link")
    func linkedFolder() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/real")
        #expect(suite(small + ["--output", root + "/link"]).code == 0)
        let r = suite(["report", root + "/link", "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        #expect(suite(["diff", root + "/link", root + "/real", "--strict"]).code == 0)
    }

    @Test("a trace that is not trace rows is named, not quoted; an oversized manifest is refused unread")
    func noQuoting() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(suite(small + ["--output", out]).code == 0)
        let trace = try #require(FileManager.default.subpaths(atPath: out + "/traces")?.first { $0.hasSuffix(".csv") })
        let header = CSV.traceColumns.joined(separator: ",") + "\n"
        for text in [header + "daemon:*:19000:0:99999:7:::\n", "daemon:*:19000:0:99999:7:::\n"] {
            try rewriteResult(out, "traces/" + trace, text)
            let r = suite(["report", out, "--quiet"])
            #expect(r.code == 64 && (r.err.contains("is not a trace row") || r.err.contains("trace header")) && !r.err.contains("daemon"), "\(r.err)")
        }
        let big = FileHandle(forWritingAtPath: out + "/manifest.csv")!
        big.truncateFile(atOffset: UInt64(33 << 20))
        big.closeFile()
        let m = suite(["report", out, "--quiet"])
        #expect(m.code == 64 && m.err.contains("over the 32 MiB"), "\(m.err)")
    }

    @Test("a deleted .lock does not let a second suite in: the lock is on the folder")
    func deletedLock() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let args = ["--problem", "parabola", "--optimizer", "gd(lr=0.1)", "--optimizer", "fault(mode=hang)", "--output", out,
                    "--quiet", "--no-cache", "--time-limit", "1.5"]
        let first = try SuiteProcess(args)
        waitForLock(out, by: first)
        unlink(out + "/.lock")
        let second = try runSuite(args + ["--replace"])
        #expect(second.code == 75, "\(second.err)")
        let done = try first.finish()
        #expect(done.code == 0, "\(done.err)")
        #expect(try summaryRows(out)["gd(lr=0.1)"]?[5] == "converged")
    }
}
