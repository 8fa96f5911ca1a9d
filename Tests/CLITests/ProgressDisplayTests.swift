@testable import DescentCLI
import DescentCore
import DescentReport
import DescentTestSupport
import Foundation
import Testing

@Suite("Progress: one display for the whole command, an ETA from measured cost, a closing that says what to open")
struct ProgressDisplayTests {
    /// The recorded runs: (kind, seconds), in recorded order.
    /// The size the scheduler gives a problem: what one gradient costs, measured here.
    static let runs: [(kind: CostModel.Kind, seconds: Double)] = {
        var sizes: [String: Double] = [:]
        return recordedCosts.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",").map(String.init)
            if sizes[f[0]] == nil, let p = try? Registry.standard.selectProblems([f[0]], seed: 0).first?.problem {
                sizes[f[0]] = CostModel.probe(p)
            }
            return (CostModel.Kind(problem: f[0], optimizer: f[1], size: sizes[f[0]] ?? Double(f[3])!, dimension: Double(f[3])!),
                    Double(f[4])! * 1e-6)
        }
    }()

    /// The worst ratio estimate/truth of the time left, over every point once `share` of the runs (in
    /// `order`) finished, where more than 1% of the total time is left.
    /// With `outliers`, points are left out while a run that costs over a tenth of the whole is still to
    /// come and no run of its (problem, optimizer) has finished.
    func worstRatios(_ order: [(kind: CostModel.Kind, seconds: Double)], from share: Double, seen: Bool,
                     outliers: Bool = false) -> (low: Double, high: Double) {
        var pairs = Set<String>()
        var model = CostModel()
        let total = order.map(\.seconds).reduce(0, +)
        var left = total
        var (low, high) = (Double.infinity, 0.0)
        for (i, run) in order.enumerated() {
            model.observe(run.kind, seconds: run.seconds)
            pairs.insert(run.kind.problem + "\u{1}" + run.kind.optimizer)
            left -= run.seconds
            if outliers && order[(i + 1)...].contains(where: {
                $0.seconds > 0.1 * total && !pairs.contains($0.kind.problem + "\u{1}" + $0.kind.optimizer)
            }) { continue }
            // Every 8th run (the display redraws twice a second, not after every run).
            guard Double(i + 1) >= share * Double(order.count), left > 0.01 * total, i % 8 == 0,
                  !seen || order[(i + 1)...].allSatisfy({ model.hasSeen(problem: $0.kind.problem) }) else { continue }
            let ratio = model.total(order[(i + 1)...].map(\.kind)) / left
            (low, high) = (Swift.min(low, ratio), Swift.max(high, ratio))
        }
        return (low, high)
    }

    @Test("on recorded costs the estimate of the time left is within 2× of the truth once 10% of the runs are done and each problem has had a run")
    func etaOnRecordedCosts() throws {
        #expect(Self.runs.count > 1000)
        // In the order the runs were recorded (one worker: the selection order), and in the start order
        // of several workers (costliest problems first: samples × dimension).
        let order = try RunCommand.startOrder(Registry.standard.selectProblems(["*"], seed: 0)).enumerated()
        let rank = Dictionary(try order.map { (try Registry.standard.selectProblems(["*"], seed: 0)[$0.element].label, $0.offset) },
                              uniquingKeysWith: { a, _ in a })
        let bySize = Self.runs.enumerated().sorted { a, b in
            let (ra, rb) = (rank[a.element.kind.problem] ?? 0, rank[b.element.kind.problem] ?? 0)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        // Several workers start the costliest problems first: from 10% of the runs on, once every problem
        // still to run has had a run.
        let (low, high) = worstRatios(bySize, from: 0.1, seen: true)
        #expect(low >= 0.5 && high <= 2, "estimate/truth in [\(low), \(high)]")
        // One worker keeps the selection order, where the costliest problem may come last: from 10% of
        // the runs on, once every problem still to run has had a run (no measurement says what a problem
        // costs before that), and but for one run: Newton on matrix-factorization (n = 270) costs 22% of
        // the whole, 230 times that problem's median run, and nothing measured before it says so.
        let (oneLow, oneHigh) = worstRatios(Self.runs, from: 0.1, seen: true, outliers: true)
        #expect(oneLow >= 0.5 && oneHigh <= 2, "estimate/truth in [\(oneLow), \(oneHigh)]")
    }

    @Test("counting runs instead would be far off on the same costs (the test can fail)")
    func countingIsWorse() {
        let total = Self.runs.map(\.seconds).reduce(0, +)
        var spent = 0.0
        var worst = 1.0
        for (i, run) in Self.runs.enumerated() {
            spent += run.seconds
            let done = Double(i + 1)
            guard done >= 0.1 * Double(Self.runs.count), total - spent > 0.01 * total else { continue }
            let byCount = spent / done * (Double(Self.runs.count) - done)
            worst = Swift.max(worst, Swift.max(byCount / (total - spent), (total - spent) / byCount))
        }
        #expect(worst > 2)
    }

    @Test("piped: a line per phase with its explanation, and one when it ends; singular and plural")
    func pipedLines() {
        let captured = CapturedOutput()
        let console = Console(out: { captured.out += $0 }, err: { captured.err += $0 }, errIsTerminal: false)
        let progress = Progress(console: console, passes: [(.firstPass, 1), (.measured, 2)], quiet: false)
        defer { progress.close() }
        let kind = CostModel.Kind(problem: "p", optimizer: "adam", size: 1)
        progress.begin(.firstPass, kinds: [kind], workers: 1)
        progress.started("a", kind)
        progress.finished("a", kind, ran: true)
        progress.end()
        progress.begin(.measured, kinds: [kind, kind], workers: 2)
        progress.finished("b", kind, ran: false)
        progress.started("c", kind)
        progress.finished("c", kind, ran: true, event: "p × adam: crashed: signal 11")
        progress.end()
        let lines = captured.err.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(captured.err)")
        #expect(lines[0].hasPrefix("Phase 1 of 2: first pass (1 run) — non-convex problems have no certified f*"))
        #expect(lines[1].hasPrefix("  done: 1 run in 0:0"))
        #expect(lines[2].hasPrefix("Phase 2 of 2: measured runs (2 runs) — "))
        #expect(lines[3] == "  p × adam: crashed: signal 11")
        #expect(lines[4].hasPrefix("  done: 2 runs in "))
        #expect(!captured.err.contains("\u{1B}"))
    }

    @Test("on a terminal: one line redrawn in place, at least once a second, with an ETA once a run has finished")
    func terminalRedraw() {
        let captured = CapturedOutput()
        let lock = NSLock()
        let console = Console(out: { _ in }, err: { text in lock.withLock { captured.err += text } }, errIsTerminal: true)
        let progress = Progress(console: console, passes: [(.measured, 3)], quiet: false)
        defer { progress.close() }
        let kind = CostModel.Kind(problem: "p", optimizer: "adam", size: 1)
        progress.begin(.measured, kinds: [kind, kind, kind], workers: 1)
        progress.started("a", kind)
        usleep(200_000)
        progress.finished("a", kind, ran: true)
        progress.started("b", kind)
        let before = lock.withLock { captured.err.count }
        usleep(1_200_000)
        let drawn = lock.withLock { String(captured.err.dropFirst(before)) }
        #expect(drawn.hasPrefix("\r\u{1B}[K  ["), "\(drawn.debugDescription)")
        #expect(drawn.contains("1/3 runs") && drawn.contains("left"), "\(drawn.debugDescription)")
        #expect(!drawn.contains("\n"))
    }

    @Test("the closing: 1 run over 1 problem, a legend for every column, the files to open next")
    func closing() throws {
        let result = RunResult(status: .converged, iterations: 12, gradientEvaluations: 13, sampleGradients: 13, epochs: 13,
                               initialValue: 1, finalValue: 1e-9, optimalValue: 0, gradientNorm: 1e-5, time: 0.01, trace: [],
                               finalPoint: [], note: nil)
        let record = RunRecord(problem: "rosenbrock", dimension: 2, optimizer: "adam", seed: 0, batchSize: nil, instance: 0, result: result)
        let text = Writer.closing([record], references: [:], output: "R/x", hash: "abcd1234", problems: 1, tuned: false, reused: 0)
        #expect(text.contains("Wrote 1 run over 1 problem to R/x/ (run abcd1234)"), "\(text)")
        for column in ["status", "iters", "f − f*", "‖∇f‖", "time"] { #expect(text.contains("\n\(column)  "), "\(column)") }
        #expect(text.contains("\n  converged  reached --tolerance"), "\(text)")
        #expect(text.contains("R/x/tables/tables.md") && text.contains("suite report --html R/x"))
        #expect(!text.contains("1 runs") && !text.contains("1 problems"))
        let many = Array(repeating: record, count: 2)
        #expect(Writer.closing(many, references: [:], output: "R", hash: "h", problems: 2, tuned: true, reused: 1)
            .contains("Wrote 2 runs over 2 problems to R/ (run h) (1 reused from an earlier invocation)"))
    }

    @Test("a whole command: the certification is phase 1, then the runs; piped, nothing but phase lines and the closing")
    func wholeCommand() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = suite(["--problem", "rosenbrock", "--optimizer", "adam", "--max-iterations", "50", "--no-cache", "--output", output])
        #expect(r.code == 0, "\(r.err)")
        let lines = r.err.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(r.err)")
        #expect(lines.first?.hasPrefix("Phase 1 of 2: reference optima (1 instance) — certifies f*") == true, "\(r.err)")
        #expect(lines.dropFirst(2).first?.hasPrefix("Phase 2 of 2: measured runs (1 run) — ") == true, "\(r.err)")
        #expect(r.out.contains("Wrote 1 run over 1 problem to \(output)/"))
        #expect(r.out.contains("\(output)/tables/tables.md") && r.out.contains("suite report --html \(output)"))
    }

    @Test("merge counts in words too: 1 shard, 1 run")
    func mergeWords() throws {
        let (shard, merged) = (try temporaryFolder(), try temporaryFolder())
        defer { for f in [shard, merged] { try? FileManager.default.removeItem(atPath: f) } }
        let r = suite(["--problem", "parabola", "--optimizer", "gd", "--max-iterations", "20", "--no-cache", "--shard", "1/1",
                       "--output", shard, "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        let m = suite(["merge", "--output", merged, shard])
        #expect(m.code == 0, "\(m.err)")
        #expect(m.out.contains("Merged 1 shard, 1 run, into \(merged)/"), "\(m.out)")
    }
}
