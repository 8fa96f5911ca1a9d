import DescentCore
import DescentProblems
import Foundation
import Testing

/// Writes `files` (name → contents) into a new temporary folder and returns it.
func folder(_ files: [String: String]) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("descent-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + name)) }
    return path
}

let goodCSV = "a,b,y\n1,2,0\n2,1,1\n3,0,1\n0,3,0\n1.5,1.5,1\n"

@Suite("Data files")
struct DataFileTests {
    @Test("a well-formed CSV loads; the target column is split off")
    func load() throws {
        let dir = try folder(["d.csv": goodCSV])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = try DataTable(path: dir + "/d.csv")
        #expect(table.columns == ["a", "b", "y"] && table.rows == 5)
        let (x, y, names) = try table.split(target: "y", path: dir + "/d.csv")
        #expect(names == ["a", "b"] && x.count == 10 && y == [0, 1, 1, 0, 1])
    }

    @Test("bad data names the file, line and column", arguments: [
        ("a,b\n1,2\n3\n", ":3", "has 1 fields; the header has 2"),
        ("a,b\n1,\n", ":2 column 'b'", "the value is missing"),
        ("a,b\n1,x\n", ":2 column 'b'", "'x' is not a finite number"),
        ("a,b\n1,nan\n", ":2 column 'b'", "is not a finite number"),
        ("a,a\n1,2\n", ":1 column 'a'", "the column name appears twice"),
        ("a,b\n", ":1", "no data rows"),
    ])
    func errors(text: String, location: String, message: String) throws {
        let dir = try folder(["d.csv": text])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try DataTable(path: dir + "/d.csv")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains("d.csv" + location), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test("an unknown target column lists the columns")
    func unknownTarget() throws {
        let dir = try folder(["d.csv": goodCSV])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: DataError.self) { try DataTable(path: dir + "/d.csv").split(target: "z", path: "d.csv") }
    }

    @Test("the validation split is seeded, disjoint, and standardization uses training statistics")
    func split() {
        let x = (0..<40).map(Double.init), y = (0..<20).map { Double($0 % 2) }
        let a = PreparedData(features: x, targets: y, dimension: 2, validationFraction: 0.25, standardize: true, seed: 1)
        let b = PreparedData(features: x, targets: y, dimension: 2, validationFraction: 0.25, standardize: true, seed: 1)
        #expect(a.features == b.features && a.validationTargets.count == 5 && a.targets.count == 15)
        let mean = (0..<15).map { a.features[$0 * 2] }.reduce(0, +) / 15
        #expect(Swift.abs(mean) < 1e-12)
        let c = PreparedData(features: x, targets: y, dimension: 2, validationFraction: 0.25, standardize: false,
                             intercept: true, seed: 1)
        #expect(c.dimension == 3 && c.features[2] == 1)
    }
}

@Suite("Problems/ instance files")
struct InstanceFileTests {
    let base = Registry(problems: BuiltinProblems.all, optimizers: [])

    @Test("a file becomes a registry entry whose defaults are the file's parameters")
    func entry() throws {
        let dir = try folder([
            "q.toml": "# comment\nname = \"small-q\"  # trailing comment\nfamily = \"quadratic\"\n\n[parameters]\nn = 5\nkappa = 1_000\nspectrum = \"uniform\"\n",
            "data.csv": goodCSV,
            "d.toml": "name = \"toy\"\nfamily = \"logistic-data\"\n[parameters]\ndata = \"data.csv\"\ntarget = \"y\"\nvalidation = 0\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var registry = base
        try registry.addInstances(from: dir)
        let q = try #require(try registry.selectProblems(["small-q"], seed: 0).first)
        #expect(q.problem.dimension == 5 && q.label == "small-q")
        #expect((q.problem as? Quadratic)?.smoothness == 1000)
        // Command-line values still override the file's defaults.
        #expect(try registry.selectProblems(["small-q(n=7)"], seed: 0).first?.problem.dimension == 7)
        // The data path was resolved against the file's folder; 2 features + intercept.
        #expect(try registry.selectProblems(["toy"], seed: 0).first?.problem.dimension == 3)
        // File instances join globs; templates do not.
        let all = try registry.selectProblems(["*"], seed: 0).map(\.label)
        #expect(all.contains("small-q") && all.contains("toy") && !all.contains("logistic-data"))
    }

    @Test("malformed files name the file, line and field", arguments: [
        ("name = \"x\"\n", "x.toml: 'family': missing"),
        ("name = \"x\"\nfamily = \"nope\"\n", "x.toml:2: 'family': unknown family 'nope'"),
        // A fuzzer finding (scripts/fuzz.sh): an empty family parsed as if it were one.
        ("name = \"x\"\nfamily = \"\"\n", "x.toml:2: 'family': is empty"),
        ("name = \"x\"\nfamily = \"quadratic\"\n[parameters]\nm = 3\n", "x.toml:4: 'm': quadratic has no such parameter"),
        ("name = \"x\"\nfamily = \"quadratic\"\n[parameters]\nn = \"3\"\n", "x.toml:4: 'n': must be an integer >= 1, unquoted"),
        ("name = \"x\"\nfamily = \"quadratic\"\n[parameters]\nn = -3\n", "x.toml:4: 'n': must be an integer >= 1, got '-3'"),
        ("name = \"x\"\nfamily = \"quadratic\"\n[parameters]\nspectrum = \"wide\"\n", "x.toml:4: 'spectrum': must be one of log"),
        ("name = \"x\"\nfamily = \"quadratic\"\ncolour = \"red\"\n", "x.toml:3: 'colour': unknown key"),
        ("name = \"x\"\nfamily = \"quadratic\"\n[other]\n", "x.toml:3: unknown table [other]"),
        ("name = \"x\nfamily = \"quadratic\"\n", "x.toml:1: 'name': unterminated string"),
        ("name = \"x\"\nname = \"y\"\n", "x.toml:2: 'name': given twice"),
        ("name = \"x\"\nfamily = \"quadratic\"\n[parameters]\nn = [1, 2]\n", "x.toml:4: 'n': '[1, 2]' is not a string, number or boolean"),
        ("name = \"x\"\nfamily = \"logistic-data\"\n[parameters]\ndata = \"missing.csv\"\n", "cannot read the file"),
        ("name = \"rosenbrock\"\nfamily = \"quadratic\"\n", "x.toml: 'name': 'rosenbrock' is already registered"),
        ("just words\n", "x.toml:1: expected key = value"),
    ])
    func errors(text: String, fragment: String) throws {
        let dir = try folder(["x.toml": text])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var registry = base
        do {
            try registry.addInstances(from: dir)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test("the shipped instance files load and have certified optima")
    func shipped() throws {
        var registry = base
        let problems = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Problems").path
        try registry.addInstances(from: problems)
        let labels = try registry.selectProblems(["breast-cancer", "diabetes", "ill-conditioned-quadratic"], seed: 0)
        #expect(labels.map(\.problem.dimension) == [31, 11, 50])
        let cancer = try #require(labels.first?.problem as? LogisticRegression)
        #expect(cancer.samples + cancer.validationLabels.count == 569)
    }
}
