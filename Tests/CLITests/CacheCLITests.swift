import DescentCLI
import DescentCore
import DescentTestSupport
import Foundation
import Testing

/// The repository's Problems/ folder.
private let shippedProblems = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Problems")
    .standardized.path

/// Runs the `suite` binary as a child process, killed if it has not finished within `seconds`.
private func runBounded(_ arguments: [String], seconds: Double) throws -> (code: Int32, out: String, err: String, elapsed: Double) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: suiteExecutable)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "DESCENT_WORKER")
    process.environment = environment
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("descent-out-\(UUID().uuidString)")
    let err = FileManager.default.temporaryDirectory.appendingPathComponent("descent-err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    let started = Date()
    try process.run()
    while process.isRunning && Date().timeIntervalSince(started) < seconds { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        Issue.record("suite \(arguments.joined(separator: " ")) did not finish within \(seconds) s")
    }
    process.waitUntilExit()
    return (process.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8),
            Date().timeIntervalSince(started))
}

/// The reference.csv rows of `folder`, by problem label (instance 0).
private func referenceRows(_ folder: String) throws -> [String: [String: String]] {
    let lines = try String(contentsOfFile: folder + "/reference.csv", encoding: .utf8).split(separator: "\n")
    let header = csvFields(lines[0])
    var rows: [String: [String: String]] = [:]
    for line in lines.dropFirst() {
        let row = Dictionary(uniqueKeysWithValues: zip(header, csvFields(line)))
        rows[row["problem"]!] = row
    }
    return rows
}

/// f* of `problem` in `folder`/reference.csv.
private func fStar(_ folder: String, _ problem: String) throws -> Double {
    let text = try #require(try referenceRows(folder)[problem]?["f_star"])
    return try #require(Double(text))
}

/// A cache line with its check hash recomputed, as a hand-edit that knows the format would write it.
private func resealed(_ line: Substring) -> String {
    let body = line[..<line.lastIndex(of: ",")!]
    var h = StableHash()
    h.combine(String(body))
    let hex = String(h.value, radix: 16)
    return body + "," + String(repeating: "0", count: 16 - hex.count) + hex
}

/// Replaces field `column` (0 is the key; 1 f*, 3 ‖∇f(x*)‖, 6 x*) of the line whose key starts with `prefix`.
private func editCache(_ path: String, prefix: String, column: Int, to value: String, reseal: Bool) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        guard line.hasPrefix(prefix + "|") else { return String(line) }
        var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        f[column] = value
        let edited = f.joined(separator: ",")
        return reseal ? resealed(edited[...]) : edited
    }
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
}

@Suite("Reference cache on the command line", .serialized, .tags(.endToEnd))
struct CacheCLITests {
    @Test("editing λ in an instance file, or κ of a quadratic, changes f* through the same --cache")
    func staleParameters() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/P/data", withIntermediateDirectories: true)
        try fm.copyItem(atPath: shippedProblems + "/breast-cancer.toml", toPath: root + "/P/breast-cancer.toml")
        try fm.copyItem(atPath: shippedProblems + "/data/breast_cancer.csv", toPath: root + "/P/data/breast_cancer.csv")
        try "name = \"q\"\nfamily = \"quadratic\"\n[parameters]\nn = 6\nkappa = 10\n".write(toFile: root + "/P/q.toml", atomically: true, encoding: .utf8)
        let cache = root + "/cache.csv"
        func certify(_ output: String, _ extra: [String] = []) throws -> (Double, Double) {
            let r = suite(["reference", "--problems", root + "/P", "--problem", "breast-cancer", "--problem", "q",
                           "--output", root + "/" + output] + (extra.isEmpty ? ["--cache", cache] : extra))
            #expect(r.code == 0, "\(r.err)")
            return (try fStar(root + "/" + output, "breast-cancer"), try fStar(root + "/" + output, "q"))
        }
        let (bc, q) = try certify("a")
        #expect(Swift.abs(bc - 0.05632) < 1e-4)
        for (file, from, to) in [("breast-cancer.toml", "lambda = 1e-3", "lambda = 1e-1"), ("q.toml", "kappa = 10", "kappa = 1000")] {
            let path = root + "/P/" + file
            try (try String(contentsOfFile: path, encoding: .utf8)).replacingOccurrences(of: from, with: to)
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
        let (bc2, q2) = try certify("b")
        let (bcTrue, qTrue) = try certify("c", ["--no-cache"])
        #expect(bc2 == bcTrue && Swift.abs(bc2 - 0.2041) < 1e-4, "cached \(bc2), true \(bcTrue), stale \(bc)")
        #expect(q2 == qTrue && q2 != q, "cached \(q2), true \(qTrue), stale \(q)")
    }

    @Test("a cached f* or x* edited by hand is never published: the line's check, then re-verification, rejects it")
    func tampered() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = root + "/cache.csv"
        let selection = ["reference", "--problem", "rosenbrock", "--problem", "logistic", "--cache", cache]
        #expect(suite(selection + ["--output", root + "/a"]).code == 0)
        let logistic = try fStar(root + "/a", "logistic")
        let cases: [(prefix: String, column: Int, value: String, reseal: Bool)] = [
            ("rosenbrock", 1, "-5", false), ("rosenbrock", 1, "-5", true),   // f* (labelled analytic)
            ("rosenbrock", 6, "1.5;1.5", true),                                 // x*
            ("logistic", 1, "-5", true), ("logistic", 3, "1e-300", true),     // f*, ‖∇f(x*)‖
        ]
        for (n, c) in cases.enumerated() {
            try editCache(cache, prefix: c.prefix, column: c.column, to: c.value, reseal: c.reseal)
            let r = try runBounded(selection + ["--output", root + "/b\(n)"], seconds: 60)  // a child: its warnings are captured
            #expect(r.code == 0, "\(r.err)")
            #expect(try fStar(root + "/b\(n)", "rosenbrock") == 0)
            #expect(try fStar(root + "/b\(n)", "logistic") == logistic)
            #expect(try referenceRows(root + "/b\(n)")["logistic"]?["grad_norm_at_x_star"] != "1e-300")
            if c.reseal { #expect(r.err.contains("does not verify"), "\(r.err)") }
            // The cache was rewritten with the true value.
            #expect(!(try String(contentsOfFile: cache, encoding: .utf8)).contains(",-5,"))
        }
    }

    @Test("least squares on rank-deficient data: a finite certified f* (not nan), never a nan in the cache")
    func rankDeficient() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "a,b,c,y\n1,2,5,3\n1,3,5,4\n1,4,5,6\n1,5,5,7\n1,7,5,8\n1,8,5,11\n".write(toFile: root + "/d.csv", atomically: true, encoding: .utf8)
        let spec = "least-squares-data(data=\(root)/d.csv,validation=0)"
        let r = suite(["reference", "--problem", spec, "--cache", root + "/cache.csv", "--output", root + "/o"])
        #expect(r.code == 0, "\(r.err)")
        let row = try #require(try referenceRows(root + "/o").values.first)
        #expect(Double(row["f_star"] ?? "")?.isFinite == true && row["source"] != "linear_solve", "\(row)")
        #expect(!(try String(contentsOfFile: root + "/cache.csv", encoding: .utf8)).lowercased().contains("nan"))
    }

    @Test("--cache FILE refuses a file that is not a Descent cache (exit 64, untouched) and rewrites an older cache")
    func notACache() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let data = shippedProblems + "/data/wine.csv"
        try FileManager.default.copyItem(atPath: data, toPath: root + "/wine.csv")
        let before = try Data(contentsOf: URL(fileURLWithPath: root + "/wine.csv"))
        for target in [root + "/wine.csv", root] {
            for command in [["reference", "--problem", "parabola"], ["--problem", "parabola", "--optimizer", "gd"]] {
                let r = suite(command + ["--cache", target, "--output", root + "/o"])
                #expect(r.code == 64, "\(r.err)")
                #expect(r.err.contains("\(target) is not a Descent reference cache"), "\(r.err)")
                #expect(!FileManager.default.fileExists(atPath: root + "/o"))
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/wine.csv")) == before)
        // A version-2 cache (no header line) is a Descent cache: its entries are recomputed and it is rewritten.
        try "key,f_star,source,grad_norm,hessian_min,hessian_max,x_star\nparabola|seed=-|0|v2,-5,analytic,0.0,2.0,2.0,0.0\n"
            .write(toFile: root + "/old.csv", atomically: true, encoding: .utf8)
        let r = suite(["reference", "--problem", "parabola", "--cache", root + "/old.csv", "--output", root + "/o"])
        #expect(r.code == 0, "\(r.err)")
        #expect(try fStar(root + "/o", "parabola") == 0)
        #expect(try String(contentsOfFile: root + "/old.csv", encoding: .utf8).hasPrefix("# descent reference cache v3\n"))
    }

    @Test("the time limit covers certification; a start where f overflows exits 1 at once", .timeLimit(.minutes(2)))
    func certificationTimeLimit() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let slow = try runBounded(["--problem", "logistic(start=1e150)", "--optimizer", "adam", "--time-limit", "0.5", "--no-cache",
                                   "--quiet", "--output", root + "/a"], seconds: 30)
        #expect(slow.code == 1 && slow.err.contains("within the time limit"), "\(slow.err)")
        #expect(slow.elapsed < 15)
        let overflow = try runBounded(["--problem", "logistic(start=1e200)", "--optimizer", "adam", "--time-limit", "5", "--quiet",
                                       "--cache", root + "/cache.csv", "--output", root + "/b"], seconds: 30)
        #expect(overflow.code == 1 && overflow.err.contains("cannot certify") && overflow.err.contains("f = inf"), "\(overflow.err)")
        #expect(!FileManager.default.fileExists(atPath: root + "/cache.csv"))
    }

    @Test("gsl-sd(tol=1) returns: the spinning iteration ends the run as stalled with a note", .timeLimit(.minutes(2)))
    func gslIterateBudget() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = try runBounded(["--problem", "rosenbrock", "--optimizer", "gsl-sd(tol=1)", "--no-cache", "--quiet", "--output", root],
                               seconds: 60)
        #expect(r.code == 0, "\(r.err)")
        let row = try #require(try summaryRows(root)["gsl-sd(tol=1)"])
        #expect(row[5] == "stalled" && row[16].contains("evaluations of f"), "\(row)")
    }

    @Test("the cache is bounded: over 10 000 entries it is trimmed, over 32 MiB it is not read; either loads fast")
    func bounded() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var text = "# descent reference cache v3\nkey,f_star,source,grad_norm,hessian_min,hessian_max,x_star,check\n"
        for i in 0..<12_000 { text += resealed("synthetic-\(i)|seed=-|i=0|0|v3|suite=x,1.0,analytic,0.0,,,1.0,-"[...]) + "\n" }
        try text.write(toFile: root + "/big.csv", atomically: true, encoding: .utf8)
        let started = Date()
        let r = suite(["reference", "--problem", "parabola", "--cache", root + "/big.csv", "--output", root + "/o"])
        #expect(r.code == 0, "\(r.err)")
        #expect(Date().timeIntervalSince(started) < 5)
        let kept = try String(contentsOfFile: root + "/big.csv", encoding: .utf8).split(separator: "\n")
        #expect(kept.count == 2 + 10_000)
        #expect(kept.contains { $0.hasPrefix("parabola|") })
        // Over the size bound: only the header is read, and the file is rewritten.
        let huge = root + "/huge.csv"
        try "# descent reference cache v3\n".write(toFile: huge, atomically: true, encoding: .utf8)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: huge))
        try handle.truncate(atOffset: 33 << 20)
        try handle.close()
        let started2 = Date()
        let r2 = try runBounded(["reference", "--problem", "parabola", "--cache", huge, "--output", root + "/o2"], seconds: 60)
        #expect(r2.code == 0 && r2.err.contains("over 32 MiB"), "\(r2.err)")
        #expect(Date().timeIntervalSince(started2) < 5)
        #expect((try FileManager.default.attributesOfItem(atPath: huge)[.size] as? Int ?? 0) < 4096)
    }

    @Test("every instance of Problems/ verifies from the cache: a second run recomputes nothing and publishes the same bits")
    func verifiesWhatItWrote() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let selection = ["reference", "--problems", shippedProblems, "--problem", "*", "--instances", "2", "--cache", root + "/cache.csv"]
        #expect(suite(selection + ["--output", root + "/a"]).code == 0)
        let cached = try String(contentsOfFile: root + "/cache.csv", encoding: .utf8)
        let r = suite(selection + ["--output", root + "/b"])
        #expect(r.code == 0 && !r.err.contains("does not verify"), "\(r.err)")
        #expect(try String(contentsOfFile: root + "/cache.csv", encoding: .utf8) == cached)
        #expect(try String(contentsOfFile: root + "/a/reference.csv", encoding: .utf8)
                == (try String(contentsOfFile: root + "/b/reference.csv", encoding: .utf8)))
    }
}
