#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ProblemInstance {
    /// A hash of everything that determines this instance's numbers, for cache and resume keys: two
    /// instances with the same fingerprint have the same f, ∇f and x₀, so the same f* and the same runs.
    ///
    /// Mixed in, in order (``Fingerprint``): the family and the label; every parameter's name and
    /// value, defaults included (``ProblemInstance/parameters``); the bytes of every file a path
    /// parameter names (``ParameterSpec/isPath``; up to ``Fingerprint/fileByteLimit`` bytes, plus the
    /// size); the data seed and the instance index; the dimension; the bits of x₀; and the bits of f
    /// and ∇f at x₀ and at ``Fingerprint/probeCount`` seeded points around x₀, so that a parameter
    /// that vanishes at x₀ (λ when x₀ = 0, κ of a quadratic started at its center) still changes it,
    /// as does a change to the formulas.
    ///
    /// Cost: 1 + ``Fingerprint/probeCount`` evaluations of f and ∇f and one read of the data files;
    /// compute it once per instance. Deterministic across runs and machines (``StableHash``; the
    /// evaluations are the bit-reproducible ones the runs use). 16 hexadecimal digits.
    public var contentFingerprint: String { Fingerprint.of(self) }
}

extension ProblemInstance {
    /// A hash of what declares this instance, without evaluating it: the family, the label, every
    /// parameter's name and value (defaults included) with the bytes of the files path parameters
    /// name in place of their paths, the data seed and the instance index. The same on every machine
    /// (no floating-point evaluation, no absolute path), so it can enter a configuration's hash: an
    /// instance file whose λ or data changed is another configuration. 16 hexadecimal digits.
    public var declaredFingerprint: String { Fingerprint.declared(self) }
}

/// How ``ProblemInstance/contentFingerprint`` is computed.
public enum Fingerprint {
    /// Bumped whenever what enters the fingerprint changes.
    public static let version = 1
    /// Points besides x₀ where f and ∇f enter the fingerprint.
    public static let probeCount = 3
    /// The most bytes of one data file that are read (the file's size always enters). Past it, the
    /// evaluations at x₀ and the probe points still depend on the data the problem loaded.
    public static let fileByteLimit = 1 << 30

    /// The fingerprint of `instance` (``ProblemInstance/contentFingerprint``).
    public static func of(_ instance: ProblemInstance) -> String {
        var hash = StableHash()
        func field(_ text: String) {
            hash.combine(text)
            hash.combine(byte: 0x1F)
        }
        field("descent-fingerprint-v\(version)")
        field(instance.family)
        field(instance.label)
        for (spec, value) in zip(instance.parameters.specs, instance.parameters.values) {
            field(spec.name)
            switch value {
            case .real(let x): field("real"); hash.combine(x)
            case .integer(let n): field("integer"); field(String(n))
            case .flag(let b): field("flag"); field(b ? "true" : "false")
            case .choice(let c): field("choice"); field(c)
            case .text(let t):
                field("text")
                field(t)
                if spec.isPath && t != "-" { combineFile(t, into: &hash) }
            }
            hash.combine(byte: 0x1E)
        }
        field("seed=" + (instance.seed.map(String.init) ?? "-"))
        field("instance=\(instance.index)")
        let problem = instance.problem
        let n = problem.dimension
        field("n=\(n)")
        let x0 = instance.initialPoint()
        field("x0=\(x0.count)")
        x0.forEach { hash.combine($0) }
        let g = Vector(count: n)
        for point in [x0] + probes(around: x0) where point.count == n {
            hash.combine(problem.valueAndGradient(at: Vector(point), gradient: g))
            for i in 0..<n { hash.combine(g[i]) }
        }
        return hash.digits
    }

    /// ``ProblemInstance/declaredFingerprint``.
    public static func declared(_ instance: ProblemInstance) -> String {
        var hash = StableHash()
        func field(_ text: String) {
            hash.combine(text)
            hash.combine(byte: 0x1F)
        }
        field("descent-declared-v\(version)")
        field(instance.family)
        field(instance.label)
        for (spec, value) in zip(instance.parameters.specs, instance.parameters.values) {
            field(spec.name)
            if case .text(let t) = value, spec.isPath, t != "-" {
                field("file")
                combineFile(t, into: &hash)
            } else {
                field(value.description)
            }
            hash.combine(byte: 0x1E)
        }
        field("seed=" + (instance.seed.map(String.init) ?? "-"))
        field("instance=\(instance.index)")
        return hash.digits
    }

    /// ``probeCount`` points x₀ + 0.1 · max(1, |x₀ⱼ|) ξⱼ with ξ ~ N(0, I) from a fixed stream.
    static func probes(around x0: [Double]) -> [[Double]] {
        (0..<probeCount).map { p in
            var rng = SeededGenerator(seed: 0x5EED_F1A9_E2F1_0000 &+ UInt64(p))
            return x0.map { $0 + 0.1 * Swift.max(1, Swift.abs($0)) * rng.nextNormal() }
        }
    }

    /// Mixes in the size and up to ``fileByteLimit`` bytes of the file at `path`, or a marker when
    /// it cannot be read.
    static func combineFile(_ path: String, into hash: inout StableHash) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            hash.combine("unreadable")
            return
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            hash.combine("not-a-file")
            return
        }
        hash.combine("size=\(info.st_size)")
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        var total = 0
        while total < fileByteLimit {
            let want = Swift.min(chunk, fileByteLimit - total)
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            for i in 0..<got { hash.combine(byte: buffer[i]) }
            total += got
        }
        hash.combine("read=\(total)")
    }
}
