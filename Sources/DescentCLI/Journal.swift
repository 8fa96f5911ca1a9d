import DescentCore
import DescentReport
import Foundation
import Synchronization

/// Finished runs, one file each under `<output>/.journal/`, so an interrupted or crashed matrix
/// can be resumed (`--resume`) without redoing what finished. Each file is written atomically and
/// ends with a line that a cut file lacks; a run is journaled only once it has finished (interrupted
/// runs are not). Entries are never deleted at start (a rerun without `--resume` overwrites its own
/// keys; an interrupted rerun loses nothing); after a complete run is published, ``prune()`` removes
/// the entries of other configurations.
final class Journal: Sendable {
    let folder: String
    private let used = Mutex<Set<String>>([])

    /// Suite version, part of every key: results of another version are never reused.
    static let suiteVersion = "0.5.0"

    /// Opens the journal of `output` (the caller holds the folder's lock, ``OutputFolder``).
    init(output: String) throws {
        folder = output + "/.journal"
        var st = stat()
        if lstat(folder, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR {
            throw SuiteError("\(folder) is not a folder the suite made (a link or a file): nothing was changed; remove it, "
                + "or choose another --output", exitCode: SuiteExitCode.usage)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// The key of a run: a hash of the problem, the optimizer (hyperparameters included in its
    /// label), the seed, the batch size, the stopping options, the time limit and the suite version,
    /// so `--resume` reuses only runs of the identical configuration (a run cut by `--time-limit 0.01`
    /// is not reused by a resume without it).
    static func key(problem: String, optimizer: String, seed: UInt64, dataSeed: UInt64, options: RunOptions,
                    variant: String? = nil) -> String {
        var fields: [String] = [problem, optimizer, String(seed), String(dataSeed), options.batchSize.map(String.init) ?? "full",
                                String(options.maxIterations), options.tolerance.description, String(options.logEvery),
                                String(options.patience), suiteVersion]
        if !options.shuffle { fields.append("no-shuffle") }
        if options.checkEvery != 1 { fields.append("check-every=\(options.checkEvery)") }
        if let limit = options.timeLimit { fields.append("time-limit=\(limit)") }
        if let variant { fields.append(variant) }
        let text = fields.joined(separator: "\u{1F}")
        return StableHash.hex(text)
    }

    /// Opens the journal of `output`, with the suite's message when it cannot be created (exit 74).
    static func opened(output: String) throws -> Journal {
        do {
            return try Journal(output: output)
        } catch let error as SuiteError {
            throw error
        } catch {
            throw SuiteError("cannot create \(output)/.journal: \(error)", exitCode: SuiteExitCode.ioError)
        }
    }

    /// The journaled record of `key`, if it finished in an earlier invocation.
    func load(_ key: String) -> RunRecord? {
        used.withLock { _ = $0.insert(key) }
        guard let data = FileManager.default.contents(atPath: "\(folder)/\(key).run"),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return RunCodec.decode(text)
    }

    /// Journals a finished run.
    func store(_ record: RunRecord, key: String) throws {
        used.withLock { _ = $0.insert(key) }
        try writeAtomically(RunCodec.encode(record), to: "\(folder)/\(key).run")
    }

    /// Removes the entries this invocation neither read nor wrote (other configurations' runs).
    func prune() {
        let keep = used.withLock { $0 }
        for item in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where item.hasSuffix(".run") {
            if !keep.contains(String(item.dropLast(4))) { unlink(folder + "/" + item) }
        }
    }

    /// A scratch path prefix for a worker's files (one per problem).
    func scratch(_ label: String) -> String { "\(folder)/work-\(getpid())-\(StableHash.hex(label))" }
}

/// Writes `text` to `path` through a temporary file and a rename, so a reader sees the whole file or
/// none. No fsync: these files (journaled runs, a worker's result) matter only while the machine stays
/// up (a resume after a crash of the suite, not of the system), and an fsync per run cost a tenth of a
/// headline run's time in ext4 journal commits.
func writeAtomically(_ text: String, to path: String) throws {
    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        var description: String { "cannot write \(path): \(String(cString: strerror(code)))" }
    }
    let temporary = "\(path).tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw WriteError(path: path, code: errno) }
    guard writeAll(fd, Array(text.utf8)) else {
        let code = errno
        close(fd)
        unlink(temporary)
        throw WriteError(path: path, code: code)
    }
    guard close(fd) == 0, rename(temporary, path) == 0 else {
        let code = errno
        unlink(temporary)
        throw WriteError(path: path, code: code)
    }
}
