import DescentCLI
import DescentCore
import Foundation
import Testing

@Suite("--latex-targets on suite report and a run")
struct LatexTargetsTests {
    @Test("bad values exit 64 naming the valid targets, and write nothing")
    func badValues() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        for bad in ["", "1e-9", "junk", "1e-2,1e-2", "1e-2,,1e-4"] {
            let r = suite(["report", out, "--latex-targets", bad])
            #expect(r.code == 64 && r.err.contains("--latex-targets") && r.err.contains("1e-1,1e-2,1e-3,1e-4,1e-5,1e-6,1e-7,1e-8"), "\(bad): \(r.err)")
            let run = suite(["--problem", "rosenbrock", "--optimizer", "gd", "--output", out, "--quiet", "--latex-targets", bad])
            #expect(run.code == 64 && run.err.contains("is not") || run.err.contains("twice") || run.err.contains("empty"), "\(bad): \(run.err)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test("a run and suite report write the chosen columns; report without the option the default 10⁻¹, 10⁻⁴, 10⁻⁸")
    func chosenColumns() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = suite(["--problem", "rosenbrock", "--optimizer", "gd", "--optimizer", "newton", "--max-iterations", "300", "--quiet",
                       "--output", out, "--latex-targets", "1e-6,1e-2"])
        #expect(r.code == 0, "\(r.err)")
        func header() throws -> String {
            let tex = try String(contentsOfFile: out + "/tables/rosenbrock.tex", encoding: .utf8)
            return String(try #require(tex.split(separator: "\n").first { $0.hasPrefix("optimizer &") }))
        }
        #expect(try header().hasPrefix("optimizer & \\ensuremath{10^{-2}} & \\ensuremath{10^{-6}} & final"))
        #expect(suite(["report", out, "--quiet"]).code == 0)
        #expect(try header().hasPrefix("optimizer & \\ensuremath{10^{-1}} & \\ensuremath{10^{-4}} & \\ensuremath{10^{-8}} & final"))
        #expect(suite(["report", out, "--quiet", "--latex-targets", "1e-3"]).code == 0)
        #expect(try header().hasPrefix("optimizer & \\ensuremath{10^{-3}} & final"))
        // Markdown keeps every target.
        let md = try String(contentsOfFile: out + "/tables/tables.md", encoding: .utf8)
        #expect(md.contains("| 1e-1 | 1e-2 | 1e-3 | 1e-4 | 1e-5 | 1e-6 | 1e-7 | 1e-8 |"))
        #expect(FileManager.default.fileExists(atPath: out + "/paper/paper-onecolumn.tex"))
    }
}
