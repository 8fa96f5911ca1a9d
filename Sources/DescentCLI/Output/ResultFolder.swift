import ArgumentParser
import DescentCore
import DescentReport
import Foundation

/// Reads a results folder: the raw CSV files (and traces, when present) with the provenance hash.
///
/// What the suite wrote is checked before a table is made from it: every data file `manifest.csv`
/// lists must have its size and hash (a file cut at a line boundary or edited is refused, naming it);
/// a trace summary.csv names must exist when `traces/` does (a deleted trace would silently drop a
/// line from a plot); and no path is followed out of the folder (a `trace` of `../../etc/passwd`,
/// or a symbolic link pointing outside). Without `traces/` (a clone of a repository that commits the
/// tables but not the traces) the tables are made and the plots are left to the caller.
enum ResultFolder {
    /// The data files whose bytes are checked against the manifest (derived files are regenerated).
    static func isData(_ relative: String) -> Bool {
        ["summary.csv", "targets.csv", "reference.csv", "timing.csv", "tuning.csv"].contains(relative) || relative.hasPrefix("traces/")
    }

    /// The largest file read from a results folder (a trace of 10⁶ logged iterates is about 200 MB).
    static let maximumFileBytes = 512 << 20
    /// The largest `manifest.csv` read (about 500 000 files).
    static let maximumManifestBytes = 32 << 20

    /// The bytes of `path`, at most `limit` of them (``BoundedFile``: the size is checked before anything
    /// is read, and a pipe or device is read no further); nil if it does not exist or cannot be read.
    static func boundedContents(_ path: String, limit: Int) throws -> [UInt8]? {
        do {
            return try BoundedFile.contents(of: path, limit: limit)
        } catch .tooLarge(let size, _) {
            throw SuiteError("\(path) has \(size.map(String.init) ?? "more") bytes, over the \(limit >> 20) MiB a results folder's "
                + "file may have; nothing was written", exitCode: SuiteExitCode.usage)
        } catch {
            return nil
        }
    }

    /// Parses `folder`; `traces` false skips reading traces (comparisons do not need them).
    static func load(_ folder: String, traces: Bool = true) throws -> ResultSet {
        let metadata = try Metadata.read(folder: folder)
        if FileManager.default.fileExists(atPath: folder + "/" + FolderSwitch.fileName) {
            throw SuiteError("\(folder) is in the middle of a switch to new results (a command was killed while writing it): "
                + "'suite report \(folder)' completes it first", exitCode: SuiteExitCode.usage)
        }
        let targets = (metadata.configuration["targets"] as? [String]).map { Set($0.compactMap(Double.init)) }
        let manifest: Manifest?
        if let data = try boundedContents(folder + "/" + Manifest.fileName, limit: maximumManifestBytes) {
            do { manifest = try Manifest(parsing: String(decoding: data, as: UTF8.self)) } catch {
                throw SuiteError("\(folder)/\(error)", exitCode: SuiteExitCode.usage)
            }
        } else if metadata.complete != nil {  // written with a manifest (Metadata.writtenWithManifest)
            throw SuiteError("\(folder)/manifest.csv is missing: the folder was changed after the suite wrote it, so its data "
                + "cannot be checked; rerun it, or restore the file", exitCode: SuiteExitCode.usage)
        } else {
            manifest = nil
        }
        let root = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path + "/"
        var hasTraces: ObjCBool = false
        let tracesPresent = FileManager.default.fileExists(atPath: folder + "/traces", isDirectory: &hasTraces) && hasTraces.boolValue
        var problems: [String] = []
        let set: ResultSet
        do {
            set = try ResultSet.parse(hash: metadata.hash, targets: targets) { relative in
                if !traces && relative.hasPrefix("traces/") { return nil }
                let full = folder + "/" + relative
                guard ResultPaths.isConfined(relative) else {
                    problems.append("\(String(relative.prefix(80))) is not a file inside the folder")
                    return nil
                }
                // An existing file must resolve inside the folder (no link out of it), checked before it is read.
                var st = stat()
                if lstat(full, &st) == 0 && !URL(fileURLWithPath: full).resolvingSymlinksInPath().path.hasPrefix(root) {
                    problems.append("\(String(relative.prefix(80))) is not a file inside the folder")
                    return nil
                }
                let data: [UInt8]?
                do { data = try boundedContents(full, limit: maximumFileBytes) } catch {
                    problems.append("\(relative) is over \(maximumFileBytes >> 20) MiB")
                    return nil
                }
                guard let data else {
                    if relative.hasPrefix("traces/") && tracesPresent {
                        problems.append("\(relative) is missing (summary.csv names it): rerun, or remove traces/ entirely "
                            + "to make the tables without plots")
                    } else if manifest?.entry(relative) != nil && !relative.hasPrefix("traces/") && relative != "timing.csv" {
                        problems.append("\(relative) is missing (manifest.csv lists it)")
                    }
                    return nil
                }
                if let m = manifest, isData(relative) {
                    if let wrong = m.mismatch(relative, contents: data) {
                        problems.append(wrong)
                    } else if m.entry(relative) == nil {
                        problems.append("\(relative) is not in manifest.csv: the suite did not write it")
                    }
                }
                return String(decoding: data, as: UTF8.self)
            }
        } catch {
            // A damaged file explains a parse error better than the parse error does.
            throw SuiteError("\(folder)/\(problems.first ?? "\(error)")", exitCode: SuiteExitCode.usage)
        }
        var loaded = set
        loaded.complete = metadata.complete ?? true
        if let first = problems.first {
            throw SuiteError("\(folder)/\(first)" + (problems.count > 1 ? " (and \(problems.count - 1) more)" : "")
                + "; nothing was written", exitCode: SuiteExitCode.usage)
        }
        return loaded
    }

    /// `--profile-target` must be one of the table targets (profiles are made from the target hits).
    static func checkProfileTarget(_ target: Double) throws {
        guard Targets.all.contains(target) else {
            throw ValidationError("--profile-target must be one of the table targets "
                + "\(Targets.all.map(Targets.label).joined(separator: ", ")), got \(target)")
        }
    }

    /// The LaTeX tables' target columns of `--latex-targets` (nil: the default); a ValidationError (exit 64) naming the valid targets.
    static func latexTargets(_ text: String?) throws -> [Double] {
        guard let text else { return ResultTables.defaultLaTeXTargets }
        switch ResultTables.parseLaTeXTargets(text) {
        case .success(let targets): return targets
        case .failure(let error): throw ValidationError(error.message)
        }
    }
}
