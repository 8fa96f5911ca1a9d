import DescentCore
import DescentReport

/// The files a run writes, as (relative path, contents), rendered before anything touches the disk.
enum ResultFiles {
    static func render(records: [RunRecord], problems: [ProblemInstance], references: [String: Optimum]) -> [(String, String)] {
        var files: [(String, String)] = [
            ("summary.csv", CSV.summary(records)),
            ("summary.md", Markdown.summary(records, references: references)),
            ("reference.csv", CSV.references(problems.map { ($0.label, $0.problem.dimension, references[$0.label]) })),
        ]
        var used = Set<String>()
        for r in records where r.result.status != .skipped {
            let stem = fileName(r.optimizer) + (r.batchSize.map { "-batch\($0)-seed\(r.seed)" } ?? "")
            var path = "traces/\(fileName(r.problem))/\(stem)"
            var suffix = 2
            while used.contains(path) { path = "traces/\(fileName(r.problem))/\(stem)-\(suffix)"; suffix += 1 }
            used.insert(path)
            files.append((path + ".csv", CSV.trace(r.result.trace)))
        }
        return files
    }

    /// A label made safe as a file name: `adam(lr=0.01,beta1=0.9)` → `adam_lr=0.01_beta1=0.9`.
    static func fileName(_ label: String) -> String {
        var out = ""
        for c in label {
            let keep = c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "=")
            if keep { out.append(c) } else if out.last != "_" { out.append("_") }
        }
        while out.last == "_" { out.removeLast() }
        return out.isEmpty ? "_" : out
    }
}
