import DescentCore
import DescentReport
import Foundation
import Testing

/// Runs pdflatex on `source` in a fresh folder (with `files` beside it); the log, the text of the PDF
/// (pdftotext) and whether it compiled. nil when pdflatex or pdftotext is not installed.
func compileLaTeX(_ source: String, files: [String: String] = [:]) throws -> (ok: Bool, log: String, text: String)? {
    let tools = ["/usr/bin/pdflatex", "/usr/bin/pdftotext"]
    guard tools.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descent-latex-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
    try source.write(toFile: folder + "/doc.tex", atomically: true, encoding: .utf8)
    func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
    let ok = try run(tools[0], ["-interaction=nonstopmode", "-halt-on-error", "doc.tex"]) == 0
    let log = (try? String(contentsOfFile: folder + "/doc.log", encoding: .utf8))
        ?? String(decoding: FileManager.default.contents(atPath: folder + "/doc.log") ?? Data(), as: UTF8.self)
    var text = ""
    if ok, try run(tools[1], ["doc.pdf", "doc.txt"]) == 0 { text = (try? String(contentsOfFile: folder + "/doc.txt", encoding: .utf8)) ?? "" }
    return (ok, log, text)
}

let latexPreamble = "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n\\usepackage{booktabs}\n"

/// Every non-ASCII character in the suite's sources (what it can print, and more: comments too).
let sourceCharacters: [Character] = {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources").path
    var found = Set<Character>()
    for case let file as String in FileManager.default.enumerator(atPath: sources) ?? FileManager.DirectoryEnumerator()
    where file.hasSuffix(".swift") {
        guard let text = try? String(contentsOfFile: sources + "/" + file, encoding: .utf8) else { continue }
        for c in text where !c.isASCII { found.insert(c) }
    }
    return found.sorted { String($0) < String($1) }
}()

@Suite("Paper: escaping, numbers, numbers.tex, LaTeX columns and the protocol")
struct PaperTests {
    @Test("every non-ASCII character in Sources has a LaTeX form (none becomes ?)")
    func everyCharacterEscapes() {
        #expect(sourceCharacters.count > 60, "found \(sourceCharacters.count) characters: is Sources where the test looks?")
        for c in sourceCharacters { #expect(!LaTeX.escape(String(c)).contains(LaTeX.unknown), "\(c) (U+\(String(c.unicodeScalars.first!.value, radix: 16)))") }
        #expect(LaTeX.escape("10⁻⁸ … 10⁻¹") == "10\\ensuremath{^{-8}} \\ldots{} 10\\ensuremath{^{-1}}")
        #expect(LaTeX.escape("x₁₀") == "x\\ensuremath{_{10}}")
        #expect(LaTeX.escape("--tune") == "-{}-tune")
        #expect(LaTeX.prose("chosen by `--tune` in `tuning.csv`") == "chosen by \\texttt{-{}-tune} in \\texttt{tuning.csv}")
        #expect(LaTeX.escape("gsl_bfgs2+newton") == "gsl\\_bfgs2+newton")
        #expect(LaTeX.escape("\u{1F600}") == LaTeX.unknown)
    }

    @Test("every character survives pdflatex: none prints as ?, no undefined control sequence")
    func everyCharacterCompiles() throws {
        let chars = sourceCharacters + "‖∇f‖ ≤ 10⁻⁸ … −1 × κ ≈ – -- · ∞ αβγ ₀₁₂₃₄₅₆₇₈₉ ⁰¹²³⁴⁵⁶⁷⁸⁹".map { $0 }
        let body = chars.map { LaTeX.escape("[" + String($0) + "]") }.joined(separator: " ")
        guard let r = try compileLaTeX(latexPreamble + "\\begin{document}\n" + body + "\n\\end{document}\n") else { return }
        #expect(r.ok, "\(r.log.suffix(2000))")
        #expect(!r.log.contains("Undefined control sequence"))
        #expect(!r.text.contains("?"), "\(r.text)")
        #expect(r.text.contains("[") && r.text.filter { $0 == "[" }.count == chars.count)
    }

    @Test("one number rule: integers in full, 3 significant digits, plain from 0.01 to 1000, one notation per cell")
    func numberRule() {
        #expect(NumberFormat.value(262) == "262" && NumberFormat.value(0) == "0" && NumberFormat.value(-3) == "-3")
        #expect(NumberFormat.value(4.671) == "4.67" && NumberFormat.value(0.0123) == "0.0123" && NumberFormat.value(256.5) == "257")
        #expect(NumberFormat.value(1.23e-5) == "1.23e-05" && NumberFormat.value(0.00999) == "9.99e-03")
        #expect(NumberFormat.value(1234.5) == "1.23e+03" && NumberFormat.value(999.7) == "1.00e+03" && NumberFormat.value(2e6) == "2.00e+06")
        #expect(NumberFormat.value(.infinity) == "inf" && NumberFormat.value(.nan) == "nan")
        #expect(NumberFormat.count(256.5) == "257" && NumberFormat.count(30.5) == "31" && NumberFormat.count(7) == "7")
        // A cell: the median and quartiles in one notation (today's '8 [7.50·10⁰–9]' and '262 [2.56·10²–284]' are gone).
        #expect(NumberFormat.values([8, 7.5, 9]) == ["8.00", "7.50", "9.00"])
        #expect(NumberFormat.values([9.78e-9, 9.72e-9, 0.12]) == ["9.78e-09", "9.72e-09", "1.20e-01"])
        #expect(NumberFormat.values([0, 0, 1e-32]) == ["0", "0", "1.00e-32"])
        #expect(NumberFormat.values([1, 1, 1]) == ["1", "1", "1"])
        // LaTeX sets the scientific form with \DescentNum, a minus as math, ∞ as a symbol; labels stay text.
        #expect(LaTeX.number("-4.00e+02 [1.20e-01–inf]") == "\\ensuremath{-}\\DescentNum{4.00}{2} [\\DescentNum{1.20}{-1}--\\ensuremath{\\infty}]")
        #expect(LaTeX.prose("adam(lr=1e-3): final f − f* = 5.02e-09") == "adam(lr=1e-3): final f \\ensuremath{-} f* = \\DescentNum{5.02}{-9}")
    }

    @Test("cells, intervals and notes of a table use the same form; LaTeX has no e-notation left")
    func sameFormEverywhere() throws {
        let md = try #require(paperFiles["tables/tables.md"])
        // logistic's final error: medians and quartiles in one notation, and the note in the same form.
        #expect(md.contains("| 2.00e-03 [1.50e-03–2.50e-03] |"), "\(md)")
        #expect(md.contains("sgd (B=8): 3/3 max iterations; final f − f* = 2.00e-03 [1.50e-03–2.50e-03]"))
        // Epochs are not counts: their median and quartiles share the plain form.
        #expect(md.contains("*3.00 [2.50–3.50]*"))
        for (path, text) in paperFiles where path.hasSuffix(".tex") && path.hasPrefix("tables/") {
            let body = text.split(separator: "\n").filter { !$0.hasPrefix("%") }.joined(separator: "\n")
            #expect(body.range(of: #"[0-9]e[+-][0-9][0-9]"#, options: .regularExpression) == nil, "\(path) has a raw e-notation number")
            #expect(!body.contains("?"), "\(path)")
        }
    }

    @Test("numbers.tex: text values stay text, an unknown key is an error naming it, a missing value is \\DescentMissing")
    func numbersFile() throws {
        let numbers = try #require(paperFiles["tables/numbers.tex"])
        #expect(numbers.contains("\\csname descent@hash\\endcsname{0123abcd}"))
        #expect(numbers.contains("descent@quad-1-/gd(lr=10)/status\\endcsname{diverged at iteration 3}"))
        // adam never reached 1e-8, one of three sgd seeds missed 1e-2: no value, but a key.
        #expect(numbers.contains("descent@quad-1-/adam(lr=0.1)/work-1e-8\\endcsname{\\DescentMissing}"))
        #expect(numbers.contains("descent@logistic/sgd-(B=8)/work-1e-2\\endcsname{\\DescentMissing}"))
        #expect(numbers.contains("descent@quad-1-/gd/final-error\\endcsname{\\DescentNum{5.00}{-9}}"))
        let cite = "Run \\DescentValue{hash}; gd: \\DescentValue{quad-1-/gd/work-1e-1}; adam: [\\DescentValue{quad-1-/adam(lr=0.1)/work-1e-8}]; "
            + "\\DescentValue{quad-1-/gd/final-error}. \\renewcommand{\\DescentMissing}{n/a}[\\DescentValue{quad-1-/adam(lr=0.1)/work-1e-8}]"
        guard let ok = try compileLaTeX(latexPreamble + "\\input{numbers.tex}\n\\begin{document}\n" + cite + "\n\\end{document}\n",
                                        files: ["numbers.tex": numbers]) else { return }
        #expect(ok.ok, "\(ok.log.suffix(1500))")
        #expect(ok.text.contains("Run 0123abcd; gd: 16; adam: ["), "\(ok.text)")
        #expect(ok.text.contains("[n/a]") && numbers.contains("\\providecommand{\\DescentMissing}{--}"), "\(ok.text)")
        let bad = try #require(try compileLaTeX(latexPreamble + "\\input{numbers.tex}\n\\begin{document}\n\\DescentValue{quad-1-/gd/work-1e-9}\n\\end{document}\n",
                                                files: ["numbers.tex": numbers]))
        #expect(!bad.ok && bad.log.contains("Unknown key `quad-1-/gd/work-1e-9' in \\DescentValue"), "\(bad.log.suffix(1500))")
    }

    @Test("the LaTeX table shows the chosen targets, the final error and the status; Markdown every target")
    func columnSubset() throws {
        let problem = paperSet.problems[0]
        let table = ResultTables.targets(problem, measure: .evaluations, hash: "h", latexTargets: [1e-2, 1e-6])
        let latex = table.latex()
        let header = try #require(latex.split(separator: "\n").first { $0.hasPrefix("optimizer &") })
        #expect(header == "optimizer & \\ensuremath{10^{-2}} & \\ensuremath{10^{-6}} & final f \\ensuremath{-} f* & status \\\\")
        #expect(latex.contains("\\begin{tabular}{lrrrl}") && latex.contains("\\begin{table*}"))
        let md = table.markdown()
        for t in Targets.all { #expect(md.contains("| " + Targets.label(t) + " |") || md.contains(" " + Targets.label(t) + " |")) }
        // The default: 10⁻¹, 10⁻⁴, 10⁻⁸; statuses abbreviated with their legend.
        let quad = try #require(paperFiles["tables/quad_1.tex"])
        #expect(quad.contains("optimizer & \\ensuremath{10^{-1}} & \\ensuremath{10^{-4}} & \\ensuremath{10^{-8}} & final f"))
        #expect(quad.contains("Status: C converged, M maximum iterations, D diverged."), "\(quad)")
        #expect(ResultTables.defaultLaTeXTargets == [1e-1, 1e-4, 1e-8])
    }

    @Test("--latex-targets values: loosest first; empty, unknown, repeated or junk are refused naming the valid targets")
    func parseTargets() throws {
        #expect(try ResultTables.parseLaTeXTargets("1e-6,1e-2").get() == [1e-2, 1e-6])
        #expect(try ResultTables.parseLaTeXTargets("0.001").get() == [1e-3])
        for bad in ["", "1e-9", "1e-2,1e-2", "abc", "1e-2,", "nan"] {
            guard case .failure(let e) = ResultTables.parseLaTeXTargets(bad) else { Issue.record("accepted '\(bad)'"); continue }
            #expect(e.message.contains("1e-1,1e-2,1e-3,1e-4,1e-5,1e-6,1e-7,1e-8"), "\(e.message)")
        }
    }

    @Test("captions are short and refer to the protocol, which states the rules, the hash and the ranking once")
    func protocolAndCaptions() throws {
        let tex = try #require(paperFiles["tables/protocol.tex"])
        let md = try #require(paperFiles["tables/protocol.md"])
        #expect(tex.contains("\\label{descent:protocol}") && tex.contains("0123abcd") && md.hasPrefix("## Protocol"))
        #expect(md.contains(ResultTables.rankingRule) && md.contains(ResultTables.rowOrder))
        #expect(try #require(paperFiles["tables/tables.md"]).contains(md))
        for (path, text) in paperFiles where path.hasPrefix("tables/") && path.hasSuffix(".tex") && text.contains("\\caption{") {
            let caption = try #require(text.split(separator: "\n").first { $0.hasPrefix("\\caption{") })
            #expect(caption.contains("Section~\\ref{descent:protocol}"), "\(path)")
            #expect(caption.count < 700, "\(path): \(caption.count) characters")
            #expect(!caption.contains("Mann") && !caption.contains("reference.csv") && !caption.contains("gsl\\_bfgs2"), "\(path)")
        }
    }

    @Test("the example papers input the tables, figures, protocol and numbers, and compile without overfull boxes")
    func paperKit() throws {
        let one = try #require(paperFiles["paper/paper-onecolumn.tex"])
        let two = try #require(paperFiles["paper/paper-twocolumn.tex"])
        #expect(two.contains("\\documentclass[twocolumn]{article}") && one.contains("\\documentclass{article}"))
        for needed in ["\\input{../tables/overview.tex}", "\\input{../tables/quad_1.tex}", "\\input{../tables/logistic.tex}",
                       "\\input{../tables/protocol.tex}", "\\input{../tables/numbers.tex}", "\\IfFileExists{../plots/ecdf.tex}",
                       "../plots/performance-profile.tex", "../plots/data-profile.tex", "\\DescentValue{hash}"] {
            #expect(one.contains(needed) && two.contains(needed), "\(needed)")
        }
    }
}
