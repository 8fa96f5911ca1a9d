import DescentCore
import FoundationEssentials

/// A numeric table read from a CSV file: a header row of column names, then one row per sample.
///
/// Strict: every row must have as many fields as the header, and every field must be a finite
/// number. Lines may end in LF or CRLF; a UTF-8 byte-order mark is skipped. The file must be at most
/// ``InputLimits/dataFileBytes``, checked before it is read. Errors name the file, the line and the
/// column, and quote at most the offending field, truncated (``InputLimits/quote(_:limit:)``); a
/// column is named by its header name only when the header reads as column names (see
/// ``DataTable/namesAreQuotable``), else by its number, so a file that is not a CSV (a password
/// file, a key) is never echoed beyond one field.
public struct DataTable: Sendable {
    /// Column names, in file order.
    public let columns: [String]
    /// Values, row-major, rows × columns.
    public let values: [Double]
    /// The number of rows.
    public let rows: Int

    /// Reads `path`.
    public init(path: String) throws(DataError) {
        let bytes: [UInt8]
        do { bytes = try BoundedFile.contents(of: path, limit: InputLimits.dataFileBytes) } catch { throw DataError(path, 0, nil, "\(error)") }
        guard var text = String(validating: bytes, as: UTF8.self) else { throw DataError(path, 0, nil, "is not UTF-8 text") }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first, !header.isEmpty else { throw DataError(path, 1, nil, "has no header row") }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        let quotable = Self.namesAreQuotable(columns)
        // Column j as a message names it: its name, or its number when the header is not names.
        func column(_ j: Int) -> (name: String?, prefix: String) { quotable ? (columns[j], "") : (nil, "field \(j + 1): ") }
        if let i = columns.firstIndex(where: \.isEmpty) { throw DataError(path, 1, nil, "header column \(i + 1) has no name") }
        var seen = Set<String>()
        for (j, c) in columns.enumerated() where !seen.insert(c).inserted {
            throw DataError(path, 1, column(j).name, column(j).prefix + "the column name appears twice")
        }
        var values: [Double] = []
        values.reserveCapacity((lines.count - 1) * columns.count)
        for (offset, line) in lines.enumerated().dropFirst() {
            let number = offset + 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == columns.count else {
                throw DataError(path, number, nil, "has \(fields.count) fields; the header has \(columns.count)")
            }
            for (j, field) in fields.enumerated() {
                let raw = String(field).trimmingSpaces()
                let (name, prefix) = column(j)
                guard !raw.isEmpty else { throw DataError(path, number, name, prefix + "the value is missing") }
                guard let x = Double(raw), x.isFinite else {
                    throw DataError(path, number, name, prefix + "'\(InputLimits.quote(raw))' is not a finite number")
                }
                values.append(x)
            }
        }
        guard lines.count > 1 else { throw DataError(path, 1, nil, "has a header but no data rows") }
        self.columns = columns
        self.values = values
        rows = lines.count - 1
    }

    /// Whether a header's fields read as column names, so messages may quote them: each at most
    /// ``InputLimits/quotedCharacters`` characters of letters, digits, spaces and `_ - . ( ) [ ] / % # +`.
    /// A line of another kind of file (`root:$6$…`) is then never quoted in a message about a later line.
    public static func namesAreQuotable(_ names: [String]) -> Bool {
        names.allSatisfy { name in
            name.count <= InputLimits.quotedCharacters
                && name.allSatisfy { $0.isLetter || $0.isNumber || " _-.()[]/%#+".contains($0) }
        }
    }

    /// The design matrix (all columns but `target`, row-major) and the target column.
    public func split(target: String, path: String) throws(DataError) -> (features: [Double], target: [Double], names: [String]) {
        guard let t = columns.firstIndex(of: target) else {
            let list = Self.namesAreQuotable(columns)
                ? "columns: \(columns.prefix(50).joined(separator: ", "))\(columns.count > 50 ? ", … (\(columns.count) in all)" : "")"
                : "the header's \(columns.count) field(s) are not column names"
            throw DataError(path, 1, InputLimits.quote(target), "no such column; \(list)")
        }
        let c = columns.count
        var x: [Double] = []
        x.reserveCapacity(rows * (c - 1))
        var y: [Double] = []
        for i in 0..<rows {
            for j in 0..<c where j != t { x.append(values[i * c + j]) }
            y.append(values[i * c + t])
        }
        return (x, y, columns.enumerated().filter { $0.offset != t }.map(\.element))
    }
}

/// A problem with a data file, naming the file, the line (0 for the whole file) and the column.
public struct DataError: Error, CustomStringConvertible, Sendable {
    /// The file.
    public let path: String
    /// The line, 1-based; 0 for the file as a whole.
    public let line: Int
    /// The column, when one is at fault.
    public let column: String?
    /// What is wrong.
    public let message: String

    init(_ path: String, _ line: Int, _ column: String?, _ message: String) {
        self.path = path; self.line = line; self.column = column; self.message = message
    }

    public var description: String {
        "\(path)\(line > 0 ? ":\(line)" : "")\(column.map { " column '\(InputLimits.quote($0))'" } ?? ""): \(message)"
    }
}

/// Prepares a data set for fitting: a seeded train/validation split and optional standardization.
public struct PreparedData: Sendable {
    /// Training rows (row-major) and targets.
    public var features: [Double], targets: [Double]
    /// Validation rows (row-major) and targets.
    public var validationFeatures: [Double], validationTargets: [Double]
    /// Features per row.
    public var dimension: Int

    /// Splits `x` (rows × d) and `y` into train and validation by a seeded permutation (`fraction` of the
    /// rows held out), and, if `standardize`, scales every feature to mean 0 and variance 1 using the
    /// training rows' statistics (constant features are centred only); with `intercept`, appends a
    /// constant feature 1 last (after scaling), so the model has a bias term.
    public init(features x: [Double], targets y: [Double], dimension d: Int, validationFraction fraction: Double,
                standardize: Bool, intercept: Bool = false, seed: UInt64) {
        self.init(x, y, d, fraction, standardize, seed)
        if intercept { appendConstantFeature() }
    }

    private mutating func appendConstantFeature() {
        let d = dimension
        func widen(_ rows: [Double]) -> [Double] {
            var out: [Double] = []
            out.reserveCapacity(rows.count / Swift.max(d, 1) * (d + 1))
            for r in 0..<(rows.count / d) {
                out += rows[(r * d)..<((r + 1) * d)]
                out.append(1)
            }
            return out
        }
        features = widen(features)
        validationFeatures = widen(validationFeatures)
        dimension = d + 1
    }

    private init(_ x: [Double], _ y: [Double], _ d: Int, _ fraction: Double, _ standardize: Bool, _ seed: UInt64) {
        let m = y.count
        var order = Array(0..<m)
        var rng = SeededGenerator(seed: seed ^ 0x5851_F42D_4C95_7F2D)
        var i = m - 1
        while i > 0 {
            order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            i -= 1
        }
        let held = Int((Double(m) * fraction).rounded())
        let trainRows = order.dropFirst(held).sorted(), validRows = order.prefix(held).sorted()
        func gather(_ rows: [Int]) -> ([Double], [Double]) {
            var fx: [Double] = [], fy: [Double] = []
            for r in rows { fx += x[(r * d)..<((r + 1) * d)]; fy.append(y[r]) }
            return (fx, fy)
        }
        (features, targets) = gather(trainRows)
        (validationFeatures, validationTargets) = gather(validRows)
        dimension = d
        guard standardize, !trainRows.isEmpty else { return }
        let n = Double(trainRows.count)
        for j in 0..<d {
            var mean = 0.0
            for r in 0..<trainRows.count { mean += features[r * d + j] }
            mean /= n
            var variance = 0.0
            for r in 0..<trainRows.count { variance += (features[r * d + j] - mean) * (features[r * d + j] - mean) }
            let sd = (variance / n).squareRoot()
            let scale = sd > 0 ? 1 / sd : 1
            for r in 0..<trainRows.count { features[r * d + j] = (features[r * d + j] - mean) * scale }
            for r in 0..<validRows.count { validationFeatures[r * d + j] = (validationFeatures[r * d + j] - mean) * scale }
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
