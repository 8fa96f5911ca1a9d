import DescentCore

/// CSV text: RFC 4180 quoting, `\n` line ends, numbers in shortest round-trip form.
public enum CSV {
    /// A field, quoted when it contains a comma, a double quote, CR or LF (quotes doubled).
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }

    /// A number field; `nil` is the empty field.
    public static func number(_ x: Double?) -> String { x.map(NumberFormat.exact) ?? "" }

    /// Rows of already-formatted fields joined into CSV text with a header.
    public static func table(header: [String], rows: [[String]]) -> String {
        var out = header.map(field).joined(separator: ",") + "\n"
        for row in rows { out += row.joined(separator: ",") + "\n" }
        return out
    }

    /// The columns of `summary.csv`, in order.
    public static let summaryColumns = [
        "problem", "dimension", "optimizer", "seed", "batch_size", "status", "iterations", "gradient_evaluations",
        "function_evaluations", "sample_gradients", "epochs", "f_initial", "f_final", "f_star", "suboptimality", "grad_norm", "note", "trace",
        "validation_loss", "validation_accuracy", "instance",
    ]

    /// The columns a `summary.csv` must have to be read (folders written before the validation and instance
    /// columns have the rest).
    public static let requiredSummaryColumns = Array(summaryColumns.dropLast(3))

    /// `summary.csv`: one row per run, in the order given. Deterministic: times are in `timing.csv`.
    public static func summary(_ records: [RunRecord], tracePaths: [String?]? = nil) -> String {
        let paths = tracePaths ?? ReportFiles.tracePaths(records)
        return table(header: summaryColumns, rows: zip(records, paths).map { r, path in
            // A skipped run computed nothing: its numeric fields are empty, not nan.
            let ran = r.result.status != .skipped
            let number = { (x: Double?) in ran ? CSV.number(x) : "" }
            return [
                field(r.problem), String(r.dimension), field(r.optimizer), String(r.seed), r.batchSize.map(String.init) ?? "",
                r.result.status.rawValue, String(r.result.iterations), String(r.result.gradientEvaluations),
                String(r.result.functionEvaluations), String(r.result.sampleGradients), number(r.result.epochs),
                number(r.result.initialValue), number(r.result.finalValue), number(r.result.optimalValue),
                number(r.result.suboptimality), number(r.result.gradientNorm), field(r.result.note ?? ""),
                field(path ?? ""), number(r.result.validationLoss), number(r.result.validationAccuracy), String(r.instance),
            ]
        })
    }

    /// The columns of `targets.csv`, in order.
    public static let targetColumns = [
        "problem", "optimizer", "seed", "batch_size", "target", "reached", "iterations", "gradient_evaluations",
        "function_evaluations", "sample_gradients", "epochs",
    ]

    /// `targets.csv`, tidy long format: one row per run and target of ``Targets/all``; the work columns
    /// are empty where the target was not reached. Skipped runs have no rows.
    public static func targets(_ records: [RunRecord]) -> String {
        var rows: [[String]] = []
        for r in records where r.result.status != .skipped {
            for target in Targets.all {
                let head = [field(r.problem), field(r.optimizer), String(r.seed), r.batchSize.map(String.init) ?? "",
                            NumberFormat.exact(target)]
                if let h = r.result.hits.first(where: { $0.target == target }) {
                    rows.append(head + ["true", String(h.iteration), String(h.gradientEvaluations), String(h.functionEvaluations),
                                        String(h.sampleGradients), NumberFormat.exact(h.epochs)])
                } else {
                    rows.append(head + ["false", "", "", "", "", ""])
                }
            }
        }
        return table(header: targetColumns, rows: rows)
    }

    /// The columns of `timing.csv`, in order.
    public static let timingColumns = ["problem", "optimizer", "seed", "batch_size", "target", "time_s"]

    /// `timing.csv`: wall-clock seconds per run (`target` empty) and to each target reached.
    /// Kept apart from the deterministic files.
    public static func timing(_ records: [RunRecord]) -> String {
        var rows: [[String]] = []
        for r in records where r.result.status != .skipped {
            let head = [field(r.problem), field(r.optimizer), String(r.seed), r.batchSize.map(String.init) ?? ""]
            rows.append(head + ["", NumberFormat.exact(r.result.time)])
            for h in r.result.hits { rows.append(head + [NumberFormat.exact(h.target), NumberFormat.exact(h.time)]) }
        }
        return table(header: timingColumns, rows: rows)
    }

    /// Parses CSV text (RFC 4180: quoted fields may hold commas, doubled quotes and line ends) into
    /// rows of fields; the header is the first row. Throws on an unterminated quote.
    public static func parse(_ text: String) throws(CSVError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var fieldText = ""
        var quoted = false
        var atFieldStart = true
        var line = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let d = next() {
                        if d == "\"" { fieldText.unicodeScalars.append("\"") } else { quoted = false; pending = d }
                    } else { quoted = false }
                } else {
                    if c == "\n" { line += 1 }
                    fieldText.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                row.append(fieldText)
                fieldText = ""
                atFieldStart = true
            case "\r":
                continue
            case "\n":
                row.append(fieldText)
                rows.append(row)
                row = []
                fieldText = ""
                atFieldStart = true
                line += 1
            default:
                fieldText.unicodeScalars.append(c)
                atFieldStart = false
            }
        }
        if quoted { throw CSVError(line: line, message: "a quoted field is not closed") }
        if !atFieldStart || !row.isEmpty { row.append(fieldText); rows.append(row) }
        return rows
    }

    /// The columns of a trace file, in order.
    public static let traceColumns = [
        "iteration", "gradient_evaluations", "sample_gradients", "epochs", "f", "suboptimality", "grad_norm",
        "step_norm", "validation_loss", "validation_accuracy", "time_s",
    ]

    /// `traces/<problem>/<optimizer>.csv`: one row per logged iterate.
    public static func trace(_ rows: [TraceRow]) -> String {
        table(header: traceColumns, rows: rows.map(traceFields))
    }

    /// One trace row as a CSV line (no line end), in ``traceColumns`` order.
    public static func traceLine(_ r: TraceRow) -> String { traceFields(r).joined(separator: ",") }

    static func traceFields(_ r: TraceRow) -> [String] {
        [
            String(r.iteration), String(r.gradientEvaluations), String(r.sampleGradients), number(r.epochs),
            number(r.value), number(r.suboptimality),
            number(r.gradientNorm), number(r.stepNorm), number(r.validationLoss), number(r.validationAccuracy),
            number(r.time),
        ]
    }

    /// Parses a line written by ``traceLine(_:)``; `nil` when it is not one (a torn write).
    public static func parseTraceLine<S: StringProtocol>(_ line: S) -> TraceRow? {
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
        guard f.count == traceColumns.count, let k = Int(f[0]), let ge = Int(f[1]), let sg = Int(f[2]),
              let ep = Double(f[3]), let value = Double(f[4]), let gn = Double(f[6]), let t = Double(f[10]) else { return nil }
        let opt = { (s: S.SubSequence) in s.isEmpty ? nil : Double(s) }
        return TraceRow(iteration: k, gradientEvaluations: ge, sampleGradients: sg, epochs: ep, value: value,
                        suboptimality: opt(f[5]), gradientNorm: gn, stepNorm: opt(f[7]), time: t,
                        validationLoss: opt(f[8]), validationAccuracy: opt(f[9]))
    }

    /// The columns of `reference.csv`, in order.
    public static let referenceColumns = [
        "problem", "dimension", "f_star", "source", "grad_norm_at_x_star", "hessian_min_eigenvalue",
        "hessian_max_eigenvalue", "condition_number", "x_star", "instance",
    ]

    /// One row of `reference.csv`: a problem's instance and its certificate.
    public typealias ReferenceRow = (problem: String, instance: Int, dimension: Int, optimum: Optimum?, conditionNumber: Double?)

    /// `reference.csv`: the certificate of every problem's optimum; x* as `;`-separated values for n ≤ 100;
    /// `condition_number` is κ for problems with a constant Hessian.
    public static func references(_ entries: [ReferenceRow]) -> String {
        table(header: referenceColumns, rows: entries.map { e in
            let point = e.dimension <= 100 ? (e.optimum?.point ?? []).map(NumberFormat.exact).joined(separator: ";") : ""
            return [field(e.problem), String(e.dimension), number(e.optimum?.value), e.optimum?.source.rawValue ?? "",
                    number(e.optimum?.gradientNorm), number(e.optimum?.hessianEigenvalues?.min),
                    number(e.optimum?.hessianEigenvalues?.max), number(e.conditionNumber), point, String(e.instance)]
        })
    }
}

/// Malformed CSV text.
public struct CSVError: Error, Sendable, CustomStringConvertible {
    /// The line where the problem was found (1-based).
    public var line: Int
    /// What is wrong.
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (no Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
