import DescentCLI
import DescentCore
import DescentTestSupport
import Foundation
import Testing

/// The `suite` executable built beside the test bundle (swift build --build-tests builds it).
let suiteExecutable: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
    while folder.path != "/" && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("suite").path) {
        folder = folder.deletingLastPathComponent()
    }
    return folder.appendingPathComponent("suite").path
}()

/// The real `suite` binary started as a child process with fault injection enabled, in `directory`
/// (default: this process's) with `environment` added; ``finish()`` waits and returns what it printed.
struct SuiteProcess {
    let process = Process()
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("descent-out-\(UUID().uuidString)")
    let err = FileManager.default.temporaryDirectory.appendingPathComponent("descent-err-\(UUID().uuidString)")

    init(_ arguments: [String], directory: String? = nil, environment extra: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: suiteExecutable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["DESCENT_FAULT_INJECTION"] = "1"
        environment.removeValue(forKey: "DESCENT_WORKER")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
    }

    func finish() throws -> (code: Int32, out: String, err: String) {
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        return (process.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
    }
}

/// Runs the real `suite` binary as a child process with fault injection enabled (``SuiteProcess``),
/// sending SIGTERM after `terminateAfter` seconds if given.
func runSuite(_ arguments: [String], terminateAfter: Double? = nil, directory: String? = nil,
              environment: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
    let running = try SuiteProcess(arguments, directory: directory, environment: environment)
    if let delay = terminateAfter {
        Thread.sleep(forTimeInterval: delay)
        running.process.terminate()
    }
    return try running.finish()
}

/// The fields of one RFC 4180 CSV line (quoted fields may contain commas and doubled quotes).
func csvFields<S: StringProtocol>(_ line: S) -> [String] {
    var fields: [String] = [], field = "", quoted = false, previousQuote = false
    for c in line {
        if quoted {
            if c == "\"" { quoted = false; previousQuote = true } else { field.append(c) }
        } else if c == "\"" {
            if previousQuote { field.append("\"") }
            quoted = true
            previousQuote = false
        } else if c == "," {
            fields.append(field); field = ""; previousQuote = false
        } else {
            field.append(c); previousQuote = false
        }
    }
    fields.append(field)
    return fields
}

func summaryRows(_ folder: String) throws -> [String: [String]] {
    let text = try String(contentsOfFile: folder + "/summary.csv", encoding: .utf8)
    var rows: [String: [String]] = [:]
    for line in text.split(separator: "\n").dropFirst() {
        let f = csvFields(line)
        rows[f[2]] = f
    }
    return rows
}

@Suite("Reliability: isolation, time limits, resume, signals", .serialized, .tags(.endToEnd))
struct ReliabilityTests {
    @Test("a trapping optimizer is recorded as crashed with its signal; the other runs complete", arguments: ["trap", "stack"])
    func crash(mode: String) throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = try runSuite(["--problem", "parabola", "--optimizer", "gd(lr=0.1)", "--optimizer", "fault(mode=\(mode))",
                              "--optimizer", "momentum(lr=0.1)", "--output", output, "--quiet", "--no-cache"])
        #expect(r.code == 0, "\(r.err)")
        let rows = try summaryRows(output)
        let fault = try #require(rows["fault"] ?? rows["fault(mode=\(mode))"])  // trap is the default mode
        #expect(fault[5] == "crashed")
        #expect(fault[16].contains(mode == "trap" ? "SIGILL" : "SIGSEGV"), "\(fault[16])")
        if mode == "trap" { #expect(fault[16].contains("injected fault at step 4")) }  // after = 3 steps
        #expect(rows["gd(lr=0.1)"]?[5] == "converged" && rows["momentum(lr=0.1)"]?[5] == "converged")
    }

    @Test("a hanging optimizer is killed at the time limit and recorded as timeout with its last row")
    func hang() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let started = Date()
        let r = try runSuite(["--problem", "parabola", "--optimizer", "fault(mode=hang)", "--optimizer", "gd(lr=0.1)",
                              "--time-limit", "0.5", "--log-every", "1", "--output", output, "--quiet", "--no-cache"])
        #expect(r.code == 0, "\(r.err)")
        #expect(Date().timeIntervalSince(started) < 10)
        let rows = try summaryRows(output)
        let fault = try #require(rows["fault(mode=hang)"])
        #expect(fault[5] == "timeout" && fault[6] == "3", "\(fault)")  // the last streamed row is iteration 3
        #expect(rows["gd(lr=0.1)"]?[5] == "converged")
    }

    @Test("NaN written by an optimizer is a divergence, in process and in a worker", arguments: ["none", "process"])
    func nan(isolation: String) throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = try runSuite(["--problem", "parabola", "--optimizer", "fault(mode=nan)", "--isolation", isolation,
                              "--output", output, "--quiet", "--no-cache"])
        #expect(r.code == 0, "\(r.err)")
        let fault = try #require(try summaryRows(output)["fault(mode=nan)"])
        #expect(fault[5] == "diverged" && fault[6] == "4")  // NaN written in step 4, seen at iterate 4
    }

    @Test("μ and L from the certificate reach a worker process as they reach an in-process run; skipped without them")
    func curvature() throws {
        var summaries: [String] = []
        for isolation in ["none", "process"] {
            let output = try temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: output) }
            let r = try runSuite(["--problem", "quadratic(n=8,kappa=50)", "--problem", "rosenbrock", "--optimizer", "nag",
                                  "--optimizer", "heavy-ball", "--isolation", isolation, "--output", output, "--quiet", "--no-cache"])
            #expect(r.code == 0, "\(r.err)")
            let rows = try String(contentsOfFile: output + "/summary.csv", encoding: .utf8)
            #expect(rows.contains(",nag,0,,converged,") && rows.contains(",heavy-ball,0,,converged,"))
            #expect(rows.contains("rosenbrock,2,nag,0,,skipped,"))
            summaries.append(rows)
        }
        #expect(summaries[0] == summaries[1])
    }

    @Test("--resume reuses finished runs and gives the same tables")
    func resume() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let args = ["--problem", "rosenbrock", "--problem", "beale", "--optimizer", "gd", "--optimizer", "adam",
                    "--output", output, "--quiet", "--no-cache"]
        let first = try runSuite(args)
        #expect(first.code == 0)
        let before = try String(contentsOfFile: output + "/summary.csv", encoding: .utf8)
        let second = try runSuite(args + ["--resume"])
        #expect(second.code == 0)
        #expect(second.out.contains("(4 reused from an earlier invocation)"))
        #expect(try String(contentsOfFile: output + "/summary.csv", encoding: .utf8) == before)
    }

    @Test("SIGTERM stops cleanly: finished runs are written, exit 130, and --resume does the rest")
    func terminate() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let args = ["--problem", "parabola", "--problem", "beale", "--optimizer", "gd(lr=0.1)", "--optimizer", "fault(mode=hang)",
                    "--output", output, "--quiet", "--no-cache", "--jobs", "1", "--time-limit", "2"]
        // parabola × gd finishes at once; parabola × fault hangs in its worker until SIGTERM reaches the
        // parent (before the time limit), which forwards it and kills the stuck worker after the grace period.
        let r = try runSuite(args, terminateAfter: 1.5)
        #expect(r.code == 130, "\(r.err)")
        #expect(r.err.contains("--resume"))
        let rows = try summaryRows(output)
        #expect(rows.count == 1 && rows["gd(lr=0.1)"]?[5] == "converged")
        // Partial results say so at the top of every Markdown file, and in metadata.json.
        for file in ["tables/tables.md", "summary.md"] {
            #expect(try String(contentsOfFile: output + "/" + file, encoding: .utf8).contains("**Incomplete: the run was interrupted"), "\(file)")
        }
        #expect(try String(contentsOfFile: output + "/metadata.json", encoding: .utf8).contains("\"complete\" : false"))
        // Resuming the same command reuses parabola × gd; the hang now ends at the time limit.
        let resumed = try runSuite(args + ["--resume"])
        #expect(resumed.code == 0, "\(resumed.err)")
        #expect(resumed.out.contains("(1 reused from an earlier invocation)"))
        #expect(try summaryRows(output).count == 2)
        #expect(try !String(contentsOfFile: output + "/tables/tables.md", encoding: .utf8).contains("Incomplete"))
    }

    @Test("process isolation gives the same results as in-process runs")
    func sameResults() throws {
        let a = try temporaryFolder(), b = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let args = ["--problem", "logistic(samples=60)", "--problem", "bard", "--optimizer", "adam", "--optimizer", "newton",
                    "--optimizer", "gsl-bfgs2", "--quiet", "--no-cache"]
        #expect(try runSuite(args + ["--isolation", "none", "--output", a]).code == 0)
        #expect(try runSuite(args + ["--isolation", "process", "--output", b]).code == 0)
        #expect(withoutTimeColumn(try String(contentsOfFile: a + "/summary.csv", encoding: .utf8))
            == withoutTimeColumn(try String(contentsOfFile: b + "/summary.csv", encoding: .utf8)))
    }

    @Test("an output folder that cannot be created is an I/O error and nothing is written")
    func unwritable() throws {
        let r = try runSuite(["--problem", "parabola", "--optimizer", "gd", "--output", "/proc/descent-results", "--quiet"])
        #expect(r.code == 74, "\(r.err)")
        #expect(r.err.contains("/proc/descent-results"))
    }
}

/// Mounts a 64 KiB tmpfs at a new folder, or returns nil where mounting is not permitted.
func tinyFileSystem() -> String? {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("descent-full-\(UUID().uuidString)").path
    guard (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) != nil else { return nil }
    let mount = Process()
    mount.executableURL = URL(fileURLWithPath: "/bin/mount")
    mount.arguments = ["-t", "tmpfs", "-o", "size=256k", "tmpfs", path]
    mount.standardError = FileHandle.nullDevice
    guard (try? mount.run()) != nil else { return nil }
    mount.waitUntilExit()
    return mount.terminationStatus == 0 ? path : nil
}

func unmount(_ path: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/umount")
    p.arguments = [path]
    try? p.run()
    p.waitUntilExit()
    try? FileManager.default.removeItem(atPath: path)
}

@Suite("Reliability: a full disk", .tags(.endToEnd))
struct FullDiskTests {
    @Test("a full disk is an I/O error (exit 74) and the previous results stay as they were",
          .enabled(if: tinyFileSystem().map { unmount($0); return true } ?? false, "needs permission to mount a tmpfs"))
    func fullDisk() throws {
        let disk = try #require(tinyFileSystem())
        defer { unmount(disk) }
        let output = disk + "/results"
        let small = try runSuite(["--problem", "parabola", "--optimizer", "gd(lr=0.1)", "--output", output, "--quiet",
                                  "--no-cache", "--isolation", "none"])
        #expect(small.code == 0, "\(small.err)")
        let before = try String(contentsOfFile: output + "/summary.csv", encoding: .utf8)
        let big = try runSuite(["--problem", "extended-rosenbrock", "--optimizer", "*", "--log-every", "1", "--output", output, "--replace",
                                "--quiet", "--no-cache", "--isolation", "none"])
        #expect(big.code == 74, "\(big.err)")
        #expect(big.err.contains("No space left") || big.err.contains("cannot"), "\(big.err)")
        #expect(try String(contentsOfFile: output + "/summary.csv", encoding: .utf8) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix(".staging") }
        #expect(leftovers.isEmpty)
    }
}
