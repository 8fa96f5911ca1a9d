import ArgumentParser
import DescentCore
import DescentReport
import Foundation
import Synchronization
import _DescentProcess

/// The process-wide stop flag that SIGINT and SIGTERM set (see ``Signals``).
let interruption = CancellationFlag()

/// Installs SIGINT/SIGTERM handlers. The first signal only sets ``interruption``: runs stop at their
/// next iteration (a worker that does not stop within the grace period is killed), finished runs
/// are written, and the exit code is 130. A second signal exits at once with 130 (for a step that
/// never returns in `--isolation none`); finished runs are still in the journal for `--resume`.
/// A worker (`install(worker: true)`) instead ends by the signal it received once its run has stopped
/// (or at once on a second one), so its parent reports the signal, not "exit status 0".
enum Signals {
    /// The last signal received (0: none).
    private static let last = Atomic<Int32>(0)
    /// Whether this process is a worker.
    private static let isWorker = Atomic<Bool>(false)

    static func install(worker: Bool = false) {
        isWorker.store(worker, ordering: .relaxed)
        signal(SIGINT) { Signals.received($0) }
        signal(SIGTERM) { Signals.received($0) }
        // A parent may have started us with these signals blocked (Foundation's Process and some
        // test runners pass their mask on); a blocked SIGTERM would stay pending forever.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    static func received(_ signal: Int32) {
        if interruption.isSet {
            if isWorker.load(ordering: .relaxed) { endBySignal(signal) }
            _exit(130)
        }
        last.store(signal, ordering: .relaxed)
        interruption.set()
    }

    /// Ends the process by `signal` with its default action (async-signal-safe: signal(2), raise(3)).
    static func endBySignal(_ s: Int32) {
        _ = Glibc.signal(s, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, s)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(s)
        _exit(128 + s)
    }

    /// A worker whose run was interrupted ends by the signal that interrupted it.
    static func endByReceivedSignal() {
        let s = last.load(ordering: .relaxed)
        endBySignal(s == 0 ? SIGTERM : s)
    }

    /// Makes the kernel SIGKILL this worker when the thread that started it exits (PR_SET_PDEATHSIG), so a
    /// worker stuck in a step that never returns does not outlive a parent killed with SIGKILL; then
    /// closes the race with a parent that died before the request: exits when the parent is no longer
    /// `parent` (the worker was re-parented to init or a subreaper).
    static func dieWithParent(_ parent: Int32?) {
        guard let parent else { return }
        _ = descent_set_parent_death_signal(SIGKILL)
        if getppid() != parent { _exit(SuiteExitCode.failure) }
    }
}

/// Runs pairs in child processes (`suite _worker`), one worker per problem running its optimizers
/// in order, so a crashing or hanging optimizer costs only its own run: the parent records it as
/// `crashed` or `timeout` and starts a new worker for the rest of the problem's runs.
enum ProcessIsolation {
    /// Seconds a run may overrun `--time-limit` (its own soft check) before its worker is killed.
    static let grace = 1.0

    /// The worker executable: the running one (a plugin package's own executable works too), or
    /// `DESCENT_WORKER` when set (tests run the suite in-process and point this at the built `suite`).
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["DESCENT_WORKER"], !path.isEmpty { return path }
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The results of `job.optimizers` in order (one per optimizer; `nil` where interrupted before it
    /// ran), reported through `events` as they finish.
    static func run(_ job: Job, scratch: String, events: Job.Events = Job.Events()) -> [RunResult?] {
        var results = [RunResult?](repeating: nil, count: job.optimizers.count)
        var next = 0
        while next < job.optimizers.count && !interruption.isSet {
            next = runWorker(job, from: next, scratch: scratch, events: events, into: &results)
        }
        return results
    }

    /// One worker for optimizers `first...`; fills `results` and returns the index to continue from.
    private static func runWorker(_ job: Job, from first: Int, scratch: String, events: Job.Events,
                                  into results: inout [RunResult?]) -> Int {
        let fm = FileManager.default
        let errors = "\(scratch).\(first).stderr"
        func rows(_ i: Int) -> String { "\(scratch).\(i).rows" }
        func result(_ i: Int) -> String { "\(scratch).\(i).result" }
        defer {
            try? fm.removeItem(atPath: errors)
            for i in first..<job.optimizers.count { try? fm.removeItem(atPath: rows(i)); try? fm.removeItem(atPath: result(i)) }
        }
        // A finished run's result, read once and reported once.
        func collect(_ i: Int) -> Bool {
            guard let data = fm.contents(atPath: result(i)), let record = RunCodec.decode(String(decoding: data, as: UTF8.self)) else {
                return false
            }
            results[i] = record.result
            try? events.finished(i, record.result)
            return true
        }
        _ = fm.createFile(atPath: errors, contents: nil)
        let message: String
        do { message = try job.encoded() } catch {
            results[first] = partial(.crashed, rows: [], job, note: "could not encode the job: \(error)")
            return first + 1
        }
        // The job is one message; only where the worker writes and whom it belongs to are separate.
        let arguments = ["_worker", "--job=\(message)", "--first-index=\(first)", "--scratch=\(scratch)", "--parent=\(getpid())"]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"  // the signal and the error line are what the note keeps
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errors)
        events.started(first)
        do {
            try process.run()
        } catch {
            results[first] = partial(.crashed, rows: [], job, note: "could not start the worker: \(error)")
            try? events.finished(first, results[first]!)
            return first + 1
        }
        var current = first
        var currentStarted = Date()
        var killedForTime = false
        var forwarded: Date? = nil
        while process.isRunning {
            while current < job.optimizers.count && collect(current) {
                current += 1
                currentStarted = Date()
                if current < job.optimizers.count { events.started(current) }
            }
            if interruption.isSet {
                if let since = forwarded {
                    // A worker stuck in a step that never returns does not see its stop flag.
                    if Date().timeIntervalSince(since) > grace { kill(process.processIdentifier, SIGKILL) }
                } else {
                    kill(process.processIdentifier, SIGTERM)
                    forwarded = Date()
                }
            }
            if let limit = job.settings.timeLimit, Date().timeIntervalSince(currentStarted) > limit + grace {
                kill(process.processIdentifier, SIGKILL)
                killedForTime = true
                break
            }
            usleep(1000)
        }
        process.waitUntilExit()
        // Collect every finished run; the first one without a result is where the worker stopped.
        var stop = current
        while stop < job.optimizers.count && collect(stop) { stop += 1 }
        guard stop < job.optimizers.count else { return stop }
        let streamed = String(decoding: fm.contents(atPath: rows(stop)) ?? Data(), as: UTF8.self)
            .split(separator: "\n").compactMap(CSV.parseTraceLine)
        if killedForTime {
            results[stop] = partial(.timeout, rows: streamed, job,
                                    note: "killed after \(NumberFormat.exact(job.settings.timeLimit ?? 0)) s + \(grace) s grace")
            try? events.finished(stop, results[stop]!)
            return stop + 1
        }
        if interruption.isSet { return job.optimizers.count }
        // The error line (Swift prints "Fatal error: …" before its backtrace) and the last lines.
        let lines = String(decoding: fm.contents(atPath: errors) ?? Data(), as: UTF8.self).split(separator: "\n")
        let errorLine = lines.first { $0.contains("Fatal error") || $0.lowercased().contains("error:") }
        let tail = (errorLine.map { [$0] } ?? Array(lines.suffix(2))).map { String($0.prefix(300)) }.joined(separator: " | ")
        let cause = process.terminationReason == .uncaughtSignal
            ? "signal \(process.terminationStatus) (\(signalName(process.terminationStatus)))"
            : "exit status \(process.terminationStatus)"
        results[stop] = partial(.crashed, rows: streamed, job, note: cause + (tail.isEmpty ? "" : "; stderr: " + tail))
        try? events.finished(stop, results[stop]!)
        return stop + 1
    }

    /// A result from the rows a worker streamed before it stopped.
    static func partial(_ status: RunStatus, rows: [TraceRow], _ job: Job, note: String?) -> RunResult {
        guard let last = rows.last else {
            return RunResult(status: status, iterations: 0, gradientEvaluations: 0, sampleGradients: 0, epochs: 0,
                             initialValue: .nan, finalValue: .nan, optimalValue: job.optimalValue, gradientNorm: .nan,
                             time: 0, trace: [], finalPoint: [], note: note)
        }
        return RunResult(status: status, iterations: last.iteration, gradientEvaluations: last.gradientEvaluations,
                         sampleGradients: last.sampleGradients, epochs: last.epochs, initialValue: rows[0].value,
                         finalValue: last.value, optimalValue: job.optimalValue, gradientNorm: last.gradientNorm,
                         time: last.time, trace: rows, finalPoint: [], note: note)
    }

    static func signalName(_ s: Int32) -> String {
        switch s {
        case SIGILL: return "SIGILL: a trap, e.g. fatalError, precondition, overflow or out-of-bounds"
        case SIGTRAP: return "SIGTRAP: a trap"
        case SIGSEGV: return "SIGSEGV: invalid memory access or stack overflow"
        case SIGBUS: return "SIGBUS"
        case SIGABRT: return "SIGABRT: abort"
        case SIGFPE: return "SIGFPE"
        case SIGKILL: return "SIGKILL"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(s)"
        }
    }
}

/// `suite _worker`: runs a ``Job`` (one JSON message) and writes each result for the parent (internal).
struct WorkerCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(commandName: "_worker", shouldDisplay: false)

    /// The job, as ``Job/encoded()`` writes it.
    @Option var job: String
    /// The first optimizer to run (the parent restarts a worker after one that crashed).
    @Option var firstIndex: Int = 0
    /// Where the worker writes its rows and results (`SCRATCH.K.rows`, `SCRATCH.K.result`).
    @Option var scratch: String
    /// The parent's process id: the worker dies with it (``Signals/dieWithParent(_:)``).
    @Option var parent: Int32?

    func run() throws { var copy = self; try copy.run(registry: .standard, console: .standard) }

    mutating func run(registry base: Registry, console: Console) throws {
        Signals.dieWithParent(parent)
        Signals.install(worker: true)
        let job: Job
        do { job = try Job.decoded(self.job) } catch {
            throw SuiteError("worker: the job is not one the suite wrote: \(error)", exitCode: SuiteExitCode.failure)
        }
        let options = try RegistryOptions.parse(job.problemsFolder.map { ["--problems", $0] } ?? [])
        let registry = try options.registry(base, building: false)
        let (instance, configured) = try job.resolve(in: registry)
        var sink: RowSink? = nil
        let scratch = self.scratch
        try job.execute(on: instance, optimizers: configured, from: firstIndex, cancellation: interruption, observer: { index in
            let opened = RowSink(fd: open("\(scratch).\(index).rows", O_WRONLY | O_CREAT | O_APPEND, 0o644))
            sink = opened
            return RowObserver { opened.append($0) }
        }, events: Job.Events(finished: { index, outcome in
            sink?.close()
            if outcome.status == .interrupted { Signals.endByReceivedSignal() }
            let record = RunRecord(problem: instance.label, dimension: instance.problem.dimension, optimizer: configured[index].label,
                                   seed: job.runSeed, batchSize: job.settings.batchSize, instance: job.instance, result: outcome)
            try writeAtomically(RunCodec.encode(record), to: "\(scratch).\(index).result")
        }))
    }
}

/// A worker's trace rows on their way to its rows file (what the parent keeps of a run that crashes
/// or hangs): written in batches of up to ``batchRows`` rows, and by a timer every ``interval`` (so a
/// step that never returns loses nothing already logged), instead of one `write` per row.
final class RowSink: Sendable {
    /// The most rows held before a write.
    static let batchRows = 64
    /// The timer's period in milliseconds: the longest rows are held before a write, what a crash can lose.
    static let interval = 50

    private struct State {
        var bytes: [UInt8] = []
        var rows = 0
    }

    private let fd: Int32
    private let state = Mutex(State())
    private let timer = Mutex<(any DispatchSourceTimer)?>(nil)

    /// A sink writing to `fd` (ignored when negative: the rows are then lost, the run is not).
    init(fd: Int32) {
        self.fd = fd
        timer.withLock { timer in
            let t = DispatchSource.makeTimerSource(queue: .global())
            t.schedule(deadline: .now() + .milliseconds(Self.interval), repeating: .milliseconds(Self.interval))
            t.setEventHandler { [weak self] in self?.flushPending() }
            t.resume()
            timer = t
        }
    }

    /// Writes the queued rows, if any (the timer's work).
    private func flushPending() {
        state.withLock { s in if s.rows > 0 { flush(&s) } }
    }

    /// Queues a row; writes the queue when it is full or old.
    func append(_ row: TraceRow) {
        state.withLock { s in
            s.bytes += CSV.traceLine(row).utf8
            s.bytes.append(UInt8(ascii: "\n"))
            s.rows += 1
            if s.rows >= Self.batchRows { flush(&s) }
        }
    }

    /// Writes what is queued and closes the file.
    func close() {
        timer.withLock { $0?.cancel(); $0 = nil }
        state.withLock { flush(&$0) }
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    private func flush(_ s: inout State) {
        if fd >= 0 && !s.bytes.isEmpty { _ = writeAll(fd, s.bytes) }
        s.bytes.removeAll(keepingCapacity: true)
        s.rows = 0
    }
}
