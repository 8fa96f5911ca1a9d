import Foundation

/// The source checkout a binary was built from, found through the compiler's `#filePath`: the
/// Descent package itself (``descentRoot``), or a plugin package's (``PluginPackage``). SwiftPM
/// builds from sources that stay on disk (the repository, or `.build/checkouts/Descent` for a
/// package depending on Descent), so a binary run where it was built finds them; a binary copied
/// to another machine does not, and says `unknown` (its instance files then come from `--problems`).
enum Checkout {
    /// The root of the Descent package this binary was built from (the folder of its Package.swift):
    /// this file is `Sources/DescentCLI/Checkout.swift` below it.
    static let descentRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The Descent package's `Problems/` folder, when it is still where the binary was built from it.
    static var descentProblems: String? {
        let folder = descentRoot + "/Problems"
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue ? folder : nil
    }

    /// `git rev-parse HEAD` of the repository holding `folder`, with `+dirty` when tracked files have
    /// uncommitted changes; `unknown (not a git checkout)` when there is none (or no git).
    static func gitCommit(at folder: String) -> String {
        func git(_ args: [String]) -> String? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", folder] + args
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard FileManager.default.fileExists(atPath: folder), let commit = git(["rev-parse", "HEAD"]) else {
            return "unknown (not a git checkout)"
        }
        let dirty = !(git(["status", "--porcelain", "--untracked-files=no"]) ?? "").isEmpty
        return commit + (dirty ? "+dirty" : "")
    }
}
