import DescentCore

/// `manifest.csv`: every file the suite wrote into a results folder, with its size and a content hash.
///
/// Written last into the staged folder, so it describes exactly the folder that was switched in. It
/// serves two guarantees: the suite deletes or replaces only files listed in it (a file a user put in
/// `tables/` is never touched), and `suite report`/`diff`/`merge` refuse data that changed after it was
/// written (a `summary.csv` cut at a line boundary, a duplicated row, a deleted trace) instead of
/// publishing tables from it. The hash is FNV-1a over the bytes (``StableHash``), 16 hex digits.
public struct Manifest: Sendable, Equatable {
    /// One file: its path relative to the folder, its size in bytes and its hash.
    public struct Entry: Sendable, Equatable {
        /// The path relative to the folder (`traces/rosenbrock/adam.csv`).
        public var path: String
        /// The size in bytes.
        public var bytes: Int
        /// FNV-1a of the bytes, 16 hex digits.
        public var hash: String

        /// An entry.
        public init(path: String, bytes: Int, hash: String) {
            self.path = path
            self.bytes = bytes
            self.hash = hash
        }
    }

    /// The manifest's own file name.
    public static let fileName = "manifest.csv"
    static let header = "path,bytes,fnv1a64"

    /// The entries, sorted by path.
    public let entries: [Entry]
    private let byPath: [String: Entry]

    /// A manifest of `entries` (sorted by path; a path given twice keeps its last entry).
    public init(_ entries: [Entry]) {
        var byPath: [String: Entry] = [:]
        for e in entries { byPath[e.path] = e }
        self.byPath = byPath
        self.entries = byPath.values.sorted { $0.path < $1.path }
    }

    /// The entry of `path`, if listed.
    public func entry(_ path: String) -> Entry? { byPath[path] }

    /// The listed paths.
    public var paths: Set<String> { Set(byPath.keys) }

    /// The entry for a file with `contents`.
    public static func entry(path: String, contents: some Collection<UInt8>) -> Entry {
        Entry(path: path, bytes: contents.count, hash: hash(contents))
    }

    /// FNV-1a of `bytes` as 16 hex digits (``StableHash/digits(of:)``).
    public static func hash(_ bytes: some Collection<UInt8>) -> String { StableHash.digits(of: bytes) }

    /// The file's text.
    public var text: String {
        ([Self.header] + entries.map { "\(CSV.field($0.path)),\($0.bytes),\($0.hash)" }).joined(separator: "\n") + "\n"
    }

    /// Parses a manifest's text; throws a message naming the line at fault.
    public init(parsing text: String) throws(ManifestError) {
        let rows: [[String]]
        do { rows = try CSV.parse(text) } catch { throw ManifestError(message: "\(error)") }
        guard rows.first == Self.header.split(separator: ",").map(String.init) else {
            throw ManifestError(message: "the first line must be '\(Self.header)'")
        }
        var entries: [Entry] = []
        var seen = Set<String>()
        for (i, row) in rows.dropFirst().enumerated() {
            guard row.count == 3, let bytes = Int(row[1]), bytes >= 0, row[2].count == 16,
                  row[2].allSatisfy({ $0.isHexDigit }), ResultPaths.isConfined(row[0]) else {
                throw ManifestError(message: "line \(i + 2) is not 'path,bytes,hash' with a relative path inside the folder")
            }
            guard seen.insert(row[0]).inserted else { throw ManifestError(message: "line \(i + 2) lists \(row[0]) a second time") }
            entries.append(Entry(path: row[0], bytes: bytes, hash: row[2]))
        }
        self.init(entries)
    }

    /// What is wrong with `contents` (nil: nothing) as the file `path` this manifest lists.
    public func mismatch(_ path: String, contents: some Collection<UInt8>) -> String? {
        guard let e = entry(path) else { return nil }
        if contents.count != e.bytes {
            return "\(path) has \(contents.count) bytes; the suite wrote \(e.bytes) (manifest.csv): it was cut, extended or edited"
        }
        if Self.hash(contents) != e.hash { return "\(path) differs from what the suite wrote (manifest.csv hash): it was edited" }
        return nil
    }
}

/// A malformed `manifest.csv`.
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    public var description: String { "manifest.csv: \(message)" }
}

/// Paths inside a results folder.
public enum ResultPaths {
    /// Whether `path` is a plain relative path that stays inside its folder: not empty, not absolute,
    /// no `.` or `..` component, no empty component, no NUL or backslash. A `trace` value of
    /// `../../etc/passwd` in a summary.csv is refused by this, not opened.
    public static func isConfined(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
