import DescentCLI
import DescentCore
import DescentTestSupport
import Foundation
import Testing

/// The package root (this file is Tests/CLITests/PluginRunTests.swift below it).
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Sign descent as a plugin package would add it.
private struct PluginSignDescent: Optimizer, ElementwiseRule {
    static let name = "plugin-signgd"
    static let summary = "sign descent from a test plugin"
    static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }
    @Parameter("lr", "learning rate", .positive) var lr = 1e-2
    func scalars(iteration: Int, previous: Double?) -> Double { lr }
    func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars lr: Double) -> V { x - lr * g.signum() }
}

/// `suite` in-process for the plugin package `package` (``SuiteMain/run(arguments:registry:package:console:)``).
private func pluginSuite(_ arguments: [String], package: PluginPackage) -> (code: Int32, out: String, err: String) {
    let captured = CapturedOutput()
    let console = Console(out: { captured.out += $0 }, err: { captured.err += $0 })
    let registry = Registry.standard(optimizers: [OptimizerEntry(PluginSignDescent.self)])
    let code = SuiteMain.run(arguments: arguments + ["--isolation", "none"], registry: registry, package: package, console: console)
    return (code, captured.out, captured.err)
}

private func metadata(_ folder: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/metadata.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite("Plugins: metadata names the plugin, its commit and each run's loop; --explain")
struct PluginRunTests {
    @Test("metadata.json names the plugin package, its version and commit, Descent's commit, and the loop of every pair")
    func metadataNamesThePlugin() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let package = PluginPackage(name: "TestPlugin", version: "1.2.3")
        let run = pluginSuite(["--problem", "quadratic(n=64,rotated=false,linear=ones)", "--problem", "beale",
                               "--optimizer", "plugin-signgd", "--optimizer", "lbfgs", "--max-iterations", "20", "--no-cache",
                               "--quiet", "--output", output], package: package)
        #expect(run.code == 0, "\(run.err)")
        let environment = try #require(try metadata(output)["environment"] as? [String: Any])
        let plugins = try #require(environment["plugins"] as? [[String: Any]])
        #expect(plugins.count == 1)
        #expect(plugins.first?["name"] as? String == "TestPlugin")
        #expect(plugins.first?["version"] as? String == "1.2.3")
        #expect(plugins.first?["optimizers"] as? [String] == ["plugin-signgd"])
        #expect(plugins.first?["problems"] as? [String] == [])
        let commits = [environment["git_commit"] as? String, plugins.first?["git_commit"] as? String]
        if FileManager.default.fileExists(atPath: packageRoot + "/.git") {
            for commit in commits {
                let hex = try #require(commit?.prefix(40))
                #expect(hex.count == 40 && hex.allSatisfy(\.isHexDigit), "\(commit ?? "nil")")
            }
        }
        let loops = try #require(environment["loops"] as? [String: [String: String]])
        #expect(loops["quadratic(n=64,rotated=false,linear=ones)"] == ["plugin-signgd": "fused", "lbfgs": "solver"])
        #expect(loops["beale"] == ["plugin-signgd": "plain", "lbfgs": "solver"])
    }

    @Test("suite itself names no plugin")
    func noPlugin() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let run = suite(["--problem", "rosenbrock", "--optimizer", "gd", "--max-iterations", "5", "--no-cache", "--quiet", "--output", output])
        #expect(run.code == 0, "\(run.err)")
        let environment = try #require(try metadata(output)["environment"] as? [String: Any])
        #expect(environment["plugins"] == nil)
        // Rosenbrock in 2-D is the extended (separable) one: an elementwise rule runs tiled.
        #expect(environment["loops"] as? [String: [String: String]] == ["rosenbrock": ["gd": "tiled"]])
    }

    @Test("--explain prints each pair's loop with what the loop does, runs nothing and writes nothing")
    func explain() throws {
        let output = try temporaryFolder()
        let run = pluginSuite(["--problem", "quadratic(n=64,rotated=false,linear=ones)", "--problem", "extended-rosenbrock",
                               "--optimizer", "plugin-signgd", "--optimizer", "adafactor", "--check-every", "5", "--log-every", "10",
                               "--output", output, "--explain"], package: PluginPackage(name: "TestPlugin"))
        #expect(run.code == 0, "\(run.err)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let lines = run.out.split(separator: "\n").map(String.init)
        #expect(lines.contains("  plugin-signgd  fused, blocked"))
        #expect(lines.contains("  plugin-signgd  tiled, blocked"))
        #expect(lines.contains("  adafactor      plain"))
        #expect(lines.contains { $0.hasPrefix("fused, blocked: ") })
        #expect(lines.contains { $0.hasPrefix("plain: ") })
        #expect(!lines.contains { $0.hasPrefix("solver: ") })
    }
}
