import DescentCore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file of certified reference optima, so a run does not recompute them.
///
/// **Keys.** Each entry is keyed by the instance's label, seed and index, its content fingerprint
/// (``ProblemInstance/contentFingerprint``: family, every parameter, the bytes of its data files,
/// x₀, and f and ∇f at x₀ and at probe points around it), ``Reference/version`` and the suite's
/// version. Any change to what determines f* changes the key, so the entry is recomputed.
///
/// **Format** (``header`` version 3). The first line is ``header``; the second names the
/// ``columns``; then one line per entry, sorted by key, ending with a check hash of the rest of the
/// line (a line edited by hand or cut short is dropped and recomputed). Values are in shortest
/// round-trip form, so a cached f* is bit-identical to the computed one. x* is on the line (values
/// separated by `;`) for n ≤ ``inlinePointLimit``; for larger n the column holds `@` and x* is in a
/// sidecar binary file, `<cache>.xstar/<hash of the key>.f64` (8 magic bytes `DXSTAR01`, then n
/// little-endian float64), read only when its entry is looked up. Every file is written atomically;
/// sidecar files no entry refers to are removed when the cache is saved.
///
/// **Trust.** The file is not trusted: ``Reference/verify(_:of:)`` re-checks an entry before it is
/// used (f(x*) and ‖∇f(x*)‖ recomputed). A file whose first line is not a cache header is refused
/// (``ReferenceCacheError``) and never written; a cache of another format version (version 2 had
/// no header line) is a Descent cache and is simply rewritten.
///
/// **Bounds.** At most ``maximumEntries`` entries are read and kept (those used by this invocation
/// first) and a file over ``maximumFileBytes`` is not read (it is rewritten); lines are indexed by key
/// in one pass over the bytes and parsed only when looked up, so loading costs milliseconds.
public struct ReferenceCache: Sendable {
    /// The cache file's path.
    public let path: String
    /// The suite version that enters every key.
    public let suiteVersion: String
    /// The file's bytes; entries read from it are ranges of this, parsed and checked only when looked up.
    private var bytes: [UInt8] = []
    /// Entries read from the file: the range of the whole line (without its newline) in ``bytes``.
    private var loaded: [String: Range<Int>] = [:]
    /// Entries stored by this invocation: the line's fields after the key, without the check hash.
    private var stored: [String: String] = [:]
    /// Keys looked up with success or stored by this invocation (kept first when the cache is trimmed).
    private var used: Set<String> = []
    /// Whether the file must be rewritten even when no entry is new (another format, a dropped line).
    public private(set) var needsRewrite = false
    /// Why the file's entries were not read (an older format, a file over the size bound), for a warning.
    public private(set) var warning: String?

    /// The first line of a cache file of this format.
    public static let header = "# descent reference cache v3"
    /// The columns of the cache file, in order.
    static let columns = ["key", "f_star", "source", "grad_norm", "hessian_min", "hessian_max", "x_star", "check"]
    /// The most values of x* kept on the entry's line; larger x* go to a sidecar file.
    public static let inlinePointLimit = 100
    /// The most entries kept (and read: later lines of a longer file are ignored): ~2 MB of typical
    /// lines, at most ~25 MB with x* of 100 values on every line; indexed in milliseconds.
    public static let maximumEntries = 10_000
    /// A cache file larger than this is not read (its entries are recomputed and it is rewritten):
    /// more than ``maximumEntries`` lines of the longest kind need.
    public static let maximumFileBytes = 32 << 20

    /// Loads `path`; a missing (or empty) file is an empty cache. Throws, without touching the file,
    /// when `path` is a folder or a file whose first line is not a Descent reference cache header.
    public init(path: String, suiteVersion: String) throws(ReferenceCacheError) {
        self.path = path
        self.suiteVersion = suiteVersion
        guard let (prefix, size) = try Self.readFile(path, limit: Self.maximumFileBytes) else { return }
        if size == 0 { return }
        let firstLine = prefix.prefix { $0 != UInt8(ascii: "\n") }
        let first = String(decoding: firstLine, as: UTF8.self)
        if first == Self.columns.dropLast().joined(separator: ",") || (first.hasPrefix("# descent reference cache v") && first != Self.header) {
            needsRewrite = true
            warning = "the reference cache \(path) is of an older format; its entries are recomputed and it is rewritten"
            return
        }
        guard first == Self.header else { throw .notACache(path: path) }
        guard size <= Self.maximumFileBytes else {
            needsRewrite = true
            warning = "the reference cache \(path) is over \(Self.maximumFileBytes >> 20) MiB; its entries are recomputed and it is rewritten"
            return
        }
        // Index the lines by key without decoding them: one pass over the bytes.
        bytes = prefix
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0, lineNumber = 0
            while start < buffer.count {
                var end = start
                while end < buffer.count && buffer[end] != UInt8(ascii: "\n") { end += 1 }
                lineNumber += 1
                if lineNumber > 2 + Self.maximumEntries {
                    needsRewrite = true
                    break
                }
                if lineNumber > 2 {
                    var comma = start
                    while comma < end && buffer[comma] != UInt8(ascii: ",") { comma += 1 }
                    if comma < end {
                        loaded[String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<comma]), as: UTF8.self)] = start..<end
                    }
                }
                start = end + 1
            }
        }
    }

    /// The number of entries.
    public var count: Int { loaded.count + stored.keys.filter { loaded[$0] == nil }.count }

    /// The key of `instance`: label, seed, instance index, content fingerprint, ``Reference/version``
    /// and ``suiteVersion``. Costs the fingerprint's few evaluations.
    public func key(for instance: ProblemInstance) -> String { key(for: instance, fingerprint: instance.contentFingerprint) }

    /// ``key(for:)`` with the instance's ``ProblemInstance/contentFingerprint`` already computed (it costs
    /// four evaluations and a read of the data files; a run computes it once per instance for its journal too).
    public func key(for instance: ProblemInstance, fingerprint: String) -> String {
        let safe = String(instance.label.map { $0 == "," || $0 == "\n" || $0 == "\r" ? "_" : $0 })
        return "\(safe)|seed=\(instance.seed.map(String.init) ?? "-")|i=\(instance.index)|\(fingerprint)"
            + "|v\(Reference.version)|suite=\(suiteVersion)"
    }

    /// The optimum stored under `key` with its x* (from the line or the sidecar file), or `nil` when
    /// there is none or it cannot be read. Not verified: see ``Reference/verify(_:of:)``.
    public func lookup(_ key: String) -> Optimum? {
        guard let line = fields(key) else { return nil }
        let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard f.count == Self.columns.count - 2, let value = Double(f[0]), let source = OptimumSource(rawValue: f[1]) else { return nil }
        let point: [Double]?
        if f[5] == "@" {
            guard let sidecar = Self.readPoint(pointPath(key)) else { return nil }
            point = sidecar
        } else if f[5].isEmpty {
            point = nil
        } else {
            let values = f[5].split(separator: ";").map { Double(String($0)) }
            guard values.allSatisfy({ $0 != nil }) else { return nil }
            point = values.map { $0! }
        }
        let eig = Double(f[3]).flatMap { lo in Double(f[4]).map { (lo, $0) } }
        return Optimum(value: value, point: point, source: source, gradientNorm: Double(f[2]), hessianEigenvalues: eig)
    }

    /// Marks `key` as used by this invocation (kept first when the cache is trimmed).
    public mutating func markUsed(_ key: String) { used.insert(key) }

    /// Drops the entry of `key` (it did not verify); the file is rewritten by ``save()``.
    public mutating func remove(_ key: String) {
        if loaded.removeValue(forKey: key) != nil || stored.removeValue(forKey: key) != nil { needsRewrite = true }
    }

    /// The fields after the key of `key`'s line (without the check hash), or `nil` when there is no
    /// entry or its line fails its check hash (edited by hand, or cut short).
    private func fields(_ key: String) -> String? {
        if let line = stored[key] { return line }
        guard let range = loaded[key] else { return nil }
        let line = bytes[range]
        guard let last = line.lastIndex(of: UInt8(ascii: ",")), line[(last + 1)...].elementsEqual(Self.check(line[..<last]).utf8) else {
            return nil
        }
        return String(decoding: bytes[(range.lowerBound + key.utf8.count + 1)..<last], as: UTF8.self)
    }

    /// Records `optimum` under `key` (in memory; ``save()`` writes the file and, for a large x*, the sidecar).
    public mutating func store(_ optimum: Optimum, key: String) {
        let inline = (optimum.point?.count ?? 0) <= Self.inlinePointLimit
        let point = inline ? (optimum.point ?? []).map { $0.description }.joined(separator: ";") : "@"
        stored[key] = [optimum.value.description, optimum.source.rawValue, optimum.gradientNorm.map { $0.description } ?? "",
                      optimum.hessianEigenvalues.map { $0.min.description } ?? "",
                      optimum.hessianEigenvalues.map { $0.max.description } ?? "", point].joined(separator: ",")
        pending[key] = inline ? nil : optimum.point
        used.insert(key)
        needsRewrite = true
    }

    /// Large x* of entries stored since loading, written by ``save()``.
    private var pending: [String: [Double]] = [:]

    /// Writes the cache atomically, entries sorted by key, at most ``maximumEntries`` of them (those
    /// used by this invocation first, then the others in key order); writes the sidecar files of new
    /// large x* and removes the sidecar files no entry refers to.
    public func save() throws {
        var keep = Set(loaded.keys).union(stored.keys).sorted()
        if keep.count > Self.maximumEntries {
            keep = Array((keep.filter { used.contains($0) } + keep.filter { !used.contains($0) }).prefix(Self.maximumEntries)).sorted()
        }
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var referenced = Set<String>()
        var out = Array((Self.header + "\n" + Self.columns.joined(separator: ",") + "\n").utf8)
        for key in keep {
            // Lines read from the file are copied as they are, unless they fail their check hash.
            guard let line = fields(key) else { continue }
            if line.hasSuffix(",@") {
                referenced.insert(Self.pointName(key))
                if let point = pending[key] { try Self.writePoint(point, to: pointPath(key), folder: pointFolder) }
            }
            if stored[key] == nil, let range = loaded[key] {
                out.append(contentsOf: bytes[range])
            } else {
                let body = Array((key + "," + line).utf8)
                out.append(contentsOf: body)
                out.append(UInt8(ascii: ","))
                out.append(contentsOf: Self.check(body[...]).utf8)
            }
            out.append(UInt8(ascii: "\n"))
        }
        try Data(out).write(to: URL(fileURLWithPath: path), options: .atomic)
        // Sidecar files of entries that are gone: only names this cache writes are removed.
        if let names = try? FileManager.default.contentsOfDirectory(atPath: pointFolder) {
            for name in names where Self.isPointName(name) && !referenced.contains(name) {
                try? FileManager.default.removeItem(atPath: pointFolder + "/" + name)
            }
        }
    }
}

/// A `--cache` path that cannot be used as a reference cache.
public enum ReferenceCacheError: Error, CustomStringConvertible, Sendable {
    /// The path is a folder, or a file whose first line is not a cache header.
    case notACache(path: String)

    public var description: String {
        switch self {
        case .notACache(let path):
            return "\(path) is not a Descent reference cache (its first line is not '\(ReferenceCache.header)'); "
                + "it was left untouched: give a new file name, or an existing cache"
        }
    }
}

extension ReferenceCache {
    /// The folder of sidecar x* files.
    var pointFolder: String { path + ".xstar" }
    /// The sidecar file of `key`'s x*.
    func pointPath(_ key: String) -> String { pointFolder + "/" + Self.pointName(key) }
    static func pointName(_ key: String) -> String {
        var h = StableHash()
        h.combine(key)
        return h.digits + ".f64"
    }
    static func isPointName(_ name: String) -> Bool {
        name.count == 20 && name.hasSuffix(".f64") && name.prefix(16).allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
    static let pointMagic = Array("DXSTAR01".utf8)

    /// The check hash ending a line: 16 hex digits of ``StableHash`` over the rest of the line's bytes.
    static func check(_ body: ArraySlice<UInt8>) -> String { StableHash.digits(of: body) }

    static func writePoint(_ point: [Double], to file: String, folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var bytes = pointMagic
        bytes.reserveCapacity(8 + 8 * point.count)
        for x in point {
            var bits = x.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: file), options: .atomic)
    }

    /// x* from a sidecar file, or `nil` when it is missing, damaged or not a sidecar file.
    static func readPoint(_ file: String) -> [Double]? {
        guard let (bytes, size) = (try? readFile(file, limit: 8 + 8 * (1 << 27))) ?? nil, bytes.count == size, size >= 8,
              (size - 8) % 8 == 0, Array(bytes.prefix(8)) == pointMagic else { return nil }
        return stride(from: 8, to: size, by: 8).map { i in
            var bits: UInt64 = 0
            for b in 0..<8 { bits |= UInt64(bytes[i + b]) << (8 * UInt64(b)) }
            return Double(bitPattern: bits)
        }
    }

    /// Up to `limit` bytes of the file at `path` (the first 4 KiB when it is larger) and its size,
    /// or `nil` when it does not exist. Throws when `path` is a folder or not a regular file.
    static func readFile(_ path: String, limit: Int) throws(ReferenceCacheError) -> (bytes: [UInt8], size: Int)? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            var info = stat()
            if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { throw .notACache(path: path) }
            return nil
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw .notACache(path: path) }
        let size = Int(info.st_size)
        let want = size <= limit ? size : Swift.min(size, 4096)
        var bytes = [UInt8](repeating: 0, count: want)
        var total = 0
        while total < want {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, want - total) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            total += got
        }
        return (Array(bytes.prefix(total)), size)
    }
}
