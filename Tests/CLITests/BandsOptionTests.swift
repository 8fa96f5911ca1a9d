import DescentCLI
import DescentCore
import DescentReport
import Foundation
import Testing

@Suite("--bands and the built-in styles")
struct BandsOptionTests {
    @Test("an unknown band mode exits 64 naming the valid ones, on report and on run, and writes nothing")
    func badMode() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        for arguments in [["report", out, "--bands", "sideways"],
                          ["--problem", "rosenbrock", "--optimizer", "gd", "--output", out, "--bands", "sideways"]] {
            let r = suite(arguments)
            #expect(r.code == 64, "\(arguments): \(r.err)")
            #expect(r.err.contains("--bands must be one of auto, none, all, got 'sideways'"), "\(r.err)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test("--bands all draws every band, none draws none, auto (the default) draws them for a few lines")
    func modes() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = suite(["--problem", "logistic(samples=80,features=4)", "--optimizer", "sgd(lr=0.1)", "--optimizer", "adam",
                       "--batch-size", "8", "--seeds", "3", "--max-iterations", "60", "--output", out, "--quiet", "--bands", "none"])
        #expect(r.code == 0, "\(r.err)")
        func bands() throws -> Int {
            let svg = try String(contentsOfFile: out + "/plots/logistic_samples=80_features=4.svg", encoding: .utf8)
            return svg.components(separatedBy: "<polygon class=\"band\"").count - 1
        }
        #expect(try bands() == 0)
        #expect(suite(["report", out, "--quiet", "--bands", "all"]).code == 0)
        #expect(try bands() == 2)
        #expect(suite(["report", out, "--quiet"]).code == 0)
        #expect(try bands() == 2)
    }

    @Test("every optimizer of the registry has a fixed style entry (plugins get hashed ones)")
    func registryCovered() {
        let names = Registry.standard.optimizers.map(\.name).filter { $0 != "fault" }  // the test-only fault injector
        #expect(!names.isEmpty)
        for name in names { #expect(LineStyle.builtIn.contains(name), "\(name) has no entry in LineStyle.builtIn") }
    }
}
