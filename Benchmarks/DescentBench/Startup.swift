import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The start-up case (`--only startup`): the release `suite` on one problem × one optimizer, end to end
/// (a fresh process, the reference, the run in its worker, every file written), in an empty folder and
/// beside a copy of the repository's committed Results/ (the default output, Results/runs/HASH, is then
/// inside it). Each time is the median of `repeats` runs, each in a fresh folder; the memory is the
/// largest peak resident set of the suite or its worker (wait4's ru_maxrss).
enum Startup {
    /// The command measured (in the folder's working directory).
    static let arguments = ["--problem", "rosenbrock", "--optimizer", "adam"]
    /// The targets of issue #28: under 0.5 s and 50 MB.
    static let targetSeconds = 0.5
    static let targetBytes = 50_000_000

    struct Row {
        var name: String
        var seconds: Double
        var peakBytes: Int
    }

    /// Runs the case with the `suite` at `suite` and the results folder `results`; nil when there is no suite.
    static func run(suite: String, results: String, repeats: Int) throws -> [Row]? {
        guard FileManager.default.isExecutableFile(atPath: suite) else { return nil }
        var rows: [Row] = []
        for (name, copyResults) in [("empty folder", false), ("beside Results/ (copy)", true)] {
            var times: [Double] = []
            var peak = 0
            for _ in 0..<repeats {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descent-startup-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: folder) }
                if copyResults { try FileManager.default.copyItem(atPath: results, toPath: folder + "/Results") }
                let (seconds, bytes) = try measure(suite, arguments, in: folder)
                times.append(seconds)
                peak = Swift.max(peak, bytes)
            }
            rows.append(Row(name: name, seconds: Measure.median(times), peakBytes: peak))
        }
        return rows
    }

    /// Wall-clock seconds and peak resident bytes of `executable arguments` run in `folder`.
    static func measure(_ executable: String, _ arguments: [String], in folder: String) throws -> (Double, Int) {
        let previous = FileManager.default.currentDirectoryPath
        guard FileManager.default.changeCurrentDirectoryPath(folder) else { throw BenchFailure(["cannot enter \(folder)"]) }
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let code = posix_spawn(&pid, executable, &files, nil, argv, environ)
        guard code == 0 else { throw BenchFailure(["cannot start \(executable): \(String(cString: strerror(code)))"]) }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let elapsed = ContinuousClock.now - start
        guard status == 0 else { throw BenchFailure(["\(executable) \(arguments.joined(separator: " ")) failed (status \(status))"]) }
        let (s, attoseconds) = elapsed.components
        return (Double(s) + Double(attoseconds) * 1e-18, usage.ru_maxrss * 1024)
    }
}
