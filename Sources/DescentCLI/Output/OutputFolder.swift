import DescentReference
import DescentReport
import Foundation

/// A results folder this process writes: locked for the whole command, recovered from a switch a
/// killed process left half done, and switched to its new contents all at once.
///
/// Guarantees (docs/RELIABILITY.md, "Nothing lost"):
/// - one writer per folder (`.lock`, `flock`); a second suite on the same folder stops at once, exit 75;
/// - the new files are written into `.staging-PID/` beside the old ones, then moved in by a switch
///   that a journal file (`.switch`) makes restartable: a command killed in the middle of it leaves a
///   folder that the next command on it completes before doing anything else;
/// - only files the suite wrote (``Manifest``) are ever replaced or removed; a command that would have
///   to touch any other file in `tables/`, `plots/`, … refuses and names it;
/// - staging and retired folders of killed commands are removed by the next command on the folder.
final class OutputFolder {
    /// The folder.
    let path: String
    private let lock: Int32
    /// Whether this command created the folder (``discardIfUnused()`` removes it again).
    private let created: Bool

    /// Creates `path` (and its parents) if needed, takes its lock, completes a half-done switch and
    /// removes what killed commands left. Throws exit 74 when the folder cannot be created and
    /// ``SuiteExitCode/busy`` when another suite holds it.
    init(_ path: String) throws {
        self.path = path
        created = !FileManager.default.fileExists(atPath: path)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw SuiteError("cannot create \(path): \(error)", exitCode: SuiteExitCode.ioError)
        }
        // The lock is on the folder itself (flock on its descriptor), so no file can be deleted or
        // replaced by a link to take it away; `.lock` only names the holder's PID for the message.
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SuiteError("cannot open \(path): \(String(cString: strerror(errno)))", exitCode: SuiteExitCode.ioError)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            let holder = Self.readNote(path + "/.lock") ?? "?"
            throw SuiteError("another suite (PID \(holder)) is writing \(path); wait for it to finish, or choose another --output",
                             exitCode: SuiteExitCode.busy)
        }
        lock = fd
        // Through a temporary file and a rename: a link planted as `.lock` is replaced, never followed.
        try? writeAtomically("\(getpid())\n", to: path + "/.lock")
        try FolderSwitch.recover(in: path)
        removeLeftovers()
    }

    deinit { close(lock) }

    /// The first line of a small note file (at most 32 bytes), not followed through a link.
    static func readNote(_ file: String) -> String? {
        let fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = read(fd, &buffer, buffer.count)
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n], as: UTF8.self).split(separator: "\n").first.map(String.init)
    }

    /// Whether `path` is a directory itself, not a link to one.
    static func isRealDirectory(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `name` is `prefix` followed by digits only (a PID): the names the suite gives its own folders.
    static func isOwnName(_ name: String, prefix: String) -> Bool {
        name.hasPrefix(prefix) && name.count > prefix.count && name.dropFirst(prefix.count).allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// What a command that certifies and writes results does first, in this order: refuses a cache inside
    /// `output`, opens the cache (a file that is not one is refused before anything is created), then
    /// creates and locks `output` and refuses another configuration's results (without `replace`) or a
    /// file the suite did not write. The caller defers ``discardIfUnused()``.
    static func prepare(_ output: String, hash: String, replace: Bool, cache path: String?) throws -> (OutputFolder, ReferenceCache?) {
        if let path { try checkOutside(path, of: output, option: "--cache") }
        let cache = try References.openCache(path)
        let folder = try OutputFolder(output)
        do {
            try folder.checkConfiguration(hash, replace: replace)
            try folder.checkForeignFiles(replacing: Set(OutputLayout.topLevel))
        } catch {
            folder.discardIfUnused()
            throw error
        }
        return (folder, cache)
    }

    /// Removes the folder again if this command created it and wrote nothing into it (a run that
    /// failed before its first result: the certification, say), so a failure leaves no empty folder.
    func discardIfUnused() {
        guard created else { return }
        let fm = FileManager.default
        let items = (try? fm.contentsOfDirectory(atPath: path)) ?? []
        let journal = (try? fm.contentsOfDirectory(atPath: path + "/.journal")) ?? []
        guard Set(items).isSubset(of: [".lock", ".journal"]), journal.isEmpty else { return }
        try? fm.removeItem(atPath: path + "/.journal")
        unlink(path + "/.lock")
        rmdir(path)
    }

    /// Refuses (exit 64) a file the command would write itself (the reference cache) inside the output folder:
    /// the suite keeps only its results there, and would then refuse its own cache as a foreign file.
    static func checkOutside(_ file: String, of folder: String, option: String) throws {
        func absolute(_ p: String) -> String { URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path }
        let (f, d) = (absolute(file), absolute(folder))
        if f.hasPrefix(d.hasSuffix("/") ? d : d + "/") {
            throw SuiteError("\(option) \(file) is inside the output folder \(folder), which holds only the results; put it elsewhere",
                             exitCode: SuiteExitCode.usage)
        }
    }

    /// Fails early (exit 64) when `path`, or a folder above it, exists but is not a folder, or `path` is a
    /// folder that cannot be written.
    static func checkDestination(_ path: String) throws {
        var above = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        while above.path != "/" && !above.path.isEmpty {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: above.path, isDirectory: &isFolder) {
                guard isFolder.boolValue else {
                    throw SuiteError("--output \(path): \(above.path) is a file, not a folder", exitCode: SuiteExitCode.usage)
                }
                break
            }
            above = above.deletingLastPathComponent()
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw SuiteError("--output \(path) exists and is not a folder", exitCode: SuiteExitCode.usage) }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw SuiteError("--output \(path) is not writable", exitCode: SuiteExitCode.usage)
        }
    }

    /// Removes `.staging-*` and `.retired-*` folders and the journal's worker scratch files of earlier,
    /// dead commands (this process holds the lock, so none of them is in use).
    private func removeLeftovers() {
        let fm = FileManager.default
        for item in (try? fm.contentsOfDirectory(atPath: path)) ?? []
        where Self.isOwnName(item, prefix: ".staging-") || Self.isOwnName(item, prefix: ".retired-") {
            try? fm.removeItem(atPath: path + "/" + item)  // a link is removed, not followed
        }
        let journal = path + "/.journal"
        guard Self.isRealDirectory(journal) else { return }
        for item in (try? fm.contentsOfDirectory(atPath: journal)) ?? [] where item.hasPrefix("work-") || item.contains(".tmp-") {
            try? fm.removeItem(atPath: journal + "/" + item)
        }
    }

    // MARK: What the folder holds

    /// The folder's `manifest.csv`, or nil when it has none; throws when it is malformed.
    func manifest() throws -> Manifest? {
        guard let data = FileManager.default.contents(atPath: path + "/" + Manifest.fileName) else { return nil }
        do {
            return try Manifest(parsing: String(decoding: data, as: UTF8.self))
        } catch {
            throw SuiteError("\(path)/\(error)", exitCode: SuiteExitCode.usage)
        }
    }

    /// The files the suite wrote here: the manifest's, or for a folder written before manifests
    /// (it has a metadata.json) the files at the suite's paths.
    func suiteFiles() throws -> Set<String> { try suiteFiles(listed: try manifest()) }

    /// ``suiteFiles()`` with the folder's manifest already read.
    func suiteFiles(listed manifest: Manifest?) throws -> Set<String> {
        // Only paths under the suite's own top-level items count, whatever a manifest says.
        if let m = manifest { return m.paths.filter { OutputLayout.topLevel.contains(OutputLayout.top($0)) }.union([Manifest.fileName]) }
        guard FileManager.default.fileExists(atPath: path + "/metadata.json") else { return [] }
        // A folder this version wrote has a manifest; without it nothing here can be told apart from a user's file.
        if Metadata.writtenWithManifest(folder: path) {
            throw SuiteError("\(path)/manifest.csv is missing: the folder was changed after the suite wrote it, and its files can "
                + "no longer be told apart from others. Nothing was changed; move the folder away, or choose another --output",
                exitCode: SuiteExitCode.usage)
        }
        return Set(files(under: OutputLayout.topLevel).filter(OutputLayout.isLegacySuitePath))
    }

    /// Every regular file (and symbolic link, not followed) under the top-level `items`, relative paths.
    func files(under items: some Sequence<String>) -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for item in items {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path + "/" + item, isDirectory: &isDirectory) || isSymlink(item) else { continue }
            guard isDirectory.boolValue, !isSymlink(item) else { out.append(item); continue }
            for case let sub as String in fm.enumerator(atPath: path + "/" + item) ?? FileManager.DirectoryEnumerator() {
                var subIsDirectory: ObjCBool = false
                let relative = item + "/" + sub
                if fm.fileExists(atPath: path + "/" + relative, isDirectory: &subIsDirectory), subIsDirectory.boolValue, !isSymlink(relative) {
                    continue
                }
                out.append(relative)
            }
        }
        return out.sorted()
    }

    private func isSymlink(_ relative: String) -> Bool {
        var st = stat()
        return lstat(path + "/" + relative, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// The configuration hash in the folder's metadata.json, nil without one.
    func configurationHash() throws -> String? {
        guard FileManager.default.fileExists(atPath: path + "/metadata.json") else { return nil }
        return try Metadata.read(folder: path).hash
    }

    /// Refuses (exit 64) to replace another configuration's results unless `replace`.
    func checkConfiguration(_ hash: String, replace: Bool) throws {
        if !replace && configurationHashMissing() {
            throw SuiteError("\(path) holds results without their metadata.json (manifest.csv lists files): they cannot be told "
                + "apart from another configuration's. Pass --replace to replace them, or choose another --output", exitCode: SuiteExitCode.usage)
        }
        guard !replace, let old = try configurationHash(), old != hash else { return }
        let command = (try? Metadata.read(folder: path).environment["command"] as? String) ?? nil
        throw SuiteError("\(path) holds the results of another configuration (run \(old)\(command.map { ": \($0)" } ?? "")); "
            + "this one is run \(hash). Pass --replace to replace them, or choose another --output (the default output of a "
            + "run without --all is Results/runs/HASH, one folder per configuration)", exitCode: SuiteExitCode.usage)
    }

    /// Whether the folder has a manifest but no metadata.json (a damaged folder).
    private func configurationHashMissing() -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + Manifest.fileName) && !FileManager.default.fileExists(atPath: path + "/metadata.json")
    }

    /// Whether the folder holds a complete set of results (metadata.json without `"complete": false`).
    func holdsCompleteResults() -> Bool {
        guard let object = Metadata.object(folder: path) else { return false }
        return object["complete"] as? Bool ?? true
    }

    /// Refuses (exit 64) when a top-level item the suite would replace holds files the suite did not write.
    /// `ours`: the folder's ``suiteFiles()`` when the caller has them.
    func checkForeignFiles(replacing items: Set<String>, ours known: Set<String>? = nil) throws {
        let ours = try known ?? suiteFiles()
        let foreign = files(under: items.sorted()).filter { !ours.contains($0) }
        guard !foreign.isEmpty else { return }
        throw SuiteError("\(path) holds files the suite did not write where it would write its own: "
            + foreign.prefix(10).joined(separator: ", ") + (foreign.count > 10 ? " and \(foreign.count - 10) more" : "")
            + ". Nothing was changed; move them elsewhere, or choose another --output", exitCode: SuiteExitCode.usage)
    }
}

/// The layout of a results folder.
enum OutputLayout {
    /// The top-level files and folders a results folder can hold.
    static let topLevel = ["summary.csv", "targets.csv", "reference.csv", "timing.csv", "tuning.csv", "tuning-cost.csv",
                           "profiles.csv", "effects.csv", "summary.md", "metadata.json", "index.html", Manifest.fileName,
                           "ecdf.csv", "ert.csv",
                           "tables", "plots", "traces", "timing", "paper"]

    /// The top-level item of a relative path.
    static func top(_ relative: String) -> String { String(relative.split(separator: "/").first ?? Substring(relative)) }

    /// Whether a folder written before manifests existed has `relative` at a path the suite writes.
    static func isLegacySuitePath(_ relative: String) -> Bool {
        let parts = relative.split(separator: "/")
        if parts.count == 1 { return topLevel.contains(relative) && !["tables", "plots", "traces", "timing"].contains(relative) }
        return ["tables", "plots", "traces", "timing"].contains(String(parts[0]))
            && [".csv", ".md", ".tex", ".svg"].contains { relative.hasSuffix($0) }
    }
}
