import DescentCore

/// A text form of one finished run (its record and trace), exact to the last bit, for a worker
/// process's result file and for the resume journal.
///
/// ```
/// descent-run 1
/// key=value            (one per field; \ and line ends escaped as \\ and \n)
/// trace
/// <trace rows as CSV lines, as in traces/*.csv without the header>
/// end N H              (N: the number of trace rows; H: FNV-1a of every byte before this line)
/// ```
/// The `end` line makes a record cut anywhere, even at a line boundary, or edited, unreadable rather
/// than short or wrong: the run is then redone.
public enum RunCodec {
    static let magic = "descent-run 1"

    /// Encodes `record` (the final point is not kept).
    public static func encode(_ record: RunRecord) -> String {
        let r = record.result
        let fields: [(String, String)] = [
            ("problem", record.problem), ("dimension", String(record.dimension)), ("optimizer", record.optimizer),
            ("seed", String(record.seed)), ("batch_size", record.batchSize.map(String.init) ?? ""),
            ("instance", String(record.instance)),
            ("status", r.status.rawValue), ("iterations", String(r.iterations)),
            ("gradient_evaluations", String(r.gradientEvaluations)), ("function_evaluations", String(r.functionEvaluations)),
            ("sample_gradients", String(r.sampleGradients)), ("epochs", NumberFormat.exact(r.epochs)),
            ("f_initial", NumberFormat.exact(r.initialValue)), ("f_final", NumberFormat.exact(r.finalValue)),
            ("f_star", r.optimalValue.map(NumberFormat.exact) ?? ""), ("grad_norm", NumberFormat.exact(r.gradientNorm)),
            ("time_s", NumberFormat.exact(r.time)), ("note", r.note ?? ""),
            ("hits", r.hits.map(encodeHit).joined(separator: ";")),
        ]
        var out = magic + "\n"
        for (k, v) in fields { out += k + "=" + escape(v) + "\n" }
        out += "trace\n"
        for row in r.trace { out += CSV.traceLine(row) + "\n" }
        return out + "end \(r.trace.count) \(Manifest.hash(Array(out.utf8)))\n"
    }

    /// Decodes text written by ``encode(_:)``; `nil` when it is incomplete or not such text.
    public static func decode(_ text: String) -> RunRecord? {
        // The fields (values have their line ends escaped), then the trace rows after the "trace" line.
        let parts = text.split(separator: "\ntrace\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let lines = parts[0].split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(magic) else { return nil }
        var f: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let eq = line.firstIndex(of: "=") else { return nil }
            f[String(line[..<eq])] = unescape(String(line[line.index(after: eq)...]))
        }
        // The trace rows, then "end N H": N rows, H the hash of everything before that line.
        var body = parts[1]
        guard body.hasSuffix("\n") else { return nil }
        body.removeLast()
        let endLine = body.lastIndex(of: "\n").map { body.index(after: $0) } ?? body.startIndex
        let end = body[endLine...].split(separator: " ")
        guard end.count == 3, end[0] == "end", let rowCount = Int(end[1]),
              String(end[2]) == Manifest.hash(Array(text.utf8[..<endLine.samePosition(in: text.utf8)!])) else { return nil }
        guard case .success(let trace) = CSV.parseTrace(String(body[..<endLine]), header: false), trace.count == rowCount else { return nil }
        guard let problem = f["problem"], let dimension = f["dimension"].flatMap({ Int($0) }), let optimizer = f["optimizer"],
              let seed = f["seed"].flatMap({ UInt64($0) }), let status = f["status"].flatMap({ RunStatus(rawValue: $0) }),
              let iterations = f["iterations"].flatMap({ Int($0) }), let ge = f["gradient_evaluations"].flatMap({ Int($0) }),
              let fe = f["function_evaluations"].flatMap({ Int($0) }), let sg = f["sample_gradients"].flatMap({ Int($0) }),
              let epochs = f["epochs"].flatMap({ Double($0) }), let f0 = f["f_initial"].flatMap({ Double($0) }),
              let f1 = f["f_final"].flatMap({ Double($0) }), let gn = f["grad_norm"].flatMap({ Double($0) }),
              let time = f["time_s"].flatMap({ Double($0) }) else { return nil }
        let fStar = f["f_star"].flatMap { $0.isEmpty ? nil : Double($0) }
        let note = f["note"].flatMap { $0.isEmpty ? nil : $0 }
        var hits: [TargetHit] = []
        for text in (f["hits"] ?? "").split(separator: ";") {
            guard let hit = decodeHit(text) else { return nil }
            hits.append(hit)
        }
        let result = RunResult(status: status, iterations: iterations, gradientEvaluations: ge, functionEvaluations: fe,
                               sampleGradients: sg, epochs: epochs, initialValue: f0, finalValue: f1, optimalValue: fStar,
                               gradientNorm: gn, time: time, trace: trace, finalPoint: [], note: note, hits: hits)
        return RunRecord(problem: problem, dimension: dimension, optimizer: optimizer, seed: seed,
                         batchSize: f["batch_size"].flatMap { Int($0) }, instance: f["instance"].flatMap { Int($0) } ?? 0,
                         result: result)
    }

    static func encodeHit(_ h: TargetHit) -> String {
        [NumberFormat.exact(h.target), String(h.iteration), String(h.gradientEvaluations), String(h.functionEvaluations),
         String(h.sampleGradients), NumberFormat.exact(h.epochs), NumberFormat.exact(h.time)].joined(separator: ":")
    }

    static func decodeHit(_ text: Substring) -> TargetHit? {
        let p = text.split(separator: ":", omittingEmptySubsequences: false)
        guard p.count == 7, let t = Double(p[0]), let k = Int(p[1]), let ge = Int(p[2]), let fe = Int(p[3]),
              let sg = Int(p[4]), let ep = Double(p[5]), let time = Double(p[6]) else { return nil }
        return TargetHit(target: t, iteration: k, gradientEvaluations: ge, functionEvaluations: fe, sampleGradients: sg,
                         epochs: ep, time: time)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(c)
            }
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                out.append(c == "n" ? "\n" : c == "r" ? "\r" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
