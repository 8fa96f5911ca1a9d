import FoundationEssentials

/// Writes result files so that a failure leaves the previous results as they were.
///
/// All files are first written into a staging folder inside the destination; only when every
/// write succeeded are they moved into place (each `rename` is atomic). `traces/` is replaced
/// as a whole, so traces of an earlier, larger run do not linger.
enum ResultWriter {
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// Fails early when `path` exists but is not a folder, or is a folder that cannot be written.
    static func checkDestination(_ path: String) throws {
        let fm = FileManager.default
        var isDirectory = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory else { throw SuiteError("--output \(path) exists and is not a folder", exitCode: SuiteExitCode.usage) }
            guard fm.isWritableFile(atPath: path) else {
                throw SuiteError("--output \(path) is not writable", exitCode: SuiteExitCode.usage)
            }
        }
    }

    static func write(_ files: [(String, String)], to destination: String) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        } catch {
            throw WriteError(description: "cannot create \(destination): \(error)")
        }
        let staging = destination + "/.staging-\(ProcessInfo.processInfo.processIdentifier)"
        try? fm.removeItem(atPath: staging)
        defer { try? fm.removeItem(atPath: staging) }
        do {
            for (relative, contents) in files {
                let path = staging + "/" + relative
                let folder = String(path[..<path.lastIndex(of: "/")!])
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
            }
        } catch {
            throw WriteError(description: "cannot write results into \(destination) (nothing was changed there): \(error)")
        }
        // Every file is complete: move the top-level items into place.
        var topLevel: [String] = []
        for (relative, _) in files {
            let head = relative.split(separator: "/").first.map(String.init) ?? relative
            if !topLevel.contains(head) { topLevel.append(head) }
        }
        do {
            for item in topLevel {
                let target = destination + "/" + item
                if fm.fileExists(atPath: target) { try fm.removeItem(atPath: target) }
                try fm.moveItem(atPath: staging + "/" + item, toPath: target)
            }
        } catch {
            throw WriteError(description: "cannot move results into \(destination): \(error)")
        }
    }
}
