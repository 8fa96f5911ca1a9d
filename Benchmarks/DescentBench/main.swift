// descent-bench: the peer kit's workloads through Descent.
//
//   swift run -c release descent-bench --data /tmp/peers-data [--json FILE] [--repeats 3]
//   swift run -c release descent-bench --smoke          # CI: small sizes, checks zero allocations
//
// Prints, per workload, the median time per step of a bare loop (gradient + optimizer step) and of
// the same run through Descent's harness (trace, stopping tests, timing), the harness overhead,
// heap allocations per step, and the final f against the value the peer kit states. Then W4 (GSL
// through Descent), every elementwise rule on W1 and W2 against Adam (`--only rules`), the cost per
// element from n = 10³ to 10⁷, the peak memory of an n = 10⁷ Adam run, and the model problems (softmax,
// MLP) on the digits data with mini-batches (`--only models`). `--only startup` times the release `suite`
// on one problem × one optimizer in an empty folder and beside a copy of Results/ (build it first:
// swift build -c release).
import ArgumentParser
import DescentCore
import DescentOptimizers
import DescentProblems
import DescentReport
import Foundation
import GSL

struct DescentBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "descent-bench",
        abstract: "Time the peer kit's workloads W1–W4 through Descent (bare loop and harness), count allocations, "
            + "measure scaling and peak memory.")

    @Option(help: "Folder with the peer kit's W3 data (python3 py/gen_data.py DIR); without it W3 uses synthetic data.")
    var data: String?

    @Option(help: "Runs per measurement; the median is reported.")
    var repeats = 3

    @Option(help: "Only workloads whose names start with one of these (comma-separated), e.g. W1,W4.")
    var only: String?

    @Option(help: "With --only rules: only the rules whose specs start with one of these (comma-separated; adam is always measured, as the reference).")
    var rules: String?

    @Option(help: "Also write one JSON object per row to this file (the peer kit's results.jsonl format).")
    var json: String?

    @Flag(help: "Small sizes and one repeat, for CI: fails when a step allocates or the harness costs too much.")
    var smoke = false

    @Option(help: "Largest n of the scaling curve (W1-Adam shape).")
    var maxScale: Int?

    @Option(help: "Write the scaling curve (time per step and per element against n) to this SVG file.")
    var scalingPlot: String?

    @Option(help: "With --only startup: the results folder copied beside the start-up run (default: Results).")
    var results = "Results"

    @Option(help: "Internal: run one n = N Adam job and print its peak memory.")
    var memoryProbe: Int?

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be >= 1, got \(repeats)") }
        if let d = data, !FileManager.default.fileExists(atPath: d + "/w3_X.f64") {
            throw ValidationError("--data \(d) has no w3_X.f64; write it with: python3 ../shared/peers/py/gen_data.py \(d)")
        }
    }

    func run() throws {
        if let n = memoryProbe { return try MemoryProbe.run(n: n) }
        var rows: [[String: Any]] = []
        let wanted = only.map { $0.split(separator: ",").map(String.init) }
        func selected(_ name: String) -> Bool { wanted.map { $0.contains { name.hasPrefix($0) } } ?? true }
        let repeats = smoke ? 1 : self.repeats

        print("Descent \(smoke ? "smoke " : "")benchmark: median of \(repeats) run(s); one thread.\n")
        print("Two ways: f, ‖∇f‖ and the stopping tests at every iterate (the default), and at the last only")
        print("(--check-every = steps: the peers' work, they compute x and nothing else). Same iterates, same final f.")
        print(pad("", 17) + pad("every iterate", 38) + "last iterate only")
        print(pad("workload", 10) + pad("steps", 7) + pad("bare/step", 12) + pad("harness/step", 14) + pad("overhead", 12)
              + pad("bare/step", 12) + pad("harness/step", 14) + pad("overhead", 10)
              + pad("mallocs/step", 14) + pad("final f", 24) + "vs peer kit")
        var failures: [String] = []
        for w in Workloads.all(scale: smoke ? 0.01 : 1, data: data) where selected(w.name) {
            let m = try Measure.run(w, repeats: repeats)
            let overhead = m.harness / m.bare - 1, overheadAtEnd = m.harnessAtEnd / m.bareAtEnd - 1
            let mallocs = [m.bareMallocs, m.harnessMallocs].map { $0.map { format($0, 2) } ?? "n/a" }.joined(separator: " / ")
            let check = m.expected.map { e in "rel. diff \(scientific(Swift.abs(m.finalHarness - e) / Swift.abs(e)))" } ?? "(smaller n)"
            print(pad(w.name, 10) + pad("\(w.steps)", 7) + pad(duration(m.bare), 12) + pad(duration(m.harness), 14)
                  + pad(percent(overhead), 12) + pad(duration(m.bareAtEnd), 12) + pad(duration(m.harnessAtEnd), 14)
                  + pad(percent(overheadAtEnd), 10) + pad(mallocs, 14) + pad("\(m.finalHarness)", 24) + check)
            if let a = m.bareMallocs, a > 0 { failures.append("\(w.name): \(a) allocations per bare step") }
            if let a = m.harnessMallocs, a > 0 { failures.append("\(w.name): \(a) allocations per harness step") }
            if let e = m.expected, Swift.abs(m.finalHarness - e) > 1e-9 * Swift.abs(e) {
                failures.append("\(w.name): final f \(m.finalHarness) differs from the peer kit's \(e) by more than 1e-9")
            }
            rows.append(["workload": w.name, "impl": "Descent", "steps": w.steps, "repeats": repeats,
                         "time_per_step_s": m.harness, "final_f": m.finalHarness, "evals": w.steps + 1,
                         "note": "through Harness.run"])
            rows.append(["workload": w.name, "impl": "Descent-bare", "steps": w.steps, "repeats": repeats,
                         "time_per_step_s": m.bare, "final_f": m.finalBare, "evals": w.steps,
                         "note": "bare loop: gradient + step"])
            rows.append(["workload": w.name, "impl": "Descent-check-end", "steps": w.steps, "repeats": repeats,
                         "time_per_step_s": m.harnessAtEnd, "final_f": m.finalHarness, "evals": w.steps + 1,
                         "note": "through Harness.run with checkEvery = steps (f and stopping tests at the last iterate)"])
        }

        if selected("rules") || only == nil {
            try RuleSweep.run(scale: smoke ? 0.01 : 1, repeats: repeats, only: rules.map { $0.split(separator: ",").map(String.init) },
                              rows: &rows, failures: &failures)
        }

        if selected("models") || only == nil {
            try ModelWorkloads.run(repeats: repeats, smoke: smoke, rows: &rows, failures: &failures)
        }

        if selected("W4") {
            print("\nW4: GSL through Descent (Swift callbacks), stop at ‖∇f‖∞ ≤ 1e-5 or no progress; median of \(smoke ? 1 : 11)")
            print(pad("workload", 24) + pad("iterations", 12) + pad("f/g calls", 14) + pad("total", 12) + pad("per iteration", 15) + "final f")
            for n in [2, 100] {
                for method in [GradientMethod.bfgs2, .conjugatePR] {
                    let r = try GSLWorkloads.run(n: n, method: method, repeats: smoke ? 1 : 11)
                    print(pad(r.name, 24) + pad("\(r.iterations)", 12) + pad("f\(r.functionCalls)/g\(r.gradientCalls)", 14)
                          + pad(duration(r.seconds), 12) + pad(duration(r.seconds / Double(Swift.max(1, r.iterations))), 15) + "\(r.final)")
                    rows.append(["workload": r.name, "impl": "Descent+GSL", "steps": r.iterations, "repeats": smoke ? 1 : 11,
                                 "time_per_step_s": r.seconds / Double(Swift.max(1, r.iterations)), "total_s": r.seconds,
                                 "final_f": r.final, "evals": "f\(r.functionCalls)/g\(r.gradientCalls)"])
                }
            }
        }

        if selected("W4") {
            print("\nW4 with L-BFGS: lbfgs-wolfe with the peer kit's torch.optim.LBFGS settings (history 10, strong Wolfe, "
                  + "tolerance_grad 1e-5), through the harness; median of \(smoke ? 1 : 11)")
            print(pad("workload", 24) + pad("iterations", 12) + pad("closure calls", 15) + pad("total", 12) + pad("per iteration", 15) + "final f")
            for n in [2, 100] {
                let r = LBFGSWorkload.run(n: n, repeats: smoke ? 1 : 11)
                print(pad(r.name, 24) + pad("\(r.iterations)", 12) + pad("\(r.gradientCalls)", 15) + pad(duration(r.seconds), 12)
                      + pad(duration(r.seconds / Double(Swift.max(1, r.iterations))), 15) + "\(r.final)")
                rows.append(["workload": r.name, "impl": "Descent-LBFGS", "steps": r.iterations, "repeats": smoke ? 1 : 11,
                             "time_per_step_s": r.seconds / Double(Swift.max(1, r.iterations)), "total_s": r.seconds,
                             "final_f": r.final, "evals": r.gradientCalls])
                if !r.final.isFinite || r.iterations == 0 { failures.append("\(r.name): final f \(r.final) after \(r.iterations) iterations") }
            }
        }

        if selected("scaling") || only == nil {
            let top = maxScale ?? (smoke ? 100_000 : 10_000_000)
            print("\nScaling: Adam (lr = 1e-2) on the W1 quadratic through the harness; time per step and per element")
            print(pad("n", 12) + pad("steps", 8) + pad("per step", 12) + "ns per element")
            var n = 1000
            var curve: [(x: Double, y: Double)] = []
            while n <= top {
                let steps = Swift.max(10, Swift.min(10_000, 200_000_000 / (n * 20)))
                let w = Workload(name: "scale", steps: steps, expected: nil, problem: {
                    try Quadratic(dimension: n, conditionNumber: 1e3, spectrum: .log, rotated: false, linearTerm: .ones, seed: 0)
                }, optimizer: Adam(lr: 1e-2))
                let problem = try w.problem()
                var times: [Double] = []
                for _ in 0..<repeats {
                    let r = Harness.run(problem: problem, optimizer: w.optimizer, optimalValue: nil,
                                        options: Measure.options(steps: steps, batchSize: nil))
                    times.append(r.time / Double(steps))
                }
                let t = Measure.median(times)
                print(pad("\(n)", 12) + pad("\(steps)", 8) + pad(duration(t), 12) + format(t / Double(n) * 1e9, 3))
                curve.append((Double(n), t))
                rows.append(["workload": "scaling-W1-Adam-n\(n)", "impl": "Descent", "steps": steps, "repeats": repeats,
                             "time_per_step_s": t, "n": n])
                n *= 10
            }
            if let path = scalingPlot, let first = curve.first {
                // The measured curve and a line of slope 1 through its first point (linear cost).
                let figure = Figure(
                    title: "Adam on the W1 quadratic: time per step against n", xLabel: "n", yLabel: "seconds per step",
                    logX: true, logY: true, yFloor: 1e-9,
                    series: [Figure.Series(name: "Descent (harness, one thread)", points: curve),
                             Figure.Series(name: "linear in n from n = 10³", points: curve.map { ($0.x, first.y * $0.x / first.x) })],
                    caption: "descent-bench, release build; median of \(repeats) runs per n.")
                try SVG.render(figure).write(toFile: path, atomically: true, encoding: .utf8)
            }
        }

        if selected("memory") || only == nil {
            let n = smoke ? 1_000_000 : 10_000_000
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            process.arguments = ["--memory-probe", "\(n)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            process.waitUntilExit()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            print("\n" + text, terminator: "")
            if let ratio = text.split(separator: "\n").last.flatMap({ Double($0.split(separator: " ").last ?? "") }) {
                rows.append(["workload": "memory-W1-Adam-n\(n)", "impl": "Descent", "peak_over_vectors": ratio])
                if ratio > 1.3 { failures.append("peak memory \(ratio)× the vectors (limit 1.3×)") }
            }
        }

        if only != nil && selected("startup") {  // only when named: it needs a release suite
            // The release suite beside this executable (swift build -c release builds both).
            let suite = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("suite").path
            let n = smoke ? 1 : Swift.max(repeats, 5)
            print("\nStart-up: suite \(Startup.arguments.joined(separator: " ")) (one problem × one optimizer, end to end; "
                  + "median of \(n); peak resident set of the suite and its worker)")
            if let startup = try Startup.run(suite: suite, results: results, repeats: n) {
                print(pad("where", 26) + pad("time", 12) + "peak memory")
                for row in startup {
                    print(pad(row.name, 26) + pad(duration(row.seconds), 12) + "\(row.peakBytes / 1_000_000) MB")
                    rows.append(["workload": "startup-\(row.name)", "impl": "Descent", "total_s": row.seconds, "peak_bytes": row.peakBytes])
                    if row.seconds > Startup.targetSeconds { failures.append("start-up \(row.name): \(duration(row.seconds)) (target 0.5 s)") }
                    if row.peakBytes > Startup.targetBytes { failures.append("start-up \(row.name): \(row.peakBytes / 1_000_000) MB (target 50 MB)") }
                }
            } else {
                print("  (no release suite at \(suite): build it with swift build -c release --product suite)")
            }
        }

        if let json {
            let lines = try rows.map { row in
                String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self)
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: json, atomically: true, encoding: .utf8)
        }
        if !failures.isEmpty {
            throw BenchFailure(failures)
        }
    }
}

/// What a smoke or full run found wrong.
struct BenchFailure: Error, CustomStringConvertible {
    let failures: [String]
    init(_ failures: [String]) { self.failures = failures }
    var description: String { "benchmark checks failed:\n  " + failures.joined(separator: "\n  ") }
}

/// Peak memory of one Adam run at n on the W1 quadratic, in a fresh process.
enum MemoryProbe {
    static func run(n: Int) throws {
        let before = Measure.residentBytes()
        let problem = try Quadratic(dimension: n, conditionNumber: 1e3, spectrum: .log, rotated: false, linearTerm: .ones, seed: 0)
        let result = Harness.run(problem: problem, optimizer: Adam(lr: 1e-2), optimalValue: nil,
                                 options: Measure.options(steps: 10, batchSize: nil))
        let peak = Measure.peakResidentBytes() - before
        // What the method needs: x, ∇f, Adam's m and v, and the problem's diagonal a (b is a constant).
        let vectors = 5 * 8 * n
        print("Peak memory, Adam on the W1 quadratic at n = \(n) (10 steps, f = \(result.finalValue)):")
        print("  resident growth \(peak / 1_000_000) MB; vectors x, g, m, v, a: \(vectors / 1_000_000) MB; ratio "
              + format(Double(peak) / Double(vectors), 3))
    }
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
func format(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
func scientific(_ x: Double) -> String { String(format: "%.1e", x) }
func percent(_ x: Double) -> String { String(format: "%+.1f%%", x * 100) }
func duration(_ s: Double) -> String {
    if s >= 1 { return String(format: "%.3g s", s) }
    if s >= 1e-3 { return String(format: "%.3g ms", s * 1e3) }
    if s >= 1e-6 { return String(format: "%.3g µs", s * 1e6) }
    return String(format: "%.3g ns", s * 1e9)
}

DescentBench.main()
