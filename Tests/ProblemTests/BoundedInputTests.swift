import DescentCore
import DescentProblems
import Foundation
import Testing

/// A `.npy` version 1 file: `header` (the dict) padded as numpy pads it, then `data`.
func npyFile(_ path: String, header: String, data: [Double] = []) throws {
    var h = Array(header.utf8)
    let pad = 64 - (10 + h.count + 1) % 64
    h += [UInt8](repeating: 0x20, count: pad) + [0x0A]
    var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h
    for x in data { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 } }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// A sparse file of `size` bytes (no disk blocks; an existing file is extended): what a hostile path can point at cheaply.
func sparseFile(_ path: String, size: Int) throws {
    if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.truncate(atOffset: UInt64(size))
    try handle.close()
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

/// The instance `spec` names in the standard problem families (no optimizers needed).
func problemInstance(_ spec: String, seed: UInt64 = 0) throws -> ProblemInstance {
    let registry = Registry(problems: BuiltinProblems.all, optimizers: [])
    return try #require(try registry.selectProblems([spec], seed: seed).first)
}

@Suite("Bounded input: sizes checked before reading, counts before allocating, messages short")
struct BoundedInputTests {
    @Test("a .npy header with shape (2⁶², 4) is refused, not an arithmetic-overflow trap")
    func npyOverflow() throws {
        let dir = try folder([:])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for shape in ["(4611686018427387904, 4)", "(9223372036854775807,)", "(3037000500, 3037000500)"] {
            try npyFile(dir + "/x.npy", header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }")
            let error = #expect(throws: DataError.self) { try ArrayFile(path: dir + "/x.npy") }
            #expect(error?.description.contains("over the limit") == true, "\(String(describing: error))")
        }
    }

    @Test("a .npy header announcing gigabytes of header is refused before it is read")
    func npyHeaderLength() throws {
        let dir = try folder([:])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Version 2: a 4-byte header length of 2³¹ − 1.
        try Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B]).write(to: URL(fileURLWithPath: dir + "/h.npy"))
        let error = #expect(throws: DataError.self) { try ArrayFile(path: dir + "/h.npy") }
        #expect(error?.description.contains("the limit is 65536") == true, "\(String(describing: error))")
    }

    @Test("a 1 GiB sparse start_file for a 2-variable problem is refused from its size, without reading it")
    func sparseStartFile() throws {
        let dir = try folder([:])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try sparseFile(dir + "/x0.f64", size: 1 << 30)
        try npyFile(dir + "/x0.npy", header: "{'descr': '<f8', 'fortran_order': False, 'shape': (134217728,), }")
        try sparseFile(dir + "/x0.npy", size: 128 + (1 << 30))  // the header (128 bytes) and 1 GiB of data
        for name in ["x0.f64", "x0.npy"] {
            var error: SpecError?
            let elapsed = seconds { error = #expect(throws: SpecError.self) { try problemInstance("rosenbrock(start_file=\(dir)/\(name))") } }
            #expect(elapsed < 1, "took \(elapsed) s")
            #expect(error?.description.contains("has 134217728 values; the problem has n = 2") == true, "\(String(describing: error))")
        }
    }

    @Test("a data CSV over the size limit is refused before it is read")
    func bigCSV() throws {
        let dir = try folder([:])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try sparseFile(dir + "/big.csv", size: (1 << 30) + 1)  // InputLimits.dataFileBytes + 1
        var error: DataError?
        let elapsed = seconds { error = #expect(throws: DataError.self) { try DataTable(path: dir + "/big.csv") } }
        #expect(elapsed < 1, "took \(elapsed) s")
        #expect(error?.description.contains("the limit is 1 GiB") == true, "\(String(describing: error))")
    }

    @Test("an instance file over 1 MiB is refused before it is read; its error message stays short")
    func bigInstanceFile() throws {
        let dir = try folder(["big.toml": "name = \"" + String(repeating: "x", count: 2 << 20) + "\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var registry = Registry(problems: BuiltinProblems.all, optimizers: [])
        let error = #expect(throws: InstanceFileError.self) { try registry.addInstances(from: dir) }
        #expect(error?.description.contains("the limit is 1 MiB") == true, "\(String(describing: error))")
        #expect((error?.description.count ?? 0) < 300)
    }

    @Test("every piece of input an error quotes is cut at 80 characters", arguments: [
        ("name = ", "y", ""), ("", "z", ""), ("[", "t", "]"), ("name = \"a\"\nfamily = \"f\"\n", "k", " = 1"),
    ])
    func truncatedInstanceMessages(prefix: String, filler: String, suffix: String) {
        let text = prefix + String(repeating: filler, count: 100_000) + suffix
        let error = #expect(throws: InstanceFileError.self) { try InstanceFile(parsing: text, path: "long.toml") }
        #expect((error?.description.count ?? 0) < 300, "\(String(describing: error).prefix(400))")
        #expect(error?.description.contains("…") == true)
    }

    @Test("a spec error quotes at most 80 characters of the spec")
    func truncatedSpecMessages() {
        for text in ["x(" + String(repeating: "a", count: 50_000), "adam(lr=" + String(repeating: "9", count: 50_000) + "x)"] {
            let error = #expect(throws: SpecError.self) {
                let spec = try Spec(parsing: text)
                _ = try ParameterSet.resolve(spec, against: [ParameterSpec("lr", default: .real(1), "", .positive)], owner: "adam")
            }
            #expect((error?.description.count ?? 0) < 400, "\(String(describing: error).prefix(400))")
        }
    }

    @Test("a file that is not a CSV (a password file) is never echoed beyond the offending field, truncated")
    func shadowFile() throws {
        let secret = "root:$6$saltsalt$" + String(repeating: "H", count: 86) + ":19000:0:99999:7:::"
        let dir = try folder(["shadow": secret + "\ndaemon:*:19000:0:99999:7:::\n" + secret + "\n", "one": secret + "\n1\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let error = #expect(throws: DataError.self) { try DataTable(path: dir + "/shadow") }
        let text = error?.description ?? ""
        #expect(text.contains("shadow:2: field 1: 'daemon:*:19000:0:99999:7:::' is not a finite number"), "\(text)")
        #expect(!text.contains("$6$"), "\(text)")
        // A header that is not column names is not listed when a target is missing.
        let table = try DataTable(path: dir + "/one")
        let missing = #expect(throws: DataError.self) { try table.split(target: "y", path: dir + "/one") }
        #expect(missing.map { !$0.description.contains("$6$") && $0.description.contains("not column names") } == true,
                "\(String(describing: missing))")
        // A field longer than the limit is cut.
        let long = try folder(["d.csv": "a,b\n1," + String(repeating: "q", count: 5000) + "\n"])
        defer { try? FileManager.default.removeItem(atPath: long) }
        defer { try? FileManager.default.removeItem(atPath: long) }
        let cut = #expect(throws: DataError.self) { try DataTable(path: long + "/d.csv") }
        #expect(cut.map { $0.description.count < 250 && $0.description.contains("d.csv:2 column 'b'") } == true,
                "\(String(describing: cut))")
    }

    @Test("CRLF line ends and a byte-order mark are accepted in data CSVs and instance files")
    func crlf() throws {
        let dir = try folder(["d.csv": "\u{FEFF}a,b,y\r\n1,2,0\r\n2,1,1\r\n3,0,1\r\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = try DataTable(path: dir + "/d.csv")
        #expect(table.columns == ["a", "b", "y"] && table.rows == 3 && table.values.last == 1)
        let file = try InstanceFile(parsing: "\u{FEFF}# comment\r\nname = \"crlf\"\r\nfamily = \"quadratic\"\r\n\r\n[parameters]\r\nn = 5\r\n",
                                    path: "crlf.toml")
        #expect(file.name == "crlf" && file.family == "quadratic" && file.parameters.map(\.value) == ["5"])
    }

    @Test("a second [parameters] table is an error naming both lines")
    func secondParametersTable() {
        let text = "name = \"q\"\nfamily = \"quadratic\"\n[parameters]\nn = 5\n\n[parameters]\nkappa = 10\n"
        let error = #expect(throws: InstanceFileError.self) { try InstanceFile(parsing: text, path: "two.toml") }
        #expect(error?.line == 6)
        #expect(error?.description.contains("two.toml:6: a second [parameters] table (the first is on line 3)") == true,
                "\(String(describing: error))")
    }

    @Test("a real parameter of −0 resolves to 0: one value, one label")
    func negativeZero() throws {
        let specs = [ParameterSpec("beta1", default: .real(0.9), "", .unitInterval)]
        let a = try ParameterSet.resolve(Spec(parsing: "adam(beta1=-0)"), against: specs, owner: "adam")
        let b = try ParameterSet.resolve(Spec(parsing: "adam(beta1=0)"), against: specs, owner: "adam")
        #expect(a.label(name: "adam") == "adam(beta1=0)" && b.label(name: "adam") == "adam(beta1=0)")
        #expect(a.real("beta1").sign == .plus)
        // Other values keep their labels.
        let c = try ParameterSet.resolve(Spec(parsing: "adam(beta1=0.5)"), against: specs, owner: "adam")
        #expect(c.label(name: "adam") == "adam(beta1=0.5)")
    }

    @Test("least-squares-data with fewer training rows than columns: refused with lambda = 0, solved with lambda > 0")
    func underdetermined() throws {
        let dir = try folder(["few.csv": "y,a,b,c,d\n1,2,3,4,5\n2,3,1,5,6\n3,1,1,1,7\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let error = #expect(throws: SpecError.self) { try problemInstance("least-squares-data(data=\(dir)/few.csv,validation=0)") }
        #expect(error?.description.contains("3 training rows for 5 columns (features + intercept)") == true, "\(String(describing: error))")
        #expect(error?.description.contains("give lambda > 0") == true)
        let none = #expect(throws: SpecError.self) { try problemInstance("least-squares-data(data=\(dir)/few.csv,validation=0.9)") }
        #expect(none?.description.contains("no training rows") == true, "\(String(describing: none))")
        // With λ > 0 the problem is strongly convex: the certificate's gradient vanishes.
        let instance = try problemInstance("least-squares-data(data=\(dir)/few.csv,validation=0,lambda=0.1)")
        let optimum = try #require(instance.problem.analyticOptimum)
        let g = Vector(count: instance.problem.dimension)
        _ = instance.problem.valueAndGradient(at: Vector(try #require(optimum.point)), gradient: g)
        #expect(g.dot(g).squareRoot() < 1e-10 && optimum.value.isFinite)
    }

    @Test("logistic-arrays needs labels of exactly two values, both in the training rows")
    func logisticLabels() throws {
        let dir = try folder([:])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try npyFile(dir + "/x.npy", header: "{'descr': '<f8', 'fortran_order': False, 'shape': (6, 2), }", data: (0..<12).map(Double.init))
        try npyFile(dir + "/y3.npy", header: "{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }", data: [0, 1, 2, 0, 1, 2])
        try npyFile(dir + "/y1.npy", header: "{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }", data: [1, 1, 1, 1, 1, 1])
        try npyFile(dir + "/yodd.npy", header: "{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }", data: [0, 0, 0, 0, 0, 1])
        for y in ["y3", "y1"] {
            let error = #expect(throws: SpecError.self) { try problemInstance("logistic-arrays(x=\(dir)/x.npy,y=\(dir)/\(y).npy)") }
            #expect(error?.description.contains("exactly two values") == true, "\(String(describing: error))")
        }
        // With a validation split that takes the only +1 row, the training rows have one class.
        var refused = 0
        for seed in 0..<20 {
            do {
                _ = try problemInstance("logistic-arrays(x=\(dir)/x.npy,y=\(dir)/yodd.npy,validation=0.2)", seed: UInt64(seed))
            } catch {
                #expect("\(error)".contains("training rows have no label 1"), "\(error)")
                refused += 1
            }
        }
        #expect(refused > 0)
    }
}
