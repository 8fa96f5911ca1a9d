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

    /// Reads `path`; `columns` is required for raw files and checked against `.npy` headers when given.
    public init(path: String, columns expected: Int? = nil) throws(DataError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw DataError(path, 0, nil, "cannot read the file") }
        let bytes = [UInt8](data)
        var offset = 0
        var shape: [Int]
        var single = false
        if path.hasSuffix(".npy") {
            (offset, shape, single) = try Self.npyHeader(bytes, path: path)
        } else {
            guard let c = expected, c > 0 else {
                throw DataError(path, 0, nil, "a raw float64 file needs its number of columns (features=D)")
            }
            guard bytes.count % (8 * c) == 0 else {
                throw DataError(path, 0, nil, "\(bytes.count) bytes is not a whole number of rows of \(c) float64 values")
            }
            shape = [bytes.count / (8 * c), c]
        }
        if shape.count == 1 { shape.append(1) }
        let count = shape[0] * shape[1]
        let width = single ? 4 : 8
        guard bytes.count - offset == count * width else {
            throw DataError(path, 0, nil, "the header's shape \(shape) needs \(count * width) bytes of data, found \(bytes.count - offset)")
        }
        if let c = expected, c != shape[1], path.hasSuffix(".npy") {
            throw DataError(path, 0, nil, "has \(shape[1]) columns, expected \(c)")
        }
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                if single {
                    values[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self))))
                } else {
                    values[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8 * i, as: UInt64.self)))
                }
            }
        }
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw DataError(path, 0, nil, "value \(i) (row \(i / shape[1]), column \(i % shape[1])) is \(values[i]); values must be finite")
        }
        self.values = values
        rows = shape[0]
        columns = shape[1]
    }

    /// Parses a `.npy` header: data offset, shape, and whether the dtype is float32.
    static func npyHeader(_ b: [UInt8], path: String) throws(DataError) -> (Int, [Int], Bool) {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard b.count >= 10, Array(b[0..<6]) == magic else { throw DataError(path, 0, nil, "is not a NumPy .npy file (bad magic)") }
        let major = b[6]
        let length: Int, start: Int
        switch major {
        case 1: length = Int(b[8]) | Int(b[9]) << 8; start = 10
        case 2, 3:
            guard b.count >= 12 else { throw DataError(path, 0, nil, "truncated .npy header") }
            length = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24; start = 12
        default: throw DataError(path, 0, nil, ".npy format version \(major) is not supported (1, 2 or 3)")
        }
        guard b.count >= start + length else { throw DataError(path, 0, nil, "truncated .npy header") }
        let header = String(decoding: b[start..<(start + length)], as: UTF8.self)
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
            throw DataError(path, 0, nil, ".npy header lacks descr, fortran_order or shape: \(header)")
        }
        let single: Bool
        if descr.hasPrefix("'<f8'") { single = false } else if descr.hasPrefix("'<f4'") { single = true } else {
            throw DataError(path, 0, nil, ".npy dtype \(descr.prefix { $0 != "," }) is not supported (little-endian float64 '<f8' or float32 '<f4')")
        }
        guard order.hasPrefix("False") else { throw DataError(path, 0, nil, "Fortran-order .npy arrays are not supported; save with C order") }
        guard shapeText.hasPrefix("("), let close = shapeText.firstIndex(of: ")") else {
            throw DataError(path, 0, nil, "cannot read the .npy shape in \(header)")
        }
        let dims = shapeText[shapeText.index(after: shapeText.startIndex)..<close].split(separator: ",")
            .map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        let shape = dims.compactMap { Int($0) }
        guard shape.count == dims.count, (1...2).contains(shape.count), shape.allSatisfy({ $0 >= 0 }) else {
            throw DataError(path, 0, nil, "the .npy array must be 1-D or 2-D, got shape (\(dims.joined(separator: ", ")))")
        }
        return (start + length, shape, single)
    }
}
