/// FNV-1a over bytes: a hash that is the same on every machine and run (Swift's `Hasher` is
/// seeded per process), for cache and journal keys.
public struct StableHash: Sendable {
    /// The hash so far.
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    /// An empty hash.
    public init() {}

    /// Mixes in one byte.
    @inline(__always)
    public mutating func combine(byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x100_0000_01B3 }

    /// Mixes in the UTF-8 bytes of `text`.
    public mutating func combine(_ text: String) { for b in text.utf8 { combine(byte: b) } }

    /// Mixes in the 8 bytes of `x`'s bit pattern, least significant first.
    public mutating func combine(_ x: Double) {
        var bits = x.bitPattern
        for _ in 0..<8 {
            combine(byte: UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    /// The hash as 16 hexadecimal digits, leading zeros kept (file names, check hashes, fingerprints).
    public var digits: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The hash of `bytes` as ``digits``; over contiguous bytes ([UInt8], Data) a plain pointer loop
    /// (the 178 MB of a headline run's traces in a fraction of a second).
    public static func digits(of bytes: some Collection<UInt8>) -> String {
        func fnv(_ buffer: UnsafeBufferPointer<UInt8>) -> StableHash {
            var h = StableHash()
            for b in buffer { h.combine(byte: b) }
            return h
        }
        return (bytes.withContiguousStorageIfAvailable(fnv) ?? Array(bytes).withUnsafeBufferPointer(fnv)).digits
    }

    /// The hash of `text` in base 16.
    public static func hex(_ text: String) -> String {
        var h = StableHash()
        h.combine(text)
        return String(h.value, radix: 16)
    }
}
