import DescentReport
import Foundation

/// How a command's files join the folder.
enum PublishMode {
    /// The folder's suite files become exactly the new files (a run, a merge, `suite reference`).
    case replace
    /// The new files replace their namesakes; the folder's other suite files stay (`suite report`:
    /// plots it cannot redraw without traces are kept).
    case update
}

extension OutputFolder {
    /// Writes `files` (relative path, contents) into the folder as one switch (``FolderSwitch``) with a
    /// new `manifest.csv`. Returns warnings (leftovers that could not be removed); throws exit 64 when a
    /// file the suite did not write is in the way, 74 when the files cannot be written (nothing changed).
    @discardableResult
    func publish(_ files: [(String, String)], mode: PublishMode) throws -> [String] {
        let fm = FileManager.default
        let old = try manifest()
        let ours = try suiteFiles(listed: old)
        let newPaths = Set(files.map(\.0))
        for p in newPaths where !ResultPaths.isConfined(p) {
            throw SuiteError("internal: the result path '\(p)' leaves its folder", exitCode: SuiteExitCode.failure)
        }
        var items = Set(newPaths.map(OutputLayout.top))
        if mode == .replace { items.formUnion(ours.map(OutputLayout.top)) }
        items.insert(Manifest.fileName)
        try checkForeignFiles(replacing: items, ours: ours)

        let pid = getpid()
        let staging = ".staging-\(pid)", retired = ".retired-\(pid)"
        let stagingPath = path + "/" + staging
        try? fm.removeItem(atPath: stagingPath)
        var entries: [Manifest.Entry] = []
        do {
            for (relative, contents) in files {
                let bytes = Array(contents.utf8)
                try write(bytes, to: stagingPath + "/" + relative)
                entries.append(Manifest.entry(path: relative, contents: bytes))
            }
            if mode == .update {
                // Suite files not regenerated: those inside a replaced item are carried into staging
                // (hard links: files are never modified in place); the others stay where they are.
                for relative in ours.sorted() where !newPaths.contains(relative) && relative != Manifest.fileName {
                    var st = stat()
                    guard lstat(path + "/" + relative, &st) == 0 else { continue }  // gone (traces in a clone): not listed
                    if items.contains(OutputLayout.top(relative)) {
                        try link(relative, into: stagingPath)
                    }
                    entries.append(old?.entry(relative)
                        ?? Manifest.entry(path: relative, contents: fm.contents(atPath: path + "/" + relative) ?? Data()))
                }
            }
            try write(Array(Manifest(entries).text.utf8), to: stagingPath + "/" + Manifest.fileName)
        } catch let error as SuiteError {
            try? fm.removeItem(atPath: stagingPath)
            throw error
        } catch {
            try? fm.removeItem(atPath: stagingPath)
            throw SuiteError("cannot write results into \(path) (nothing was changed there): \(error)", exitCode: SuiteExitCode.ioError)
        }
        // A folder is moved aside by a rename, which needs write permission on it (its '..' changes):
        // checked for every item first, so a folder that cannot be moved stops the command before anything moved.
        for item in items.sorted() {
            var isDirectory: ObjCBool = false
            let target = path + "/" + item
            if fm.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue, access(target, W_OK) != 0 {
                try? fm.removeItem(atPath: stagingPath)
                throw SuiteError("cannot replace \(target): the folder is not writable (nothing was changed)", exitCode: SuiteExitCode.ioError)
            }
        }
        // metadata.json and manifest.csv move last: until then the folder's own describe what it holds.
        let order = items.sorted { (rank($0), $0) < (rank($1), $1) }
        let plan = FolderSwitch(staging: staging, retired: retired,
                                put: order.filter { fm.fileExists(atPath: stagingPath + "/" + $0) },
                                remove: order.filter { !fm.fileExists(atPath: stagingPath + "/" + $0) })
        do {
            try writeAtomically(plan.text, to: path + "/" + FolderSwitch.fileName)
        } catch {
            try? fm.removeItem(atPath: stagingPath)
            throw SuiteError("cannot write results into \(path) (nothing was changed there): \(error)", exitCode: SuiteExitCode.ioError)
        }
        return try plan.complete(in: path)
    }

    private func rank(_ item: String) -> Int { item == Manifest.fileName ? 2 : item == "metadata.json" ? 1 : 0 }

    private func write(_ bytes: [UInt8], to file: String) throws {
        let folder = String(file[..<file.lastIndex(of: "/")!])
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
    }

    private func link(_ relative: String, into stagingPath: String) throws {
        let target = stagingPath + "/" + relative
        let folder = String(target[..<target.lastIndex(of: "/")!])
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if Foundation.link(path + "/" + relative, target) != 0 {
            try FileManager.default.copyItem(atPath: path + "/" + relative, toPath: target)
        }
    }
}

/// The plan of a folder switch, written to `.switch` before the first rename so that a command killed
/// in the middle can be completed by the next one (``recover(in:)``): each `put` item moves the old
/// one into the retired folder and the staged one into place; each `remove` item is retired. Every step
/// checks what is already done, so running the plan twice is the same as running it once.
struct FolderSwitch {
    static let fileName = ".switch"
    var staging: String
    var retired: String
    var put: [String]
    var remove: [String]

    var text: String {
        (["descent-switch 1", "staging " + staging, "retired " + retired] + put.map { "put " + $0 } + remove.map { "remove " + $0 })
            .joined(separator: "\n") + "\nend\n"
    }

    init(staging: String, retired: String, put: [String], remove: [String]) {
        self.staging = staging
        self.retired = retired
        self.put = put
        self.remove = remove
    }

    /// Parses a plan; nil when it was cut short (then no rename was made: the plan is written atomically).
    init?(parsing text: String) {
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.first == "descent-switch 1", lines.last == "end" else { return nil }
        var staging: String?, retired: String?
        var put: [String] = [], remove: [String] = []
        for line in lines.dropFirst().dropLast() {
            guard let space = line.firstIndex(of: " ") else { return nil }
            let (word, value) = (line[..<space], String(line[line.index(after: space)...]))
            guard !value.contains("/"), !value.hasPrefix(".") || value.hasPrefix(".staging-") || value.hasPrefix(".retired-") else { return nil }
            switch word {
            case "staging" where OutputFolder.isOwnName(value, prefix: ".staging-"): staging = value
            case "retired" where OutputFolder.isOwnName(value, prefix: ".retired-"): retired = value
            // Only the suite's own top-level items: a hand-made plan cannot move or delete anything else.
            case "put" where OutputLayout.topLevel.contains(value): put.append(value)
            case "remove" where OutputLayout.topLevel.contains(value): remove.append(value)
            default: return nil
            }
        }
        guard let staging, let retired else { return nil }
        self.init(staging: staging, retired: retired, put: put, remove: remove)
    }

    /// Completes a switch a killed command left in `folder`, if any.
    static func recover(in folder: String) throws {
        guard let data = FileManager.default.contents(atPath: folder + "/" + fileName) else { return }
        // A real plan's staging folder exists until the plan is removed, and both folders are the suite's
        // own (not links to elsewhere): anything else is not a plan this suite wrote.
        let parsed = FolderSwitch(parsing: String(decoding: data, as: UTF8.self))
        let genuine = parsed.map { p in
            OutputFolder.isRealDirectory(folder + "/" + p.staging)
                && (!FileManager.default.fileExists(atPath: folder + "/" + p.retired) || OutputFolder.isRealDirectory(folder + "/" + p.retired))
        } ?? false
        guard let plan = parsed, genuine else {
            // Not a plan this suite wrote (or one cut before its end line, when nothing had moved yet): ignored.
            writeStandardError("warning: \(folder)/\(fileName) is not a complete switch plan; ignored and removed\n")
            unlink(folder + "/" + fileName)
            return
        }
        let warnings = try plan.complete(in: folder)
        for w in warnings { writeStandardError("warning: \(w)\n") }
    }

    /// Runs the plan in `folder`, then removes the staging and retired folders and the plan. Returns
    /// warnings for leftovers that could not be removed; throws exit 74 when a rename fails (the plan
    /// stays, and the next command on the folder completes it).
    func complete(in folder: String) throws -> [String] {
        let fm = FileManager.default
        func exists(_ p: String) -> Bool { var st = stat(); return lstat(p, &st) == 0 }
        func move(_ from: String, _ to: String) throws {
            guard rename(from, to) == 0 else {
                throw SuiteError("cannot move \(from) to \(to): \(String(cString: strerror(errno))); the switch of \(folder) is half "
                    + "done and the next suite command on it completes it", exitCode: SuiteExitCode.ioError)
            }
        }
        let (s, r) = (folder + "/" + staging, folder + "/" + retired)
        if !exists(r) { try fm.createDirectory(atPath: r, withIntermediateDirectories: true) }
        guard OutputFolder.isRealDirectory(r), OutputFolder.isRealDirectory(s) else {
            throw SuiteError("\(s) or \(r) is not a folder of the suite's own; nothing was moved", exitCode: SuiteExitCode.ioError)
        }
        for item in remove where exists(folder + "/" + item) && !exists(r + "/" + item) {
            try move(folder + "/" + item, r + "/" + item)
        }
        for item in put where exists(s + "/" + item) {
            if exists(folder + "/" + item) {
                if exists(r + "/" + item) { try fm.removeItem(atPath: r + "/" + item) }
                try move(folder + "/" + item, r + "/" + item)
            }
            try move(s + "/" + item, folder + "/" + item)
            // The reliability tests kill the process here: in the middle of a switch (FaultInjection).
            if FaultInjection.isEnabled && ProcessInfo.processInfo.environment["DESCENT_FAULT_KILL_IN_SWITCH"] == "1" {
                kill(getpid(), SIGKILL)
            }
        }
        unlink(folder + "/" + Self.fileName)
        var warnings: [String] = []
        for leftover in [s, r] where exists(leftover) {
            do { try fm.removeItem(atPath: leftover) } catch {
                warnings.append("the new results are in place, but \(leftover) (the replaced files) could not be removed: \(error); "
                    + "the next suite command on \(folder) tries again")
            }
        }
        return warnings
    }
}
