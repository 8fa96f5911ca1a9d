import Foundation
import Synchronization
import DescentReport

/// The progress of a whole run command on standard error, pass by pass.
///
/// Each pass opens with a line `Phase k of N: name — what it is for`. On a terminal one status line
/// follows and is redrawn at least once a second: a bar, runs done of the pass's total, the time
/// elapsed and an estimate of the time left (``CostModel``: from what finished runs of the same
/// problem and optimizer cost, not from the count of runs). Piped, the status is a plain line every
/// ``pipedInterval`` seconds instead, so a log stays short. Both end a pass with `done: N runs in T`,
/// and a run that crashed or timed out gets a line of its own.
final class Progress: @unchecked Sendable {
    /// Seconds between status lines when standard error is not a terminal.
    static let pipedInterval = 10.0
    /// Seconds between redraws on a terminal.
    static let redrawInterval = 0.5

    private let console: Console
    private let passes: [(pass: Pass, total: Int)]
    private let quiet: Bool
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)

    private struct State {
        var index = -1
        var done = 0
        var started = ContinuousClock.now
        var lastLine = ContinuousClock.now
        var workers = 1
        /// Runs of the pass not started yet, by kind, and the runs in flight.
        var waiting: [CostModel.Kind: Int] = [:]
        var running: [String: (kind: CostModel.Kind, since: ContinuousClock.Instant)] = [:]
        var model = CostModel()
    }

    /// A display of `passes` (each with its number of runs), silent with `quiet`.
    init(console: Console, passes: [(pass: Pass, total: Int)], quiet: Bool) {
        self.console = console
        self.passes = passes
        self.quiet = quiet
        guard !quiet else { return }
        Thread.detachNewThread { [weak self] in
            while true {
                usleep(UInt32(Self.redrawInterval * 1e6))
                guard let self, !self.stopped.load(ordering: .relaxed) else { return }
                self.tick()
            }
        }
    }

    deinit { stopped.store(true, ordering: .relaxed) }

    /// Whether the display prints nothing (`--quiet`).
    var isQuiet: Bool { quiet }

    /// Starts `pass`, whose runs are `kinds`, run by `workers` at a time.
    func begin(_ pass: Pass, kinds: [CostModel.Kind], workers: Int) {
        state.withLock { s in
            s.index = passes.firstIndex { $0.pass == pass } ?? 0
            s.done = 0
            s.started = .now
            s.lastLine = .now
            s.workers = Swift.max(1, workers)
            s.waiting = [:]
            for k in kinds { s.waiting[k, default: 0] += 1 }
            s.running = [:]
            guard !quiet else { return }
            let header = "Phase \(s.index + 1) of \(passes.count): \(pass.name) (\(Self.count(kinds.count, pass))) — \(pass.explanation)\n"
            console.err(header + (console.errIsTerminal ? status(&s) : ""))
        }
    }

    /// Run `id` of `kind` started.
    func started(_ id: String, _ kind: CostModel.Kind) {
        state.withLock { s in
            take(kind, from: &s)
            s.running[id] = (kind, .now)
        }
    }

    /// Run `id` of `kind` ended; `ran` is false for a run taken from the journal or skipped (it cost
    /// nothing). What it cost is the wall-clock time since it started, a worker's start included: a
    /// run's own time leaves that out. `event` is a line worth its own (a crash).
    func finished(_ id: String, _ kind: CostModel.Kind, ran: Bool, event: String? = nil) {
        state.withLock { s in
            if let run = s.running.removeValue(forKey: id) {
                if ran { s.model.observe(kind, seconds: (ContinuousClock.now - run.since).seconds) }
            } else {
                take(kind, from: &s)
            }
            s.done += 1
            guard !quiet, let event else { return }
            console.err(console.errIsTerminal ? "\r\u{1B}[K  \(event)\n" + status(&s) : "  \(event)\n")
        }
    }

    /// Ends the pass: its line says how many runs it made and how long it took.
    func end() {
        state.withLock { s in
            guard !quiet, s.index >= 0 else { return }
            let elapsed = (ContinuousClock.now - s.started).seconds
            console.err((console.errIsTerminal ? "\r\u{1B}[K" : "") + "  done: \(Self.count(s.done, passes[s.index].pass)) in \(Self.clock(elapsed, up: true))\n")
            s.index = -1
        }
    }

    /// Stops the redraws (the display is finished).
    func close() { stopped.store(true, ordering: .relaxed) }

    private func take(_ kind: CostModel.Kind, from s: inout State) {
        if let n = s.waiting[kind] { s.waiting[kind] = n > 1 ? n - 1 : nil }
    }

    /// Redraws the terminal's line, or prints the periodic line when piped.
    private func tick() {
        state.withLock { s in
            guard s.index >= 0 else { return }
            if console.errIsTerminal {
                console.err(status(&s))
            } else if (ContinuousClock.now - s.lastLine).seconds >= Self.pipedInterval {
                s.lastLine = .now
                console.err(status(&s) + "\n")
            }
        }
    }

    /// `  [████████········]  120/432 runs · 0:14 elapsed · about 0:40 left` (on a terminal, from the line's start).
    private func status(_ s: inout State) -> String {
        let total = passes[s.index].total
        let elapsed = (ContinuousClock.now - s.started).seconds
        var text = "  "
        if console.errIsTerminal {
            let width = 20
            let filled = total == 0 ? width : Swift.min(width, s.done * width / total)
            text = "\r\u{1B}[K  [" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] "
        }
        text += "\(s.done)/\(Self.count(total, passes[s.index].pass)) · \(Self.clock(elapsed)) elapsed"
        if let left = remaining(&s) { text += " · about \(Self.clock(left, up: true)) left" }
        return text
    }

    /// The estimated seconds left in the pass: the estimated work of the runs not started and the rest
    /// of the runs in flight, spread over the workers, and at least the longest run in flight still needs.
    private func remaining(_ s: inout State) -> Double? {
        guard s.model.count > 0 else { return nil }
        let now = ContinuousClock.now
        var work = 0.0
        for (kind, n) in s.waiting { work += Double(n) * (s.model.estimate(kind) ?? 0) }
        var longest = 0.0
        for (kind, since) in s.running.values {
            let left = Swift.max((s.model.estimate(kind) ?? 0) - (now - since).seconds, 0)
            work += left
            longest = Swift.max(longest, left)
        }
        return Swift.max(work / Double(s.workers), longest)
    }

    /// `1 run`, `2 runs`.
    static func runs(_ n: Int) -> String { n == 1 ? "1 run" : "\(n) runs" }

    /// What a pass counts: `1 instance`, `2 instances` for the certification, runs otherwise.
    static func count(_ n: Int, _ pass: Pass) -> String {
        pass == .references ? (n == 1 ? "1 instance" : "\(n) instances") : runs(n)
    }

    /// `0:07`, `4:25`, `1:02:03`: whole seconds, rounded up (a time left) or down (a time elapsed).
    static func clock(_ seconds: Double, up: Bool = false) -> String {
        let t = Int(Swift.max(seconds, 0).rounded(up ? .up : .down))
        let (h, m, sec) = (t / 3600, t / 60 % 60, t % 60)
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : String(x) }
        return h > 0 ? "\(h):\(two(m)):\(two(sec))" : "\(m):\(two(sec))"
    }
}
