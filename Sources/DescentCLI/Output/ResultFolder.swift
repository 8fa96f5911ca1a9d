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

    /// Parses `folder`; `traces` false skips reading traces (comparisons do not need them).
    static func load(_ folder: String, traces: Bool = true) throws -> ResultSet {
        let hash = try Metadata.hash(folder: folder)
        let manifest: Manifest?
        if let data = FileManager.default.contents(atPath: folder + "/" + Manifest.fileName) {
            do { manifest = try Manifest(parsing: String(decoding: data, as: UTF8.self)) } catch {
                throw SuiteError("\(folder)/\(error)", exitCode: SuiteExitCode.usage)
            }
        } else {
            manifest = nil
        }
        let root = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path + "/"
        var hasTraces: ObjCBool = false
        let tracesPresent = FileManager.default.fileExists(atPath: folder + "/traces", isDirectory: &hasTraces) && hasTraces.boolValue
        var problems: [String] = []
        let set: ResultSet
        do {
            set = try ResultSet.parse(hash: hash) { relative in
                if !traces && relative.hasPrefix("traces/") { return nil }
                let full = folder + "/" + relative
                guard ResultPaths.isConfined(relative), URL(fileURLWithPath: full).resolvingSymlinksInPath().path.hasPrefix(root) else {
                    problems.append("\(String(relative.prefix(80))) is not a file inside the folder")
                    return nil
                }
                guard let data = FileManager.default.contents(atPath: full) else {
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
        if let first = problems.first {
            throw SuiteError("\(folder)/\(first)" + (problems.count > 1 ? " (and \(problems.count - 1) more)" : "")
                + "; nothing was written", exitCode: SuiteExitCode.usage)
        }
        return set
    }

    /// `--profile-target` must be one of the table targets (profiles are made from the target hits).
    static func checkProfileTarget(_ target: Double) throws {
        guard Targets.all.contains(target) else {
            throw ValidationError("--profile-target must be one of the table targets "
                + "\(Targets.all.map(Targets.label).joined(separator: ", ")), got \(target)")
        }
    }
}
