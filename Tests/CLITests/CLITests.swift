import DescentCLI
import DescentCore
import DescentReport
import DescentTestSupport
import Foundation
import Testing

/// Runs `suite` in-process with `arguments`; returns the exit code and what it printed.
/// `run` invocations execute in-process (`--isolation none`) unless the arguments say otherwise:
/// worker processes would not know the test's plugin registries.
func suite(_ arguments: [String], registry: Registry = .standard) -> (code: Int32, out: String, err: String) {
    var arguments = arguments
    let isRun = !["list", "reference", "report", "diff", "merge", "--help"].contains(arguments.first ?? "")
    if isRun && !arguments.contains("--isolation") && !arguments.contains(where: { $0.hasPrefix("--isolation=") }) {
        arguments += ["--isolation", "none"]
    }
    let captured = CapturedOutput()
    let console = Console(out: { captured.out += $0 }, err: { captured.err += $0 })
    let code = SuiteMain.run(arguments: arguments, registry: registry, console: console)
    return (code, captured.out, captured.err)
}

func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("descent-\(UUID().uuidString)").path
    return path
}

/// Replaces `file` in the results folder `folder` with `text` and records it in manifest.csv, as if the
/// suite had written it: for tests that feed `report`/`diff` a deliberately different or malformed file.
func rewriteResult(_ folder: String, _ file: String, _ text: String) throws {
    try text.write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
    let manifestPath = folder + "/" + Manifest.fileName
    let old = try Manifest(parsing: String(contentsOfFile: manifestPath, encoding: .utf8))
    let entries = old.entries.filter { $0.path != file } + [Manifest.entry(path: file, contents: Array(text.utf8))]
    try Manifest(entries).text.write(toFile: manifestPath, atomically: true, encoding: .utf8)
}

/// Columns of a CSV line (no quoted commas in the lines compared here), without the last one.
func withoutTimeColumn(_ csv: String) -> [String] {
    csv.split(separator: "\n").map { line in
        var fields = line.split(separator: ",", omittingEmptySubsequences: false)
        fields.removeLast()
        return fields.joined(separator: ",")
    }
}

@Suite("suite command line")
struct CLITests {
    @Test("bad input exits 64 with the valid names and writes nothing", arguments: [
        (["--problem", "rosenbrok", "--optimizer", "adam"], "valid problems: parabola, quadratic, saddle, rosenbrock, extended-rosenbrock, chained-rosenbrock, least-squares, logistic, freudenstein-roth"),
        (["--optimizer", "adamm"], "valid optimizers: gd, momentum, nesterov, sgd, adagrad, rmsprop, adadelta, adam, amsgrad, adamw, nadam"),
        (["--optimizer", "adam(beta3=0.5)"], "valid: lr, beta1, beta2, eps, weight_decay, amsgrad"),
        (["--optimizer", "adam + clipp(norm=1)"], "valid modifiers: clip, clip_value, l2"),
        (["--optimizer", "clip(norm=1) + adam"], "a chain starts with an optimizer"),
        (["--optimizer", "adam + cosine(steps=0)"], "steps must be an integer >= 1"),
        (["--problem", "logistic(samples=50)", "--batch-size", "51"], "larger than the 50 samples"),
        (["--optimizer", "adam(lr=-0.1)"], "lr must be a number > 0"),
        (["--problem", "quadratic(n=0)"], "n must be an integer >= 1"),
        (["--optimizer", "lbfgs(history_size=0)"], "history_size must be an integer >= 1"),
        (["--optimizer", "prodigy(beta1=1)"], "beta1 must be a number in [0, 1)"),
        (["--optimizer", "sgd-armijo + clip(norm=1)"], "searches along its own step and takes no modifiers"),
        (["--optimizer", "lbfgs + cosine(steps=10)"], "runs its own iterations and takes no modifiers"),
    ])
    func badInput(arguments: [String], fragment: String) throws {
        let output = try temporaryFolder()
        let r = suite(arguments + ["--output", output])
        #expect(r.code == 64)
        #expect(r.err.contains(fragment), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a misspelled name gets a suggestion")
    func suggestion() {
        #expect(suite(["--problem", "rosenbrok", "--output", "/nonexistent"]).err.contains("did you mean 'rosenbrock'"))
    }

    @Test("invalid options and an empty selection are usage errors", arguments: [
        ["--max-iterations", "-1", "--all"], ["--log-every", "0", "--all"], ["--tolerance", "-1", "--all"], [],
        ["--all", "--problem", "parabola"], ["--check-every", "0", "--all"], ["--check-every", "3", "--log-every", "10", "--all"],
        ["--check-every", "2", "--log-every", "10", "--batch-size", "8", "--all"],
    ])
    func usage(arguments: [String]) throws {
        let output = try temporaryFolder()
        let r = suite(arguments + ["--output", output])
        #expect(r.code == 64, "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("an output path that is a file is refused before anything runs")
    func outputIsFile() throws {
        let file = try temporaryFolder()
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = suite(["--problem", "parabola", "--optimizer", "gd", "--output", file])
        #expect(r.code == 64)
        #expect(r.err.contains("is not a folder"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "x")
    }

    @Test("a run writes the summary, the reference table and one trace per run")
    func writesFiles() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = suite(["--problem", "parabola", "--problem", "*rosen*", "--optimizer", "gd(lr=0.1)", "--optimizer", "adam",
                       "--max-iterations", "200", "--output", output, "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        let fm = FileManager.default
        for file in ["summary.csv", "summary.md", "reference.csv", "traces/parabola/gd_lr=0.1.csv",
                     "traces/extended-rosenbrock/adam.csv", "traces/rosenbrock/adam.csv"] {
            #expect(fm.fileExists(atPath: "\(output)/\(file)"), "\(file)")
        }
        let summary = try String(contentsOfFile: "\(output)/summary.csv", encoding: .utf8)
        #expect(summary.split(separator: "\n").count == 1 + 4 * 2)  // parabola and three Rosenbrocks
        #expect(summary.contains("parabola,1,gd(lr=0.1),0,,converged,48,49,49,49,49.0,16.0,"))
        #expect(r.out.contains("Wrote 8 runs over 4 problems to \(output)/"))
        #expect(!fm.fileExists(atPath: "\(output)/.staging-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    @Test("the same command twice writes identical files apart from time columns")
    func determinism() throws {
        let a = try temporaryFolder(), b = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let args = ["--problem", "quadratic(n=8)", "--problem", "logistic(samples=80,features=4)", "--problem", "rosenbrock",
                    "--optimizer", "*", "--max-iterations", "300", "--seed", "3", "--quiet"]
        #expect(suite(args + ["--output", a]).code == 0)
        #expect(suite(args + ["--output", b]).code == 0)
        for file in ["summary.csv", "reference.csv", "traces/logistic_samples=80_features=4/adam.csv"] {
            let x = try String(contentsOfFile: "\(a)/\(file)", encoding: .utf8)
            let y = try String(contentsOfFile: "\(b)/\(file)", encoding: .utf8)
            if file == "reference.csv" { #expect(x == y) } else { #expect(withoutTimeColumn(x) == withoutTimeColumn(y), "\(file)") }
        }
        // A different seed draws different problem data.
        let c = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: c) }
        #expect(suite(args.map { $0 == "3" ? "4" : $0 } + ["--output", c]).code == 0)
        #expect(try String(contentsOfFile: "\(a)/reference.csv", encoding: .utf8)
            != String(contentsOfFile: "\(c)/reference.csv", encoding: .utf8))
    }

    @Test("a rerun replaces traces/ as a whole")
    func replacesTraces() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        #expect(suite(["--problem", "parabola", "--optimizer", "*", "--output", output, "--quiet"]).code == 0)
        // Another configuration's results are replaced only when asked.
        let refused = suite(["--problem", "rosenbrock", "--optimizer", "gd", "--output", output, "--quiet"])
        #expect(refused.code == 64 && refused.err.contains("holds the results of another configuration") && refused.err.contains("--replace"))
        #expect(FileManager.default.fileExists(atPath: "\(output)/traces/parabola"))
        #expect(suite(["--problem", "rosenbrock", "--optimizer", "gd", "--output", output, "--quiet", "--replace"]).code == 0)
        #expect(!FileManager.default.fileExists(atPath: "\(output)/traces/parabola"))
        #expect(FileManager.default.fileExists(atPath: "\(output)/traces/rosenbrock/gd.csv"))
    }

    @Test("list shows every problem and optimizer with parameters")
    func list() {
        let r = suite(["list"])
        #expect(r.code == 0)
        for name in ["parabola", "quadratic", "rosenbrock", "extended-rosenbrock", "logistic", "gd", "momentum", "adam",
                     "kappa=100", "beta2=0.999", "weight_decay=0"] {
            #expect(r.out.contains(name), "\(name)")
        }
    }

    @Test("--help exits 0")
    func help() {
        let r = suite(["--help"])
        #expect(r.code == 0)
        #expect(r.out.contains("USAGE"))
    }
}

/// A plugin optimizer defined outside the library: sign gradient descent.
struct SignDescent: Optimizer {
    static let name = "signgd"
    static let summary = "sign gradient descent x ← x − lr·sign(∇f)"
    static var hyperparameters: [Hyperparameter<Self>] { [.init("lr", \.lr, "learning rate", .positive)] }
    var lr = 1e-2
    func makeState(dimension: Int) {}
    func step(_ x: Vector, gradient g: Vector, state: inout Void, iteration: Int) {
        for i in 0..<x.count { x[i] -= lr * (g[i] > 0 ? 1 : g[i] < 0 ? -1 : 0) }
    }
}

@Suite("Plugins")
struct PluginTests {
    @Test("an optimizer registered from outside runs through the same command line")
    func pluginOptimizer() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let registry = Registry.standard(adding: [], optimizers: [OptimizerEntry(SignDescent.self)])
        let r = suite(["--problem", "parabola", "--optimizer", "signgd(lr=0.5)", "--max-iterations", "20",
                       "--output", output, "--quiet"], registry: registry)
        #expect(r.code == 0, "\(r.err)")
        // θ: 4 → 3.5 → … → 0 after 8 steps of 0.5.
        let summary = try String(contentsOfFile: "\(output)/summary.csv", encoding: .utf8)
        #expect(summary.contains("parabola,1,signgd(lr=0.5),0,,converged,8,9,9,9,9.0,16.0,0.0,"))
        #expect(suite(["list"], registry: registry).out.contains("signgd"))
    }
}

/// A plugin optimizer that declares it needs a Hessian (a diagonal Newton step).
struct DiagonalNewton: Optimizer {
    static let name = "diagnewton"
    static let summary = "x ← x − g / diag(H) (needs the Hessian)"
    static var hyperparameters: [Hyperparameter<Self>] { [] }
    static var requirements: Requirements { .hessian }
    func makeState(dimension: Int) {}
    func step(_ x: Vector, gradient g: Vector, state: inout Void, iteration: Int) {}
}

@Suite("suite: chains, batches and skips")
struct ChainCLITests {
    @Test("a chained optimizer runs and is labelled with every term")
    func chain() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = suite(["--problem", "rosenbrock", "--optimizer", "adam(lr=0.01,beta1=0.8) + clip(norm=2) + cosine(steps=3000)",
                       "--output", output, "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        let summary = try String(contentsOfFile: "\(output)/summary.csv", encoding: .utf8)
        #expect(summary.contains("rosenbrock,2,\"adam(lr=0.01,beta1=0.8) + clip(norm=2) + cosine(steps=3000)\",0,,"))
        #expect(FileManager.default.fileExists(
            atPath: "\(output)/traces/rosenbrock/adam_lr=0.01_beta1=0.8_clip_norm=2_cosine_steps=3000.csv"))
        // A modifier at its defaults is labelled by its name alone.
        #expect(suite(["--problem", "parabola", "--optimizer", "gd + clip(norm=1)", "--max-iterations", "2", "--output", output,
                       "--quiet", "--replace"]).out.contains("gd + clip "))
    }

    @Test("--batch-size runs finite sums stochastically and skips the rest with the reason")
    func batches() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = suite(["--problem", "parabola", "--problem", "logistic(samples=100)", "--optimizer", "sgd(lr=0.1)",
                       "--batch-size", "10", "--max-iterations", "50", "--seed", "2", "--output", output, "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        let summary = try String(contentsOfFile: "\(output)/summary.csv", encoding: .utf8)
        #expect(summary.contains("parabola,1,sgd(lr=0.1),2,10,skipped,0,0,0,0,,,,,,,--batch-size needs a finite-sum problem; this one is not,"))
        #expect(summary.contains("logistic(samples=100),10,sgd(lr=0.1),2,10,max_iterations,50,50,50,500,5.0,"))
        #expect(FileManager.default.fileExists(atPath: "\(output)/traces/logistic_samples=100/sgd_lr=0.1-batch10-seed2.csv"))
        #expect(!FileManager.default.fileExists(atPath: "\(output)/traces/parabola"))
        let markdown = try String(contentsOfFile: "\(output)/summary.md", encoding: .utf8)
        #expect(markdown.contains("| sgd(lr=0.1) (B=10) | 1 | · | 1 | – | skipped: --batch-size needs a finite-sum problem; this one is not |"))
        #expect(markdown.contains("| optimizer | runs | max iterations | skipped | median final f − f* | note |"))
    }

    @Test("an optimizer that needs a Hessian is skipped, with the reason, where there is none")
    func hessianSkip() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let registry = Registry.standard(adding: [
            ProblemEntry(name: "nohessian", summary: "a parabola without a Hessian") { _, _ throws(SpecError) in
                PoisonedParabola(threshold: -1e300)
            },
        ], optimizers: [OptimizerEntry(DiagonalNewton.self)])
        let r = suite(["--problem", "nohessian", "--optimizer", "diagnewton", "--max-iterations", "3", "--output", output,
                       "--quiet"], registry: registry)
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("skipped: needs a Hessian; the problem has none"))
    }

    @Test("list shows the modifiers with their role")
    func listModifiers() {
        let out = suite(["list"]).out
        for name in ["clip [gradient transformation]", "cosine [learning-rate schedule]",
                     "decoupled_weight_decay [decoupled weight decay]", "warmup_cosine", "nadam", "momentum_decay=0.004"] {
            #expect(out.contains(name), "\(name)")
        }
    }
}

@Suite("suite --jobs", .tags(.endToEnd))
struct JobsTests {
    @Test("--check-every through a worker: the same iterates and rows at checked iterates, and it is part of the configuration")
    func checkEvery() throws {
        let a = try temporaryFolder(), b = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        // Through the real binary: its workers are its own executable (no environment to set).
        let args = ["--problem", "quadratic(n=40,rotated=false,linear=ones)", "--optimizer", "gd(lr=0.01)", "--max-iterations", "200",
                    "--tolerance", "0", "--log-every", "20", "--quiet", "--no-cache", "--isolation", "process"]
        #expect(try runSuite(args + ["--output", a]).code == 0)
        #expect(try runSuite(args + ["--check-every", "10", "--output", b]).code == 0)
        let file = "traces/quadratic_n=40_rotated=false_linear=ones/gd_lr=0.01.csv"
        let x = try String(contentsOfFile: "\(a)/\(file)", encoding: .utf8)
        let y = try String(contentsOfFile: "\(b)/\(file)", encoding: .utf8)
        #expect(withoutTimeColumn(x) == withoutTimeColumn(y))
        let metadata = try String(contentsOfFile: "\(b)/metadata.json", encoding: .utf8)
        #expect(metadata.contains("\"check_every\" : 10") || metadata.contains("\"check_every\":10"), "\(metadata)")
        #expect(!(try String(contentsOfFile: "\(a)/metadata.json", encoding: .utf8)).contains("check_every"))
    }

    @Test("problems run concurrently give the same files as a serial run, apart from times", arguments: ["none", "process"])
    func parallelEqualsSerial(isolation: String) throws {
        let a = try temporaryFolder(), b = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let args = ["--problem", "quadratic(n=8)", "--problem", "logistic(samples=80,features=4)", "--problem", "bard",
                    "--problem", "rosenbrock", "--optimizer", "adam", "--optimizer", "momentum", "--optimizer", "newton",
                    "--max-iterations", "300", "--quiet", "--no-cache", "--isolation", isolation]
        // Worker processes through the real binary (its workers are its own executable); else in-process.
        func run(_ arguments: [String]) throws -> Int32 { isolation == "process" ? try runSuite(arguments).code : suite(arguments).code }
        #expect(try run(args + ["--jobs", "1", "--output", a]) == 0)
        #expect(try run(args + ["--jobs", "3", "--output", b]) == 0)
        for file in ["summary.csv", "traces/bard/adam.csv", "traces/logistic_samples=80_features=4/newton.csv"] {
            let x = try String(contentsOfFile: "\(a)/\(file)", encoding: .utf8)
            let y = try String(contentsOfFile: "\(b)/\(file)", encoding: .utf8)
            #expect(withoutTimeColumn(x) == withoutTimeColumn(y), "\(file)")
        }
    }
}

@Suite("Paper workflow: report, diff, seeds, tuning", .tags(.endToEnd))
struct PaperWorkflowTests {
    let args = ["--problem", "rosenbrock", "--problem", "quadratic(n=8)", "--optimizer", "gd", "--optimizer", "adam(lr=0.01)",
                "--optimizer", "newton", "--max-iterations", "400", "--quiet"]

    @Test("suite report regenerates every table and plot from the CSV files, byte for byte")
    func report() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(suite(args + ["--output", out]).code == 0)
        let fm = FileManager.default
        let tables = try String(contentsOfFile: out + "/tables/tables.md", encoding: .utf8)
        let plot = try String(contentsOfFile: out + "/plots/rosenbrock.svg", encoding: .utf8)
        try fm.removeItem(atPath: out + "/tables")
        try fm.removeItem(atPath: out + "/plots")
        let r = suite(["report", out])
        #expect(r.code == 0, "\(r.err)")
        #expect(try String(contentsOfFile: out + "/tables/tables.md", encoding: .utf8) == tables)
        #expect(try String(contentsOfFile: out + "/plots/rosenbrock.svg", encoding: .utf8) == plot)
        for file in ["tables/overview.tex", "tables/numbers.tex", "tables/rosenbrock.tex", "plots/performance-profile.tex",
                     "plots/data-profile.svg", "profiles.csv", "timing/tables.md", "timing/plots/rosenbrock-time.svg"] {
            #expect(fm.fileExists(atPath: out + "/" + file), "\(file)")
        }
        let metadata = try String(contentsOfFile: out + "/metadata.json", encoding: .utf8)
        #expect(metadata.contains("\"gsl\" : \"2.") && metadata.contains("\"suite_version\""))
        // Not a results folder: a clear error, exit 64.
        let bad = suite(["report", out + "/tables"])
        #expect(bad.code == 64 && bad.err.contains("metadata.json is missing"))
    }

    @Test("suite diff passes on a rerun and flags a cell that moved")
    func diff() throws {
        let a = try temporaryFolder(), b = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        #expect(suite(args + ["--output", a]).code == 0)
        #expect(suite(args + ["--output", b, "--jobs", "1"]).code == 0)
        let same = suite(["diff", a, b, "--strict"])
        #expect(same.code == 0, "\(same.out)")
        // Move one number in the candidate: newton now needs one more evaluation to reach 1e-1 on rosenbrock.
        let path = b + "/targets.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let i = try #require(lines.firstIndex { $0.hasPrefix("rosenbrock,newton,0,,0.1,true,") })
        var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[8] = String(Int(fields[8])! + 1)
        lines[i] = fields.joined(separator: ",")
        try rewriteResult(b, "targets.csv", lines.joined(separator: "\n"))
        let moved = suite(["diff", a, b])
        #expect(moved.code == 1)
        #expect(moved.out.contains("rosenbrock × newton: evaluations to 1e-1"))
    }

    @Test("mini-batch seeds give medians with spreads")
    func seeds() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = suite(["--problem", "logistic(samples=80,features=4)", "--optimizer", "sgd(lr=0.1)", "--batch-size", "8", "--seeds", "3",
                       "--max-iterations", "300", "--output", out, "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        let rows = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 4)
        #expect(rows[1].contains(",0,8,") && rows[2].contains(",1,8,") && rows[3].contains(",2,8,"))
        let md = try String(contentsOfFile: out + "/tables/tables.md", encoding: .utf8)
        #expect(md.contains("over 3 seeds"))
    }

    @Test("--instances N: instance i has its own data or x₀ and its own certified f*; --seeds without --batch-size is the same run")
    func instances() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let selection = ["--problem", "quadratic(n=5)", "--problem", "rosenbrock", "--optimizer", "gd", "--optimizer", "newton",
                         "--max-iterations", "200", "--no-cache", "--quiet"]
        let r = suite(selection + ["--instances", "3", "--output", root + "/a"])
        #expect(r.code == 0, "\(r.err)")
        let set = try ResultSet.parse(hash: "") { relative in
            FileManager.default.contents(atPath: root + "/a/" + relative).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(set.records.count == 12)
        #expect(set.records.map { $0.instance } == [0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2])
        #expect(set.records.map { $0.seed } == [0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2])
        // Seeded data differ per instance, and so do their certified optima; every run is measured against its own.
        let quadratic = (0..<3).map { set.references[Instances.referenceKey("quadratic(n=5)", instance: $0)]!.value }
        #expect(Set(quadratic).count == 3)
        for record in set.records where record.problem == "quadratic(n=5)" {
            #expect(record.result.optimalValue == quadratic[record.instance])
        }
        // A fixed problem keeps f* and moves x₀.
        let starts = set.records.filter { $0.problem == "rosenbrock" && $0.optimizer == "gd" }.map { $0.result.initialValue }
        #expect(Set(starts).count == 3 && starts[0] == 24.199999999999996)
        let reference = try String(contentsOfFile: root + "/a/reference.csv", encoding: .utf8)
        #expect(reference.split(separator: "\n").count == 7)  // header + 2 problems × 3 instances
        let md = try String(contentsOfFile: root + "/a/tables/tables.md", encoding: .utf8)
        #expect(md.contains("3 instances"))
        // --seeds without --batch-size means instances: the same files.
        #expect(suite(selection + ["--seeds", "3", "--output", root + "/b"]).code == 0)
        #expect(suite(["diff", root + "/a", root + "/b", "--strict"]).code == 0)
        // The worker processes rebuild the instance: the same files as in-process runs (the real
        // binary starts them: its workers are its own executable).
        #expect(try runSuite(selection + ["--instances", "3", "--isolation", "process", "--output", root + "/c"]).code == 0)
        #expect(suite(["diff", root + "/a", root + "/c", "--strict"]).code == 0)
        // suite report regenerates everything from the files; --html adds the page, the same bytes every time.
        let report = suite(["report", root + "/c", "--html"])
        #expect(report.code == 0, "\(report.err)")
        #expect(suite(["diff", root + "/a", root + "/c", "--strict"]).code == 0)
        let page = try String(contentsOfFile: root + "/c/index.html", encoding: .utf8)
        #expect(page.contains("<section id=\"problem-rosenbrock\">") && page.contains("over 3 instances"))
        #expect(suite(["report", root + "/c", "--html"]).code == 0)
        #expect(try String(contentsOfFile: root + "/c/index.html", encoding: .utf8) == page)
        for bad in [["--instances", "0"], ["--instances", "2", "--seeds", "2"]] {
            let e = suite(selection + bad + ["--output", root + "/bad"])
            #expect(e.code == 64 && e.err.contains("--instances"), "\(e.err)")
            #expect(!FileManager.default.fileExists(atPath: root + "/bad"))
        }
    }

    @Test("--shard K/N runs a deterministic part; suite merge rebuilds the unsharded folder byte for byte")
    func shardAndMerge() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let selection = ["--problem", "quadratic", "--problem", "rosenbrock", "--optimizer", "gd", "--optimizer", "adam",
                         "--optimizer", "newton", "--max-iterations", "300", "--no-cache", "--quiet"]
        #expect(suite(selection + ["--output", root + "/full"]).code == 0)
        var counts: [Int] = []
        for k in 1...4 {
            let r = suite(selection + ["--shard", "\(k)/4", "--output", root + "/s\(k)"])
            #expect(r.code == 0, "\(r.err)")
            counts.append(try String(contentsOfFile: root + "/s\(k)/summary.csv", encoding: .utf8).split(separator: "\n").count - 1)
        }
        #expect(counts == [2, 2, 1, 1])  // 6 pairs: indices k−1, k+3
        let incomplete = suite(["merge", "--output", root + "/bad", root + "/s1", root + "/s2", root + "/s3"])
        #expect(incomplete.code == 64 && incomplete.err.contains("missing: rosenbrock × gd"), "\(incomplete.err)")
        let twice = suite(["merge", "--output", root + "/bad", root + "/s1", root + "/s1", root + "/s2", root + "/s3", root + "/s4"])
        #expect(twice.code == 64 && twice.err.contains("is in two shards"))
        let merged = suite(["merge", "--output", root + "/merged", root + "/s4", root + "/s2", root + "/s3", root + "/s1"])
        #expect(merged.code == 0, "\(merged.err)")
        let diff = suite(["diff", root + "/full", root + "/merged", "--strict"])
        #expect(diff.code == 0, "\(diff.out)")
        #expect(suite(selection + ["--shard", "5/4"]).err.contains("--shard"))
    }

    @Test("a non-convex problem is measured against the best value reached: no run below it, polyak skipped, shards keep it whole")
    func bestReached() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let network = "mlp(samples=60,features=3,classes=3,hidden=4)"
        let selection = ["--problem", network, "--problem", "rosenbrock", "--optimizer", "gd(lr=0.1)", "--optimizer", "adam(lr=0.01)",
                         "--optimizer", "rprop", "--optimizer", "polyak", "--max-iterations", "400", "--no-cache", "--quiet"]
        let full = suite(selection + ["--output", root + "/full"])
        #expect(full.code == 0, "\(full.err)")
        let reference = try String(contentsOfFile: root + "/full/reference.csv", encoding: .utf8).split(separator: "\n")
            .map(csvFields).first { $0[0].hasPrefix("mlp(") }
        let fStar = try #require(reference.flatMap { Double($0[2]) })
        #expect(reference?[3] == "best_reached")
        var finals: [Double] = []
        for line in try String(contentsOfFile: root + "/full/summary.csv", encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = csvFields(line)
            guard f[0].hasPrefix("mlp(") else { continue }
            if f[2] == "polyak" { #expect(f[5] == "skipped" && f[16].contains("needs the certified f*")); continue }
            let final = try #require(Double(f[12]))
            // The validation split's final loss and accuracy (columns 18, 19), as in the last trace row.
            #expect(Double(f[18]).map { $0 > 0 } == true && Double(f[19]).map { (0...1).contains($0) } == true, "\(f)")
            #expect(Double(f[13]) == fStar && final >= fStar, "\(f)")
            finals.append(final)
        }
        // The best run of the first pass reaches f* again in the measured pass, within the tolerance.
        #expect(finals.count == 3 && finals.contains { $0 - fStar <= 1e-8 })
        let md = try String(contentsOfFile: root + "/full/tables/tables.md", encoding: .utf8)
        #expect(md.contains("(best reached, not certified)") && md.contains("validation accuracy"))
        let report = suite(["report", root + "/full", "--quiet"])
        #expect(report.code == 0, "\(report.err)")
        // --seeds: each run seed draws its own initialization; the first is the instance's own x₀.
        let seeded = suite(["--problem", network, "--optimizer", "sgd(lr=0.1)", "--batch-size", "8", "--seeds", "3",
                            "--max-iterations", "50", "--no-cache", "--quiet", "--output", root + "/seeds"])
        #expect(seeded.code == 0, "\(seeded.err)")
        let initial = try String(contentsOfFile: root + "/seeds/summary.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { csvFields($0)[11] }
        let fullInitial = try String(contentsOfFile: root + "/full/summary.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map(csvFields).first { $0[0].hasPrefix("mlp(") }?[11]
        #expect(initial.count == 3 && Set(initial).count == 3 && initial.first == fullInitial)
        for k in 1...2 { #expect(suite(selection + ["--shard", "\(k)/2", "--output", root + "/s\(k)"]).code == 0) }
        let merged = suite(["merge", "--output", root + "/merged", root + "/s1", root + "/s2"])
        #expect(merged.code == 0, "\(merged.err)")
        #expect(suite(["diff", root + "/full", root + "/merged", "--strict"]).code == 0)
    }

    @Test("--tune sweeps the grid, keeps the documented choice and writes the sensitivity table and plot")
    func tune() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = suite(["--problem", "rosenbrock", "--optimizer", "gd", "--optimizer", "newton", "--tune", "--tune-grid", "1e-4:1e-2:3",
                       "--max-iterations", "2000", "--output", out, "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        let csv = try String(contentsOfFile: out + "/tuning.csv", encoding: .utf8).split(separator: "\n")
        // 3 learning rates for gd; newton has none and is not tuned.
        #expect(csv.count == 4)
        #expect(csv.filter { $0.hasSuffix(",true") }.count == 1)
        #expect(csv.contains { $0.hasPrefix("rosenbrock,gd,0.001,") && $0.hasSuffix(",true") })
        #expect(FileManager.default.fileExists(atPath: out + "/plots/tuning-rosenbrock.svg"))
        // The tuned runs keep the optimizer's label (one row per method across problems); the tables show the chosen lr.
        let summary = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8)
        #expect(summary.contains("\nrosenbrock,2,gd,0,") && !summary.contains("gd(lr="))
        let tables = try String(contentsOfFile: out + "/tables/tables.md", encoding: .utf8)
        #expect(tables.contains("| optimizer | lr |") && tables.contains("| gd | 1.00e-03 |"), "\(tables)")
        #expect(FileManager.default.fileExists(atPath: out + "/tuning-cost.csv"))
        // `suite report` regenerates the sensitivity table and plot from tuning.csv alone, byte for byte.
        let names = ["tables/tuning.md", "tables/tuning-rosenbrock.tex", "plots/tuning-rosenbrock.svg", "plots/tuning-rosenbrock.tex"]
        let written = names.map { FileManager.default.contents(atPath: out + "/" + $0) }
        for name in names { try FileManager.default.removeItem(atPath: out + "/" + name) }
        let report = suite(["report", out, "--quiet"])
        #expect(report.code == 0, "\(report.err)")
        #expect(names.map { FileManager.default.contents(atPath: out + "/" + $0) } == written)
        #expect(written.allSatisfy { $0 != nil })
        // A tuning.csv without a chosen value is refused with the file and what is wrong.
        let text = try String(contentsOfFile: out + "/tuning.csv", encoding: .utf8)
        try rewriteResult(out, "tuning.csv", text.replacingOccurrences(of: ",true\n", with: ",false\n"))
        let broken = suite(["report", out, "--quiet"])
        #expect(broken.code == 64 && broken.err.contains("tuning.csv: no chosen learning rate for gd on rosenbrock"), "\(broken.err)")
        for grid in ["1:0.1:3", "1e-3:1e-2:1"] {
            let bad = suite(["--problem", "rosenbrock", "--optimizer", "gd", "--tune", "--tune-grid", grid, "--output", out + "/bad"])
            #expect(bad.code == 64 && bad.err.contains("--tune-grid must be LOW:HIGH:POINTS") && bad.err.contains("2 <= POINTS"))
        }
        // --all tunes by default: a bad grid is refused there too, and --no-tune does not look at it.
        #expect(suite(["--all", "--tune-grid", "1e-3:1e-2:1", "--output", out + "/bad"]).code == 64)
        #expect(!FileManager.default.fileExists(atPath: out + "/bad"))
    }
}
