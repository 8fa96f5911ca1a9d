import DescentCore
import FoundationEssentials

/// A matrix of float64 read from a NumPy `.npy` file or a raw little-endian float64 file.
///
/// `.npy` (format versions 1–3): dtype `<f8` (or `<f4`, widened), C order, 1-D or 2-D; the shape
/// comes from the header. Any other extension is raw float64 (numpy's `tofile`): the number of
/// columns must be given, and the file size must be a multiple of 8 × columns.
public struct ArrayFile: Sendable {
    /// Values, row-major.
    public let values: [Double]
    /// Rows.
    public let rows: Int
    /// Columns (1 for a vector).
    public let columns: Int

    /// Reads `path`; `columns` is required for raw files and checked against `.npy` headers when given,
    /// `rows` checked when given. Sizes are checked before the data are read: the shape (from the
    /// `.npy` header, with overflow-checked arithmetic, or from the file size) must match the file's
    /// size, `rows` and `columns`, and the file must be at most ``InputLimits/arrayFileBytes``.
    public init(path: String, columns expected: Int? = nil, rows expectedRows: Int? = nil) throws(DataError) {
        let (file, shape, single) = try Self.open(path, columns: expected)
        let width = single ? 4 : 8
        let count = shape[0] * shape[1], needed = count * width  // checked against overflow in `open`
        if let r = expectedRows, r != shape[0] {
            throw DataError(path, 0, nil, shape[1] == 1 ? "has \(shape[0]) values, expected \(r)" : "has \(shape[0]) rows, expected \(r)")
        }
        var values: [Double]
        do {
            if single {
                var raw = [UInt32](repeating: 0, count: count)
                guard try raw.withUnsafeMutableBytes({ b throws(BoundedReadError) in try file.read(into: b) }) else {
                    throw DataError(path, 0, nil, "ends before the \(needed) bytes of data its header announces")
                }
                values = raw.map { Double(Float(bitPattern: UInt32(littleEndian: $0))) }
            } else {
                values = [Double](repeating: 0, count: count)
                guard try values.withUnsafeMutableBytes({ b throws(BoundedReadError) in try file.read(into: b) }) else {
                    throw DataError(path, 0, nil, "ends before the \(needed) bytes of data its header announces")
                }
                #if _endian(big)
                for i in values.indices { values[i] = Double(bitPattern: UInt64(littleEndian: values[i].bitPattern)) }
                #endif
            }
            guard try file.atEnd() else { throw DataError(path, 0, nil, "has more bytes than the \(needed) its shape needs") }
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError(path, 0, nil, "\(error)")
        }
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw DataError(path, 0, nil, "value \(i) (row \(i / shape[1]), column \(i % shape[1])) is \(values[i]); values must be finite")
        }
        self.values = values
        rows = shape[0]
        columns = shape[1]
    }

    /// The shape (rows, columns) of the array in `path`, from its `.npy` header or its size (`columns`
    /// is required for a raw file); the data are not read.
    public static func shape(path: String, columns: Int? = nil) throws(DataError) -> (rows: Int, columns: Int) {
        let shape = try open(path, columns: columns).shape
        return (shape[0], shape[1])
    }

    /// Opens `path` and reads its header: the file positioned at the data, the shape [rows, columns]
    /// (checked: no overflow, within the limit, matching the file's size and `columns`), and whether it is float32.
    private static func open(_ path: String, columns expected: Int?) throws(DataError) -> (file: BoundedFile, shape: [Int], single: Bool) {
        let file: BoundedFile
        do { file = try BoundedFile(path: path) } catch { throw DataError(path, 0, nil, "\(error)") }
        if let size = file.size, size > InputLimits.arrayFileBytes {
            throw DataError(path, 0, nil, "\(BoundedReadError.tooLarge(size: size, limit: InputLimits.arrayFileBytes))")
        }
        var offset = 0
        var shape: [Int]
        var single = false
        if path.hasSuffix(".npy") {
            (offset, shape, single) = try Self.npyHeader(file, path: path)
        } else {
            guard let c = expected, c > 0 else {
                throw DataError(path, 0, nil, "a raw float64 file needs its number of columns (features=D)")
            }
            guard let size = file.size else { throw DataError(path, 0, nil, "a raw float64 file must be a regular file") }
            let (rowBytes, overflow) = c.multipliedReportingOverflow(by: 8)
            guard !overflow, size % rowBytes == 0 else {
                throw DataError(path, 0, nil, "\(size) bytes is not a whole number of rows of \(c) float64 values")
            }
            shape = [size / rowBytes, c]
        }
        if shape.count == 1 { shape.append(1) }
        let (count, countOverflow) = shape[0].multipliedReportingOverflow(by: shape[1])
        let (needed, neededOverflow) = count.multipliedReportingOverflow(by: single ? 4 : 8)
        guard !countOverflow, !neededOverflow, needed <= InputLimits.arrayFileBytes else {
            throw DataError(path, 0, nil, "the shape (\(shape[0]), \(shape[1])) is over the limit of \(InputLimits.arrayFileBytes) bytes of data")
        }
        if let size = file.size, size - offset != needed {
            throw DataError(path, 0, nil, "the header's shape \(shape) needs \(needed) bytes of data, found \(size - offset)")
        }
        if let c = expected, c != shape[1], path.hasSuffix(".npy") {
            throw DataError(path, 0, nil, "has \(shape[1]) columns, expected \(c)")
        }
        return (file, shape, single)
    }

    /// Parses a `.npy` header: data offset, shape, and whether the dtype is float32.
    /// Reads only the header (at most ``InputLimits/npyHeaderBytes``), leaving `file` at the data.
    static func npyHeader(_ file: BoundedFile, path: String) throws(DataError) -> (Int, [Int], Bool) {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        func read(_ n: Int) throws(DataError) -> [UInt8] {
            do { return try file.read(upTo: n) } catch { throw DataError(path, 0, nil, "\(error)") }
        }
        var b = try read(10)
        guard b.count >= 10, Array(b[0..<6]) == magic else { throw DataError(path, 0, nil, "is not a NumPy .npy file (bad magic)") }
        let major = b[6]
        let length: Int, start: Int
        switch major {
        case 1: length = Int(b[8]) | Int(b[9]) << 8; start = 10
        case 2, 3:
            b += try read(2)
            guard b.count >= 12 else { throw DataError(path, 0, nil, "truncated .npy header") }
            length = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24; start = 12
        default: throw DataError(path, 0, nil, ".npy format version \(major) is not supported (1, 2 or 3)")
        }
        guard length <= InputLimits.npyHeaderBytes else {
            throw DataError(path, 0, nil, "the .npy header announces \(length) bytes; the limit is \(InputLimits.npyHeaderBytes)")
        }
        let headerBytes = try read(length)
        guard headerBytes.count == length else { throw DataError(path, 0, nil, "truncated .npy header") }
        let header = String(decoding: headerBytes, as: UTF8.self)
        func field(_ key: String) -> Substring? {
            let pattern = Array("'\(key)':")
            let chars = Array(header)
            guard chars.count >= pattern.count else { return nil }
            for i in 0...(chars.count - pattern.count) where Array(chars[i..<(i + pattern.count)]) == pattern {
                return Substring(String(chars[(i + pattern.count)...])).drop { $0 == " " }
            }
            return nil
        }
        guard let descr = field("descr"), let order = field("fortran_order"), let shapeText = field("shape") else {
            throw DataError(path, 0, nil, ".npy header lacks descr, fortran_order or shape: '\(InputLimits.quote(header))'")
        }
        let single: Bool
        if descr.hasPrefix("'<f8'") { single = false } else if descr.hasPrefix("'<f4'") { single = true } else {
            throw DataError(path, 0, nil, ".npy dtype \(InputLimits.quote(descr.prefix { $0 != "," })) is not supported (little-endian float64 '<f8' or float32 '<f4')")
        }
        guard order.hasPrefix("False") else { throw DataError(path, 0, nil, "Fortran-order .npy arrays are not supported; save with C order") }
        guard shapeText.hasPrefix("("), let close = shapeText.firstIndex(of: ")") else {
            throw DataError(path, 0, nil, "cannot read the .npy shape in '\(InputLimits.quote(header))'")
        }
        let dims = shapeText[shapeText.index(after: shapeText.startIndex)..<close].split(separator: ",")
            .map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        let shape = dims.compactMap { Int($0) }
        guard shape.count == dims.count, (1...2).contains(shape.count), shape.allSatisfy({ $0 >= 0 }) else {
            throw DataError(path, 0, nil, "the .npy array must be 1-D or 2-D, got shape (\(InputLimits.quote(dims.joined(separator: ", "))))")
        }
        return (start + length, shape, single)
    }
}
