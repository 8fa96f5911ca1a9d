import DescentCore

/// Everything the tables and plots are made from: the runs (with traces and target hits), the
/// certified optima, and the provenance hash. A run builds it in memory; `suite report` parses it
/// back from the CSV files, exactly (numbers are written in shortest round-trip form).
public struct ResultSet: Sendable {
    /// The runs, in run order.
    public var records: [RunRecord]
    /// Certified optima by problem label.
    public var references: [String: Optimum]
    /// κ = λmax/λmin for problems with a constant Hessian (``QuadraticProblem``), by label.
    public var conditionNumbers: [String: Double]
    /// The short hash of the run's configuration (see `metadata.json`), printed in every caption.
    public var hash: String
    /// The learning-rate sweeps of `--tune` (empty without it).
    public var tuning: [TuningSweep]
    /// Whether every planned run finished (false: an interrupted run's partial results, which the
    /// Markdown files say at their top).
    public var complete = true

    /// A result set.
    public init(records: [RunRecord], references: [String: Optimum], conditionNumbers: [String: Double] = [:], hash: String,
                tuning: [TuningSweep] = []) {
        self.records = records
        self.references = references
        self.conditionNumbers = conditionNumbers
        self.hash = hash
        self.tuning = tuning
    }

    /// The instances of problem `label` that ran or have a reference, ascending; always includes 0.
    public func instances(of label: String) -> [Int] {
        var out: Set<Int> = [0]
        for r in records where r.problem == label { out.insert(r.instance) }
        let prefix = label + "#"
        for key in references.keys where key.hasPrefix(prefix) {
            if let i = Int(key.dropFirst(prefix.count)) { out.insert(i) }
        }
        return out.sorted()
    }

    /// The records grouped by problem and optimizer.
    public var problems: [ProblemGroup] { Grouping.problems(records, references: references) }

    /// What is wrong with a results folder.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        /// The file, relative to the folder.
        public var file: String
        /// What is wrong with it.
        public var message: String
        public var description: String { "\(file): \(message)" }
    }

    /// Parses the files of a results folder; `read` returns a file's text by relative path, or `nil`
    /// when it does not exist. Needs `summary.csv`, `targets.csv` and `reference.csv`; traces and
    /// `timing.csv` and `tuning.csv` are read when present (without them plots are empty and times are NaN).
    /// `targets`, when given (the configuration's), is the set every run must have a row for in targets.csv;
    /// otherwise the set found in the file.
    public static func parse(hash: String, targets expected: Set<Double>? = nil, read: (String) -> String?) throws(LoadError) -> ResultSet {
        func table(_ name: String, _ columns: [String]) throws(LoadError) -> [[String: String]] {
            guard let text = read(name) else { throw LoadError(file: name, message: "missing") }
            let rows: [[String]]
            switch Result(catching: { () throws(CSVError) -> [[String]] in try CSV.parse(text) }) {
            case .success(let r): rows = r
            case .failure(let error): throw LoadError(file: name, message: "\(error)")
            }
            guard let header = rows.first else { throw LoadError(file: name, message: "empty") }
            for c in columns where !header.contains(c) {
                throw LoadError(file: name, message: "no column '\(c)'; found \(header.joined(separator: ", "))")
            }
            var out: [[String: String]] = []
            for (i, row) in rows.dropFirst().enumerated() {
                guard row.count == header.count else {
                    throw LoadError(file: name, message: "row \(i + 2) has \(row.count) fields, the header \(header.count)")
                }
                out.append(Dictionary(uniqueKeysWithValues: zip(header, row)))
            }
            return out
        }
        func number(_ row: [String: String], _ key: String, _ file: String) throws(LoadError) -> Double? {
            guard let text = row[key], !text.isEmpty else { return nil }
            guard let x = Double(text) else { throw LoadError(file: file, message: "'\(text)' in column \(key) is not a number") }
            return x
        }
        func integer(_ row: [String: String], _ key: String, _ file: String) throws(LoadError) -> Int {
            guard let text = row[key], let x = Int(text), x >= 0 else {
                throw LoadError(file: file, message: "'\(String((row[key] ?? "").prefix(40)))' in column \(key) is not an integer >= 0")
            }
            return x
        }

        // The instance column (absent in folders written before instances: 0).
        func instanceNumber(_ row: [String: String], _ file: String) throws(LoadError) -> Int {
            guard let text = row["instance"], !text.isEmpty else { return 0 }
            guard let i = Int(text), i >= 0 else { throw LoadError(file: file, message: "instance '\(text)' is not an integer >= 0") }
            return i
        }

        // reference.csv
        var references: [String: Optimum] = [:]
        var kappas: [String: Double] = [:]
        for row in try table("reference.csv", ["problem", "f_star", "source"]) {
            let instance = try instanceNumber(row, "reference.csv")
            let label = Instances.referenceKey(row["problem"]!, instance: instance)
            if let k = try number(row, "condition_number", "reference.csv") { kappas[label] = k }
            guard let value = try number(row, "f_star", "reference.csv") else { continue }
            guard let source = OptimumSource(rawValue: row["source"]!) else {
                throw LoadError(file: "reference.csv", message: "unknown source '\(row["source"]!)'")
            }
            let lo = try number(row, "hessian_min_eigenvalue", "reference.csv")
            let hi = try number(row, "hessian_max_eigenvalue", "reference.csv")
            let point = row["x_star"].flatMap { $0.isEmpty ? nil : $0.split(separator: ";").compactMap { Double($0) } }
            references[label] = Optimum(value: value, point: point, source: source,
                                        gradientNorm: try number(row, "grad_norm_at_x_star", "reference.csv"),
                                        hessianEigenvalues: lo.flatMap { l in hi.map { (l, $0) } })
        }

        // timing/timing.csv (optional): run times and times to targets.
        typealias RunKey = String
        func runKey(_ row: [String: String]) -> RunKey {
            [row["problem"]!, row["optimizer"]!, row["seed"]!, row["batch_size"]!].joined(separator: "\u{1}")
        }
        var runTimes: [RunKey: Double] = [:]
        var hitTimes: [RunKey: [Double: Double]] = [:]
        if read("timing.csv") != nil {
            for row in try table("timing.csv", CSV.timingColumns) {
                let t = try number(row, "time_s", "timing.csv") ?? .nan
                if let target = try number(row, "target", "timing.csv") {
                    hitTimes[runKey(row), default: [:]][target] = t
                } else {
                    runTimes[runKey(row)] = t
                }
            }
        }

        // targets.csv
        var hits: [RunKey: [TargetHit]] = [:]
        // Every run has one row per target (the same targets for every run), each once.
        var targetRows: [RunKey: Set<Double>] = [:]
        var targetSet = expected ?? Set<Double>()
        for row in try table("targets.csv", CSV.targetColumns) {
            let key = runKey(row)
            guard let target = try number(row, "target", "targets.csv"), target.isFinite, target > 0 else {
                throw LoadError(file: "targets.csv", message: "target '\(String((row["target"] ?? "").prefix(40)))' is not a number > 0")
            }
            guard targetRows[key, default: []].insert(target).inserted else {
                throw LoadError(file: "targets.csv", message: "\(row["problem"]!) × \(row["optimizer"]!) (seed \(row["seed"]!)) has "
                    + "two rows for target \(target): the file is damaged (rows duplicated)")
            }
            if expected == nil { targetSet.insert(target) } else if !targetSet.contains(target) {
                throw LoadError(file: "targets.csv", message: "target \(target) is not one of the configuration's targets")
            }
            guard row["reached"] == "true" else {
                guard row["reached"] == "false" else {
                    throw LoadError(file: "targets.csv", message: "reached must be true or false, got '\(String((row["reached"] ?? "").prefix(40)))'")
                }
                continue
            }
            hits[key, default: []].append(TargetHit(
                target: target, iteration: try integer(row, "iterations", "targets.csv"),
                gradientEvaluations: try integer(row, "gradient_evaluations", "targets.csv"),
                functionEvaluations: try integer(row, "function_evaluations", "targets.csv"),
                sampleGradients: try integer(row, "sample_gradients", "targets.csv"),
                epochs: try number(row, "epochs", "targets.csv") ?? .nan, time: hitTimes[key]?[target] ?? .nan))
        }

        // summary.csv, with each run's trace.
        var records: [RunRecord] = []
        var runs = Set<String>()
        for row in try table("summary.csv", CSV.requiredSummaryColumns) {
            guard let status = RunStatus(rawValue: row["status"]!) else {
                throw LoadError(file: "summary.csv", message: "unknown status '\(String(row["status"]!.prefix(40)))'")
            }
            let key = runKey(row)
            guard runs.insert(key + "\u{1}" + (row["instance"] ?? "")).inserted else {
                throw LoadError(file: "summary.csv", message: "\(row["problem"]!) × \(row["optimizer"]!) (seed \(row["seed"]!)) has two "
                    + "rows: the file is damaged (rows duplicated)")
            }
            let covered = targetRows.removeValue(forKey: key) ?? []
            if status != .skipped && covered != targetSet {
                throw LoadError(file: "targets.csv", message: "\(row["problem"]!) × \(row["optimizer"]!) (seed \(row["seed"]!)) has "
                    + "\(covered.count) of the \(targetSet.count) target rows: the file was cut or edited")
            }
            var trace: [TraceRow] = []
            if let path = row["trace"], !path.isEmpty {
                guard ResultPaths.isConfined(path), path.hasPrefix("traces/") else {
                    throw LoadError(file: "summary.csv", message: "trace '\(String(path.prefix(80)))' is not a path under traces/ in the folder")
                }
            }
            if let path = row["trace"], !path.isEmpty, let text = read(path) {
                guard text.hasPrefix(CSV.traceColumns.joined(separator: ",") + "\n") else {
                    throw LoadError(file: path, message: "the first line is not the trace header (\(CSV.traceColumns.count) columns)")
                }
                switch CSV.parseTrace(text, header: true) {
                case .success(let rows): trace = rows
                case .failure: throw LoadError(file: path, message: "a line is not a trace row (11 numbers)")
                }
            }
            let skipped = status == .skipped
            let result = RunResult(
                status: status, iterations: try integer(row, "iterations", "summary.csv"),
                gradientEvaluations: try integer(row, "gradient_evaluations", "summary.csv"),
                functionEvaluations: try integer(row, "function_evaluations", "summary.csv"),
                sampleGradients: try integer(row, "sample_gradients", "summary.csv"),
                epochs: try number(row, "epochs", "summary.csv") ?? (skipped ? 0 : .nan),
                initialValue: try number(row, "f_initial", "summary.csv") ?? .nan,
                finalValue: try number(row, "f_final", "summary.csv") ?? .nan,
                optimalValue: try number(row, "f_star", "summary.csv"),
                gradientNorm: try number(row, "grad_norm", "summary.csv") ?? .nan,
                time: runTimes[key] ?? (skipped ? 0 : .nan), trace: trace, finalPoint: [],
                note: row["note"].flatMap { $0.isEmpty ? nil : $0 }, hits: hits[key] ?? [],
                validationLoss: try number(row, "validation_loss", "summary.csv"),
                validationAccuracy: try number(row, "validation_accuracy", "summary.csv"))
            guard let seed = UInt64(row["seed"]!) else {
                throw LoadError(file: "summary.csv", message: "seed '\(row["seed"]!)' is not an integer")
            }
            records.append(RunRecord(problem: row["problem"]!, dimension: try integer(row, "dimension", "summary.csv"),
                                     optimizer: row["optimizer"]!, seed: seed,
                                     batchSize: row["batch_size"].flatMap { Int($0) }, instance: try instanceNumber(row, "summary.csv"), result: result))
        }
        if let orphan = targetRows.keys.sorted().first {
            throw LoadError(file: "targets.csv", message: "has rows for \(orphan.split(separator: "\u{1}").prefix(2).joined(separator: " × ")), "
                + "a run summary.csv does not list: one of the two files was cut or edited")
        }
        let tuning = try read("tuning.csv").map { text throws(LoadError) in try TuningTables.parse(text) } ?? []
        return ResultSet(records: records, references: references, conditionNumbers: kappas, hash: hash, tuning: tuning)
    }
}
