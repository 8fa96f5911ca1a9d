import DescentCLI
import Foundation
import Testing

/// The package root (this file is Tests/CLITests/ConfigurationHashTests.swift below it).
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Suite("The configuration hash names the problems' content, never a folder's path", .serialized)
struct ConfigurationHashTests {
    /// A small run of an instance file's problem into a fresh folder, by the real binary started in
    /// `directory`; returns the folder's configuration hash.
    func hash(from directory: String, problems: String? = nil) throws -> String {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let arguments = ["--problem", "breast-cancer", "--optimizer", "gd", "--max-iterations", "5", "--no-cache",
                         "--isolation", "none", "--quiet", "--output", output] + (problems.map { ["--problems", $0] } ?? [])
        let run = try runSuite(arguments, directory: directory)
        #expect(run.code == 0, "\(run.err)")
        let data = try Data(contentsOf: URL(fileURLWithPath: output + "/metadata.json"))
        let meta = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((meta["configuration"] as? [String: Any])?["problems_folder"] == nil)
        return try #require(meta["hash"] as? String)
    }

    @Test("the same configuration from two working directories and with the problems folder at two paths has one hash")
    func hashIsTheSameAnywhere() throws {
        let elsewhere = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        // From the repository (./Problems) and from a folder without one (the Descent checkout's Problems/).
        let here = try hash(from: packageRoot)
        #expect(try hash(from: elsewhere) == here)
        // The folder named by an absolute path, by a relative one, and copied to another path.
        #expect(try hash(from: elsewhere, problems: packageRoot + "/Problems") == here)
        #expect(try hash(from: packageRoot, problems: "./Problems/") == here)
        let copy = elsewhere + "/copy/of/Problems"
        try FileManager.default.createDirectory(atPath: elsewhere + "/copy/of", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: packageRoot + "/Problems", toPath: copy)
        #expect(try hash(from: elsewhere, problems: copy) == here)
        // The content does enter it: another λ in the instance file is another configuration.
        let file = copy + "/breast-cancer.toml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "lambda = 1e-3", with: "lambda = 2e-3").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try hash(from: elsewhere, problems: copy) != here)
    }
}
