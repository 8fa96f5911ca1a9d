import DescentCore
import FoundationEssentials

/// A file of certified reference optima, so a run does not recompute them.
///
/// Each entry is keyed by the instance label, the seed, a fingerprint of the instance (a hash of
/// the bits of x₀, f(x₀) and ∇f(x₀)) and ``Reference/version``. Any change to the problem's data,
/// start point or formulas changes the fingerprint, and any change to how optima are certified
/// bumps the version, so the entry is recomputed. Values are stored in shortest round-trip
/// form, so a cached f* is bit-identical to the computed one. Written atomically.
public struct ReferenceCache: Sendable {
    /// The cache file's path.
    public let path: String
    private(set) var entries: [String: Optimum] = [:]

    /// The columns of the cache file (and of `reference.csv`), in order.
    static let columns = ["key", "f_star", "source", "grad_norm", "hessian_min", "hessian_max", "x_star"]

    /// Loads `path`; a missing file is an empty cache, a malformed line is skipped (and rewritten).
    public init(path: String) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return }
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == Self.columns.count, let value = Double(f[1]), let source = OptimumSource(rawValue: f[2]) else { continue }
            let point = f[6].isEmpty ? nil : f[6].split(separator: ";").compactMap { Double(String($0)) }
            let eig = Double(f[4]).flatMap { lo in Double(f[5]).map { (lo, $0) } }
            entries[f[0]] = Optimum(value: value, point: point, source: source, gradientNorm: Double(f[3]), hessianEigenvalues: eig)
        }
    }

    /// The key of an instance: label, seed and fingerprint.
    public static func key(label: String, seed: UInt64?, problem: any Problem) -> String {
        var hash = StableHash()
        let x0 = problem.initialPoint()
        let g = Vector(count: problem.dimension)
        x0.forEach { hash.combine($0) }
        hash.combine(problem.valueAndGradient(at: Vector(x0), gradient: g))
        for i in 0..<g.count { hash.combine(g[i]) }
        let safe = String(label.map { $0 == "," || $0 == "\n" ? "_" : $0 })
        return "\(safe)|seed=\(seed.map(String.init) ?? "-")|\(String(hash.value, radix: 16))|v\(Reference.version)"
    }

    /// The cached optimum for `key`, marked as cached.
    public func lookup(_ key: String) -> Optimum? { entries[key] }

    /// Records `optimum` under `key` (in memory; ``save()`` writes the file).
    public mutating func store(_ optimum: Optimum, key: String) { entries[key] = optimum }

    /// Writes the cache atomically, entries sorted by key.
    public func save() throws {
        var text = Self.columns.joined(separator: ",") + "\n"
        for key in entries.keys.sorted() {
            let o = entries[key]!
            let point = (o.point?.count ?? 0) <= 1000 ? (o.point ?? []).map { $0.description }.joined(separator: ";") : ""
            text += [key, o.value.description, o.source.rawValue, o.gradientNorm.map { $0.description } ?? "",
                     o.hessianEigenvalues.map { $0.min.description } ?? "", o.hessianEigenvalues.map { $0.max.description } ?? "",
                     point].joined(separator: ",") + "\n"
        }
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
