import DescentCore
import Foundation
import GSL
import DescentProblems

/// `metadata.json`: what produced a results folder.
///
/// `configuration` holds everything that decides the numbers (suite version, selection, stopping
/// options, seeds); its hash, 8 hex digits, is printed in every caption, so a table in a paper
/// names the configuration it came from. `environment` says where and when it ran (git commit,
/// Swift, GSL and BLAS, OS, CPU, date, the command line); it does not enter the hash, so the same
/// configuration gives the same tables on any machine and date.
struct Metadata {
    var configuration: [String: Any]
    var environment: [String: Any]
    /// Whether every planned run finished (false for an interrupted run's partial results, which a later
    /// run may replace; complete results are never replaced by partial ones).
    var complete = true

    /// The hash of the configuration (FNV-1a of its canonical JSON, first 8 hex digits).
    var hash: String {
        var h = StableHash()
        h.combine(Self.json(configuration))
        return String(h.digits.prefix(8))
    }

    /// The file's text: sorted keys, two-space indentation, a final newline.
    var text: String {
        Self.json(["hash": hash, "complete": complete, "configuration": configuration, "environment": environment], pretty: true) + "\n"
    }

    static func json(_ object: [String: Any], pretty: Bool = false) -> String {
        let options: JSONSerialization.WritingOptions = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: options)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The configuration hash in `DIR/metadata.json`; throws a usage error naming the file when it is
    /// missing or malformed (it must hold a `hash` and a `configuration`).
    static func hash(folder: String) throws -> String { try read(folder: folder).hash }

    /// `DIR/metadata.json` as JSON, or nil when it is absent or not a JSON object: the one place that reads it.
    static func object(folder: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: folder + "/metadata.json") else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// `DIR/metadata.json`: its hash, configuration, environment (empty when absent) and `complete` (nil in
    /// a folder written before manifests); errors as ``hash(folder:)``.
    static func read(folder: String) throws
        -> (hash: String, configuration: [String: Any], environment: [String: Any], complete: Bool?) {
        let path = folder + "/metadata.json"
        guard let object = object(folder: folder) else {
            guard FileManager.default.fileExists(atPath: path) else {
                throw SuiteError("\(path) is missing: \(folder) is not a folder written by 'suite run'", exitCode: SuiteExitCode.usage)
            }
            throw SuiteError("\(path) is not valid metadata (needs \"hash\" and \"configuration\")", exitCode: SuiteExitCode.usage)
        }
        guard let hash = object["hash"] as? String, let configuration = object["configuration"] as? [String: Any] else {
            throw SuiteError("\(path) is not valid metadata (needs \"hash\" and \"configuration\")", exitCode: SuiteExitCode.usage)
        }
        return (hash, configuration, object["environment"] as? [String: Any] ?? [:], object["complete"] as? Bool)
    }

    /// Whether `DIR/metadata.json` was written by a suite that also writes `manifest.csv` (it has the
    /// `complete` key, which came with manifests): then a missing manifest means a damaged folder.
    static func writtenWithManifest(folder: String) -> Bool { object(folder: folder)?["complete"] != nil }

    /// Where and when this process runs: the command (by the executable's name: `suite`, or a plugin's),
    /// the commit of the Descent sources it was built from (``Checkout``), the plugin package it
    /// runs for (``PluginPackage``, under `plugins`; absent for `suite` itself), the toolchain,
    /// libraries and machine.
    static func currentEnvironment(arguments: [String]) -> [String: Any] {
        let blas = linkedBLAS()
        let program = arguments.first.map { ($0 as NSString).lastPathComponent } ?? "suite"
        var environment: [String: Any] = [
            "command": ([program.isEmpty ? "suite" : program] + arguments.dropFirst()).joined(separator: " "),
            "git_commit": Checkout.gitCommit(at: Checkout.descentRoot),
            "swift": swiftVersion,
            "gsl": GSL.version,
            "blas": blas,
            "blas_models": modelBLAS(linked: blas),
            "os": osName(),
            "cpu": cpuName(),
            "cores": ProcessInfo.processInfo.activeProcessorCount,
            "date": ISO8601DateFormatter().string(from: Date()),
        ]
        if let plugin = PluginPackage.current { environment["plugins"] = [plugin.metadata] }
        return environment
    }

    static var swiftVersion: String {
        #if compiler(>=6.4)
        return "6.4 or later"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #else
        return "6.1"
        #endif
    }

    /// The BLAS library mapped into this process (GSL's reference CBLAS or OpenBLAS), from /proc/self/maps.
    static func linkedBLAS() -> String {
        // /proc files report size 0: read to the end rather than by size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return "unknown" }
        let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        var found: [String] = []
        for line in maps.split(separator: "\n") {
            guard let path = line.split(separator: " ").last, path.hasPrefix("/") else { continue }
            let name = String(path.split(separator: "/").last ?? "")
            if (name.hasPrefix("libopenblas") || name.hasPrefix("libgslcblas") || name.hasPrefix("libblas") || name.hasPrefix("libmkl"))
                && !found.contains(name) {
                found.append(name)
            }
        }
        return found.isEmpty ? "none loaded" : found.sorted().joined(separator: ", ")
    }

    /// What the model problems' products ran on: OpenBLAS's configuration, kernels and thread count
    /// (GSL keeps its reference CBLAS), or "not loaded" when no model problem ran.
    static func modelBLAS(linked: String) -> String {
        guard linked.contains("openblas"), (try? BLAS.load()) != nil else { return "not loaded" }
        return "\(BLAS.configuration), \(BLAS.threads) thread\(BLAS.threads == 1 ? "" : "s")"
    }

    static func osName() -> String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return ProcessInfo.processInfo.operatingSystemVersionString }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return ProcessInfo.processInfo.operatingSystemVersionString
    }

    static func cpuName() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        }
        return "unknown"
    }
}
