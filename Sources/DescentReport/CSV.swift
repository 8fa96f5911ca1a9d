import DescentCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// rows of fields; the header is the first row. Throws on an unterminated quote. A leading byte-order
    /// mark is dropped and CRLF line ends read as LF (a file saved by a spreadsheet program).
    public static func parse(_ text: String) throws(CSVError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var fieldText = ""
        var quoted = false
        var atFieldStart = true
        var line = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        if let first = iterator.next(), first != "\u{FEFF}" { pending = first }
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
    /// Works on the UTF-8 bytes (traces are most of what a folder holds: `suite report` and the parent of
    /// the worker processes parse millions of rows).
    public static func parseTraceLine<S: StringProtocol>(_ line: S) -> TraceRow? {
        if let row = line.utf8.withContiguousStorageIfAvailable({ parseTraceBytes($0) }) { return row }
        var copy = String(line)
        return copy.withUTF8 { parseTraceBytes($0) }
    }

    /// The rows of trace text: one ``traceLine(_:)`` per line (after a header line when `header`), empty
    /// lines skipped. On a malformed line, `.failure` carries it.
    public static func parseTrace(_ text: String, header: Bool) -> Result<[TraceRow], TraceLineError> {
        var copy = text
        return copy.withUTF8 { bytes -> Result<[TraceRow], TraceLineError> in
            var rows: [TraceRow] = []
            var start = 0
            var first = true
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "\n") {
                defer { start = end + 1; first = false }
                guard end > start, !(first && header) else { continue }
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                guard let row = parseTraceBytes(line) else { return .failure(TraceLineError(line: String(decoding: line, as: UTF8.self))) }
                rows.append(row)
            }
            return .success(rows)
        }
    }

    /// A line of trace text that is not a trace row.
    public struct TraceLineError: Error, Sendable {
        /// The line.
        public var line: String
    }

    /// ``parseTraceLine(_:)`` on bytes: 11 comma-separated fields, integers then numbers as written by ``number(_:)``.
    static func parseTraceBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> TraceRow? {
        var ints = (0, 0, 0)
        var numbers: (Double?, Double?, Double?, Double?, Double?, Double?, Double?, Double?) = (nil, nil, nil, nil, nil, nil, nil, nil)
        var field = 0
        var start = 0
        for end in 0...bytes.count {
            guard end == bytes.count || bytes[end] == UInt8(ascii: ",") else { continue }
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
            switch field {
            case 0, 1, 2:
                guard let v = parseInteger(slice) else { return nil }
                if field == 0 { ints.0 = v } else if field == 1 { ints.1 = v } else { ints.2 = v }
            case 3...10:
                var value: Double? = nil
                if !slice.isEmpty {
                    guard let v = parseDouble(slice) else { return nil }
                    value = v
                }
                switch field {
                case 3: numbers.0 = value
                case 4: numbers.1 = value
                case 5: numbers.2 = value
                case 6: numbers.3 = value
                case 7: numbers.4 = value
                case 8: numbers.5 = value
                case 9: numbers.6 = value
                default: numbers.7 = value
                }
            default:
                return nil
            }
            field += 1
            start = end + 1
        }
        guard field == traceColumns.count, let ep = numbers.0, let value = numbers.1, let gn = numbers.3, let t = numbers.7 else { return nil }
        return TraceRow(iteration: ints.0, gradientEvaluations: ints.1, sampleGradients: ints.2, epochs: ep, value: value,
                        suboptimality: numbers.2, gradientNorm: gn, stepNorm: numbers.4, time: t,
                        validationLoss: numbers.5, validationAccuracy: numbers.6)
    }

    /// A decimal integer (optional leading `-`), or nil.
    static func parseInteger(_ s: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let negative = s.first == UInt8(ascii: "-")
        if negative { i = 1 }
        guard i < s.count, s.count - i <= 18 else { return nil }
        var v = 0
        while i < s.count {
            let d = Int(s[i]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
            i += 1
        }
        return negative ? -v : v
    }

    /// A number as `Double(text)` reads it (decimal, `nan`, `inf`, `-inf`), or nil; the whole field must be the number.
    static func parseDouble(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !s.isEmpty, s.count < 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double? in
            for i in 0..<s.count { buffer[i] = CChar(bitPattern: s[i]) }
            buffer[s.count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buffer.baseAddress!, &end)
            return end == buffer.baseAddress! + s.count ? v : nil
        }
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
