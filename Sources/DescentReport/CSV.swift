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
        "function_evaluations", "sample_gradients", "epochs", "f_initial", "f_final", "f_star", "suboptimality", "grad_norm", "note", "time_s",
    ]

    /// `summary.csv`: one row per run, in the order given.
    public static func summary(_ records: [RunRecord]) -> String {
        table(header: summaryColumns, rows: records.map { r in
            // A skipped run computed nothing: its numeric fields are empty, not nan.
            let ran = r.result.status != .skipped
            let number = { (x: Double?) in ran ? CSV.number(x) : "" }
            return [
                field(r.problem), String(r.dimension), field(r.optimizer), String(r.seed), r.batchSize.map(String.init) ?? "",
                r.result.status.rawValue, String(r.result.iterations), String(r.result.gradientEvaluations),
                String(r.result.functionEvaluations), String(r.result.sampleGradients), number(r.result.epochs),
                number(r.result.initialValue), number(r.result.finalValue), number(r.result.optimalValue),
                number(r.result.suboptimality), number(r.result.gradientNorm), field(r.result.note ?? ""),
                number(r.result.time),
            ]
        })
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
        "hessian_max_eigenvalue", "x_star",
    ]

    /// `reference.csv`: the certificate of every problem's optimum; x* as `;`-separated values for n ≤ 100.
    public static func references(_ entries: [(problem: String, dimension: Int, optimum: Optimum?)]) -> String {
        table(header: referenceColumns, rows: entries.map { e in
            let point = e.dimension <= 100 ? (e.optimum?.point ?? []).map(NumberFormat.exact).joined(separator: ";") : ""
            return [field(e.problem), String(e.dimension), number(e.optimum?.value), e.optimum?.source.rawValue ?? "",
                    number(e.optimum?.gradientNorm), number(e.optimum?.hessianEigenvalues?.min),
                    number(e.optimum?.hessianEigenvalues?.max), point]
        })
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (no Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
