import DescentCLI
import DescentCore
import DescentTestSupport
import Foundation
import Testing

/// The committed article at `path` under the package's root (this file is Tests/CLITests/HelpTests.swift).
func committedArticle(_ name: String) throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try String(contentsOf: root.appendingPathComponent("Sources/Descent/Descent.docc/\(name)"), encoding: .utf8)
}

/// Runs `suite` in-process with exactly `arguments` (the shared helper adds `--isolation none` to runs).
func suiteAsTyped(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
    let captured = CapturedOutput()
    let code = SuiteMain.run(arguments: arguments, registry: .standard,
                             console: Console(out: { captured.out += $0 }, err: { captured.err += $0 }))
    return (code, captured.out, captured.err)
}

@Suite("suite --help and the generated articles")
struct HelpTests {
    @Test("suite --help, -h and help list the options of a run and every command")
    func rootHelpShowsRunOptions() {
        let help = suiteAsTyped(["--help"])
        #expect(help.code == 0)
        for text in ["OPTIONS OF A RUN", "USAGE: suite [run] ", "--problem <spec>", "--optimizer <spec>", "--max-iterations",
                     "--tune/--no-tune", "SUBCOMMANDS:", "report", "merge", "reference"] {
            #expect(help.out.contains(text), "suite --help lacks \(text)")
        }
        #expect(!help.out.contains("_docs") && !help.out.contains("_worker"))
        #expect(suiteAsTyped(["-h"]).out == help.out)
        #expect(suiteAsTyped(["help"]).out == help.out)
        // A command's own help is the parser's.
        let report = suiteAsTyped(["help", "report"])
        #expect(report.code == 0 && report.out.contains("--html") && !report.out.contains("--max-iterations"))
    }

    @Test("The command-line reference in the documentation is the parser's help (golden: regenerate with suite _docs cli)")
    func commandLineReferenceIsCurrent() throws {
        let generated = suiteAsTyped(["_docs", "cli"])
        #expect(generated.code == 0)
        #expect(generated.out == (try committedArticle("CommandLineReference.md")),
                "Sources/Descent/Descent.docc/CommandLineReference.md is stale: swift run suite _docs cli > it")
        for command in ["suite run", "suite report", "suite diff", "suite merge", "suite list", "suite reference"] {
            #expect(generated.out.contains("\n## \(command)\n"))
        }
    }

    @Test("The legend article is Legend's text (golden: regenerate with suite _docs legend)")
    func legendArticleIsCurrent() throws {
        let generated = suiteAsTyped(["_docs", "legend"])
        #expect(generated.code == 0)
        #expect(generated.out == (try committedArticle("Legend.md")),
                "Sources/Descent/Descent.docc/Legend.md is stale: swift run suite _docs legend > it")
    }

    @Test("An unknown article is refused with the valid ones")
    func unknownArticle() {
        let r = suiteAsTyped(["_docs", "cli2"])
        #expect(r.code == SuiteExitCode.usage && r.err.contains("valid: cli, legend"))
    }
}

@Suite("Counts in the messages of report and diff agree with their number")
struct PluralTests {
    @Test("One run is 'run', several are 'runs'")
    func oneRun() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        #expect(suite(["--problem", "parabola", "--optimizer", "gd", "--output", output, "--quiet"]).code == 0)
        let report = suite(["report", output])
        #expect(report.out.contains("from 1 run (run "), "\(report.out)")
        let diff = suite(["diff", output, output])
        #expect(diff.out.contains("No differences beyond the spread: 1 run in "), "\(diff.out)")
    }
}
