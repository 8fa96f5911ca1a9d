#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The documented upper bounds on what Descent reads and allocates because an input asked for it.
///
/// Every size is checked before the bytes are read or the memory allocated, so a hostile or mistaken
/// input costs an error message (exit 64), not minutes, gigabytes or a crash.
///
/// | input | bound |
/// | --- | --- |
/// | an instance file (`Problems/*.toml`) | ``instanceFileBytes`` (1 MiB) |
/// | a data CSV (`data=`) | ``dataFileBytes`` (1 GiB) |
/// | an array file (`.npy` or raw float64) | ``arrayFileBytes`` (8 GiB); a `.npy` header ``npyHeaderBytes`` (64 KiB) |
/// | `--instances`, `--seeds` | ``maximumInstances`` (1000) |
/// | input quoted in a message | ``quotedCharacters`` (80 characters, then "…") |
public enum InputLimits {
    /// The most bytes an instance file may have: 1 MiB (the shipped ones are under 1 KiB).
    public static let instanceFileBytes = 1 << 20
    /// The most bytes a data CSV may have: 1 GiB (about 10⁸ numbers; the shipped one is 120 KB).
    public static let dataFileBytes = 1 << 30
    /// The most bytes an array file may have: 8 GiB (10⁹ float64 values; the peer kit's W3 is 80 MB).
    public static let arrayFileBytes = 1 << 33
    /// The most bytes of a `.npy` header (numpy itself refuses headers over 10 000 bytes by default).
    public static let npyHeaderBytes = 1 << 16
    /// The most instances (`--instances`) or seeds (`--seeds`) per pair: COCO uses 15, the headline run 7.
    public static let maximumInstances = 1000
    /// The most characters of any piece of input quoted in a message.
    public static let quotedCharacters = 80

    /// `text` as quoted in a message: at most ``quotedCharacters`` characters, then "…"; control
    /// characters (a terminal escape, a line break) shown as `\u{…}`, so a message is one plain line.
    public static func quote(_ text: some StringProtocol, limit: Int = quotedCharacters) -> String {
        var out = ""
        var count = 0
        for c in text {
            if count == limit { return out + "…" }
            if c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                out += c.unicodeScalars.map { "\\u{\(String($0.value, radix: 16))}" }.joined()
            } else {
                out.append(c)
            }
            count += 1
        }
        return out
    }
}

/// `read(2)`, under a name a method cannot shadow.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }

/// Why a file could not be read within its bound.
public enum BoundedReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (the system's reason).
    case unreadable(String)
    /// The file is larger than the bound (its size when the file system reports one).
    case tooLarge(size: Int?, limit: Int)

    public var description: String {
        switch self {
        case .unreadable(let reason): return "cannot read the file: \(reason)"
        case .tooLarge(let size, let limit):
            let what = size.map { "is \(BoundedFile.bytes($0))" } ?? "is larger than \(BoundedFile.bytes(limit))"
            return "\(what); the limit is \(BoundedFile.bytes(limit)) (nothing was read)"
        }
    }
}

/// A file opened for reading with its size known before anything is read: callers check the size
/// (and headers) against what they expect, then read exactly what they need.
public final class BoundedFile {
    private let fd: Int32
    /// The size in bytes of a regular file; `nil` for a pipe or device (reads are then bounded by count).
    public let size: Int?

    /// Opens `path`.
    public init(path: String) throws(BoundedReadError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(Self.reason(errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let e = errno
            _ = close(fd)
            throw .unreadable(Self.reason(e))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            _ = close(fd)
            throw .unreadable("it is a folder")
        }
        self.fd = fd
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
    }

    deinit { _ = close(fd) }

    /// The whole file, refused before reading when it is over `limit` bytes.
    public static func contents(of path: String, limit: Int) throws(BoundedReadError) -> [UInt8] {
        let file = try BoundedFile(path: path)
        if let size = file.size, size > limit { throw .tooLarge(size: size, limit: limit) }
        let bytes = try file.read(upTo: limit + 1)
        guard bytes.count <= limit else { throw .tooLarge(size: file.size, limit: limit) }
        return bytes
    }

    /// Up to `count` bytes from the current position (fewer at the end of the file).
    public func read(upTo count: Int) throws(BoundedReadError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Swift.min(count, size.map { $0 + 1 } ?? count, 1 << 20))
        var filled = 0
        while filled < count {
            if filled == bytes.count { bytes += [UInt8](repeating: 0, count: Swift.min(count - filled, Swift.max(bytes.count, 1 << 16))) }
            let got = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + filled, $0.count - filled) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadable(Self.reason(errno))
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// Fills `buffer` completely from the current position; false at a premature end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(BoundedReadError) -> Bool {
        var filled = 0
        while filled < buffer.count {
            let got = systemRead(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadable(Self.reason(errno))
            }
            if got == 0 { return false }
            filled += got
        }
        return true
    }

    /// Whether the file has no more bytes (consumes at most one).
    public func atEnd() throws(BoundedReadError) -> Bool { try read(upTo: 1).isEmpty }

    /// `n` bytes in words ("2.0 GiB", "312 bytes").
    static func bytes(_ n: Int) -> String {
        let units = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, unit) in units where n >= size {
            let value = Double(n) / Double(size)
            return "\(value == value.rounded() ? String(Int(value)) : String(Double(Int(value * 10)) / 10)) \(unit)"
        }
        return "\(n) bytes"
    }

    private static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
