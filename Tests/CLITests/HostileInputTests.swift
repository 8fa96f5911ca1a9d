import DescentCLI
import DescentCore
import DescentTestSupport
import Foundation
import Testing

/// The parent pid and state (R, S, Z, …) of process `pid`, from /proc; nil when it is gone.
func processStatus(_ pid: Int32) -> (parent: Int32, state: Character)? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 2, let state = fields[0].first, let parent = Int32(fields[1]) else { return nil }
    return (parent, state)
}

/// The children of `pid` whose command line contains `fragment`.
func children(of pid: Int32, containing fragment: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { child in
        guard processStatus(child)?.parent == pid,
              let line = FileManager.default.contents(atPath: "/proc/\(child)/cmdline") else { return false }
        return String(decoding: line, as: UTF8.self).contains(fragment)
    }
}

/// Whether `pid` still runs (a zombie nobody reaped has stopped running).
func isRunning(_ pid: Int32) -> Bool {
    guard let status = processStatus(pid) else { return false }
    return status.state != "Z" && status.state != "X"
}

/// Starts the real `suite` binary with fault injection; the caller waits for it.
func startSuite(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: suiteExecutable)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["DESCENT_FAULT_INJECTION"] = "1"
    environment.removeValue(forKey: "DESCENT_WORKER")
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// Waits up to `seconds` for `condition`.
func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

@Suite("Hostile input: bounded counts, no crash, no stray process", .serialized, .tags(.endToEnd))
struct HostileInputTests {
    @Test("huge --instances and --seeds are usage errors naming the range, not a crash or unbounded memory", arguments: [
        ["--problem", "parabola", "--optimizer", "gd", "--instances", "9223372036854775807"],
        ["--problem", "parabola", "--optimizer", "gd", "--instances", "1099511627776"],
        ["--problem", "logistic", "--optimizer", "sgd", "--seeds", "9223372036854775807", "--batch-size", "10"],
        ["reference", "--problem", "parabola", "--instances", "1099511627776"],
        ["reference", "--problem", "parabola", "--instances", "9223372036854775807"],
    ])
    func hugeCounts(arguments: [String]) throws {
        let output = try temporaryFolder()
        let r = try runSuite(arguments + ["--output", output, "--no-cache"])
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains("must be in 1...1000"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a negative value of any numeric option gets that option's own message, not 'Missing value'", arguments: [
        (["--jobs", "-1"], "--jobs must be >= 1, got -1"),
        (["--max-iterations", "-5"], "--max-iterations must be >= 0, got -5"),
        (["--tolerance", "-1e-3"], "--tolerance must be a finite number >= 0, got -0.001"),
        (["--time-limit", "-2"], "--time-limit must be a number of seconds > 0, got -2.0"),
        (["--batch-size", "-3"], "--batch-size must be >= 1, got -3"),
        (["--seeds", "-1"], "--seeds must be in 1...1000, got -1"),
        (["--instances", "-4"], "--instances must be in 1...1000"),
        (["--patience", "-1"], "--patience must be >= 1, got -1"),
        (["--log-every", "-1"], "--log-every must be >= 1, got -1"),
        (["--seed", "-1"], "'-1' is invalid for '--seed"),
    ])
    func negativeValues(arguments: [String], message: String) throws {
        let output = try temporaryFolder()
        let r = suite(["--problem", "parabola", "--optimizer", "gd"] + arguments + ["--output", output])
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains(message), "\(r.err)")
        #expect(!r.err.contains("Missing value"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("suite reference reads a negative --instances as its value too")
    func negativeReferenceInstances() throws {
        let output = try temporaryFolder()
        let r = suite(["reference", "--instances", "-1", "--output", output])
        #expect(r.code == 64 && r.err.contains("--instances must be in 1...1000") && r.err.contains("got -1"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a first word that is not a command is refused, naming the commands; the default command still runs")
    func unknownCommand() throws {
        let r = suite(["frobnicate"])
        #expect(r.code == 64)
        #expect(r.err.contains("'frobnicate' is not a command; the commands are run, report, diff, merge, list, reference"), "\(r.err)")
        let alsoWithOptions = suite(["frobnicate", "--problem", "parabola", "--optimizer", "gd"])
        #expect(alsoWithOptions.code == 64 && alsoWithOptions.err.contains("'frobnicate' is not a command"))
        #expect(suite(["list"]).code == 0)
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        #expect(suite(["--problem", "parabola", "--optimizer", "gd(lr=0.1)", "--output", output, "--quiet", "--no-cache"]).code == 0)
        #expect(suite(["run", "--problem", "parabola", "--optimizer", "gd(lr=0.1)", "--output", output, "--quiet", "--no-cache"]).code == 0)
    }

    @Test("adam(beta1=-0) and adam(beta1=0) are one configuration: one label, one row")
    func negativeZero() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = suite(["--problem", "parabola", "--optimizer", "adam(beta1=-0)", "--optimizer", "adam(beta1=0)", "--output", output,
                       "--quiet", "--no-cache"])
        #expect(r.code == 0, "\(r.err)")
        let rows = try summaryRows(output)
        #expect(rows.count == 1 && rows["adam(beta1=0)"] != nil, "\(rows.keys)")
    }

    @Test("crashes on bad data become exit 64 with a message", arguments: ["lsq", "npy"])
    func noCrash(kind: String) throws {
        let dir = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec: String, message: String
        if kind == "lsq" {
            try Data("y,a,b,c,d\n1,2,3,4,5\n2,3,1,5,6\n3,1,1,1,7\n".utf8).write(to: URL(fileURLWithPath: dir + "/few.csv"))
            spec = "least-squares-data(data=\(dir)/few.csv,validation=0)"
            message = "with lambda = 0 it needs at least as many training rows as columns"
        } else {
            var header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }".utf8)
            header += [UInt8](repeating: 0x20, count: 64 - (10 + header.count + 1) % 64) + [0x0A]
            let bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.count), 0] + header
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/x.npy"))
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/y.npy"))
            spec = "logistic-arrays(x=\(dir)/x.npy,y=\(dir)/y.npy)"
            message = "over the limit"
        }
        let r = try runSuite(["--problem", spec, "--optimizer", "gd", "--output", dir + "/out", "--no-cache", "--quiet"])
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains(message), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    @Test("a stuck worker dies with its parent: SIGKILL of the suite ends the worker within 2 s")
    func workerDiesWithParent() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let suiteProcess = try startSuite(["--problem", "parabola", "--optimizer", "fault(mode=hang)", "--output", output, "--quiet",
                                           "--no-cache", "--jobs", "1"])
        let parent = suiteProcess.processIdentifier
        var worker: Int32? = nil
        #expect(eventually(20) {
            worker = children(of: parent, containing: "_worker").first
            return worker != nil
        })
        defer { if let worker, isRunning(worker) { kill(worker, SIGKILL) } }
        let stuck = try #require(worker)
        usleep(300_000)  // the worker is in its hanging step
        #expect(isRunning(stuck))
        kill(parent, SIGKILL)
        suiteProcess.waitUntilExit()
        #expect(eventually(2) { !isRunning(stuck) }, "worker \(stuck) still runs: \(String(describing: processStatus(stuck)))")
    }

    @Test("a worker whose parent is already gone when it starts exits at once (the race PR_SET_PDEATHSIG leaves open)")
    func workerOrphanedAtStart() throws {
        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: scratch + ".0.rows") }
        // The parent it expects is not its parent: as if the parent died between fork and prctl.
        // The job, one JSON message (Job): a hanging run of parabola.
        let job = #"{"dataSeed":0,"instance":0,"labels":["fault(mode=hang)"],"optimizers":["fault(mode=hang)"],"pass":"measured","#
            + #""problem":"parabola","runSeed":0,"settings":{"checkEvery":1,"logEvery":1,"maxIterations":100,"patience":10,"#
            + #""samplingSeed":0,"shuffle":true,"tolerance":0},"slot":0,"trial":0}"#
        let worker = try startSuite(["_worker", "--job=\(job)", "--scratch=\(scratch)", "--parent=999999999"])
        #expect(eventually(5) { !worker.isRunning })
        if worker.isRunning { kill(worker.processIdentifier, SIGKILL) }
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 1)
        #expect(!FileManager.default.fileExists(atPath: scratch + ".0.rows"))
    }

    @Test("a worker ended by SIGTERM is reported as crashed by SIGTERM, not 'exit status 0'")
    func workerTerminated() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let suiteProcess = try startSuite(["--problem", "logistic(samples=2000)", "--optimizer", "gd", "--tolerance", "0",
                                           "--max-iterations", "1000000000", "--patience", "1000000000", "--output", output,
                                           "--quiet", "--no-cache", "--jobs", "1"])
        var worker: Int32? = nil
        #expect(eventually(20) {
            worker = children(of: suiteProcess.processIdentifier, containing: "_worker").first
            return worker != nil
        })
        let running = try #require(worker)
        usleep(500_000)  // the run has started
        kill(running, SIGTERM)
        #expect(eventually(20) { !suiteProcess.isRunning })
        if suiteProcess.isRunning { kill(suiteProcess.processIdentifier, SIGKILL) }
        suiteProcess.waitUntilExit()
        #expect(suiteProcess.terminationStatus == 0)
        let row = try #require(try summaryRows(output)["gd"])
        #expect(row[5] == "crashed" && row[16].contains("signal 15 (SIGTERM)"), "\(row)")
    }
}
