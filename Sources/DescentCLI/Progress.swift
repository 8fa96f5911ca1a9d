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
        /// The pass's jobs in the order the workers take them: each job's runs not started yet, whether
        /// it has started (a worker holds it), and the runs in flight with their job.
        var waiting: [[CostModel.Kind]] = []
        var begun: [Bool] = []
        var running: [String: (kind: CostModel.Kind, job: Int, since: ContinuousClock.Instant)] = [:]
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

    /// Starts `pass`, whose runs are `kinds`, each a job of its own, run by `workers` at a time.
    func begin(_ pass: Pass, kinds: [CostModel.Kind], workers: Int) {
        begin(pass, jobs: kinds.map { [$0] }, workers: workers)
    }

    /// Starts `pass`, whose runs are `jobs` (each job's runs, in order), taken by `workers` in order:
    /// a job's runs go one after another on one worker, so the time left is the schedule's end, not
    /// the work over the workers (a costly job taken last keeps one worker busy alone).
    func begin(_ pass: Pass, jobs: [[CostModel.Kind]], workers: Int) {
        let kinds = jobs.flatMap { $0 }
        state.withLock { s in
            s.index = passes.firstIndex { $0.pass == pass } ?? 0
            s.done = 0
            s.started = .now
            s.lastLine = .now
            s.workers = Swift.max(1, workers)
            s.waiting = jobs
            s.begun = Array(repeating: false, count: jobs.count)
            s.running = [:]
            guard !quiet else { return }
            let header = "Phase \(s.index + 1) of \(passes.count): \(pass.name) (\(Self.count(kinds.count, pass))) — \(pass.explanation)\n"
            console.err(header + (console.errIsTerminal ? status(&s) : ""))
        }
    }

    /// Run `id` of `kind` started, in job `job` (by default the first job with such a run waiting).
    func started(_ id: String, _ kind: CostModel.Kind, job: Int? = nil) {
        state.withLock { s in
            let j = take(kind, job: job, from: &s)
            s.running[id] = (kind, j, .now)
        }
    }

    /// Run `id` of `kind` ended; `ran` is false for a run taken from the journal or skipped (it cost
    /// nothing). What it cost is the wall-clock time since it started, a worker's start included: a
    /// run's own time leaves that out. `event` is a line worth its own (a crash).
    func finished(_ id: String, _ kind: CostModel.Kind, job: Int? = nil, ran: Bool, event: String? = nil) {
        state.withLock { s in
            if let run = s.running.removeValue(forKey: id) {
                if ran { s.model.observe(kind, seconds: (ContinuousClock.now - run.since).seconds) }
            } else {
                _ = take(kind, job: job, from: &s)
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

    /// Takes a run of `kind` off job `job`'s waiting runs (or the first job's that has one) and marks
    /// the job begun; returns the job.
    private func take(_ kind: CostModel.Kind, job: Int?, from s: inout State) -> Int {
        guard let j = job ?? s.waiting.firstIndex(where: { $0.contains(kind) }), s.waiting.indices.contains(j) else { return -1 }
        if let k = s.waiting[j].firstIndex(of: kind) { s.waiting[j].remove(at: k) }
        s.begun[j] = true
        return j
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

    /// The estimated seconds left in the pass: the end of the schedule the workers follow. Each job
    /// begun keeps its worker for its estimated rest (the run in flight's estimate less its time so
    /// far, and its runs not started); the jobs not begun go, in order, to the worker free first.
    private func remaining(_ s: inout State) -> Double? {
        guard s.model.count > 0 else { return nil }
        let now = ContinuousClock.now
        var rest = s.waiting.map { job in job.reduce(0.0) { $0 + (s.model.estimate($1) ?? 0) } }
        for run in s.running.values where rest.indices.contains(run.job) {
            rest[run.job] += Swift.max((s.model.estimate(run.kind) ?? 0) - (now - run.since).seconds, 0)
        }
        return Self.scheduleEnd(begun: rest.indices.filter { s.begun[$0] }.map { rest[$0] },
                                queued: rest.indices.filter { !s.begun[$0] }.map { rest[$0] }, workers: s.workers)
    }

    /// When `workers` finish jobs whose rests are `begun` (each already on a worker) and `queued` (taken
    /// in order by the worker free first): the end of the greedy schedule the scheduler follows.
    static func scheduleEnd(begun: [Double], queued: [Double], workers: Int) -> Double {
        let n = Swift.max(workers, 1)
        var free = Array(begun.filter { $0 > 0 }.sorted().suffix(n))
        if free.count < n { free = Array(repeating: 0, count: n - free.count) + free }
        for rest in queued where rest > 0 {
            free[0] += rest
            free.sort()
        }
        return free.last ?? 0
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
