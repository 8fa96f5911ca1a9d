import DescentCore
import DescentReport
import Foundation

/// One unit of work: the optimizers to run, in order, on one instance of one problem with one run
/// seed, and everything a run needs to be made again elsewhere.
///
/// A job is a plain value: the scheduler runs it in its own process (``execute(on:optimizers:from:cancellation:observer:events:)``)
/// or sends it to a worker process as one JSON message (``encoded()``, `suite _worker --job JSON`),
/// which rebuilds the problem and the optimizers from the registry (``resolve(in:)``) and runs the
/// same `execute`. Nothing a run needs comes from elsewhere.
struct Job: Codable, Sendable, Equatable {
    /// The pass the job belongs to.
    var pass: Pass
    /// Where its records go: the problem's index in its pass, and the trial's.
    var slot: Int
    var trial: Int
    /// The problem's label, and the seed its data were drawn from (`--seed`).
    var problem: String
    var dataSeed: UInt64
    /// The instance number (``Instances``), rebuilt from `problem` and `dataSeed`.
    var instance: Int
    /// The run's seed (its mini-batch shuffles and, for a random initialization, its x₀ draw).
    var runSeed: UInt64
    /// The optimizers' labels (each selects its configuration), and the labels their records take.
    var optimizers: [String]
    var labels: [String]
    /// What every run of the job is given.
    var settings: Settings
    /// f* where known (certified, or the best value reached).
    var optimalValue: Double?
    /// f* when it is the best value reached by a first pass, not a certified optimum.
    var bestReached: Double?
    /// `--problems`, for a worker's registry.
    var problemsFolder: String?

    /// The run options that can cross a process boundary (``RunOptions`` without its flag and observer).
    struct Settings: Codable, Sendable, Equatable {
        var maxIterations: Int
        var tolerance: Double
        var logEvery: Int
        var patience: Int
        var batchSize: Int?
        var samplingSeed: UInt64
        var shuffle: Bool
        var checkEvery: Int
        var timeLimit: Double?
        /// μ and L from the certificate (``Curvature``), where they hold globally.
        var curvature: Bounds? = nil

        /// The options of a run, stopped by `cancellation` and logging to `observer`.
        func options(cancellation: CancellationFlag?, observer: RowObserver? = nil) -> RunOptions {
            var options = RunOptions(maxIterations: maxIterations, tolerance: tolerance, logEvery: logEvery, patience: patience,
                                     batchSize: batchSize, samplingSeed: samplingSeed, shuffle: shuffle, checkEvery: checkEvery,
                                     timeLimit: timeLimit, cancellation: cancellation, observer: observer)
            options.curvature = curvature.map { Curvature(strongConvexity: $0.strongConvexity, smoothness: $0.smoothness) }
            return options
        }
    }

    /// ``Curvature`` as a value that can be encoded.
    struct Bounds: Codable, Sendable, Equatable {
        var strongConvexity: Double
        var smoothness: Double

        init(_ c: Curvature) {
            strongConvexity = c.strongConvexity
            smoothness = c.smoothness
        }
    }

    /// The job with only the optimizers at `indices`, in that order.
    func only(_ indices: [Int]) -> Job {
        var job = self
        job.optimizers = indices.map { optimizers[$0] }
        job.labels = indices.map { labels[$0] }
        return job
    }

    // MARK: The message

    /// The job as one JSON message (every number exactly: JSON numbers are written in the shortest form
    /// that reads back to the same `Double`).
    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The job a message encodes.
    static func decoded(_ text: String) throws -> Job {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(Job.self, from: Data(text.utf8))
    }

    // MARK: Running

    /// The problem instance and the optimizers of the job, rebuilt from `registry` (a worker's side).
    func resolve(in registry: Registry) throws -> (ProblemInstance, [ConfiguredOptimizer]) {
        guard let base = try registry.selectProblems([problem], seed: dataSeed).first else {
            throw SuiteError("worker: no problem \(problem)", exitCode: SuiteExitCode.failure)
        }
        let instance = try registry.instance(self.instance, of: base, seed: dataSeed)
        let configured = try optimizers.map { label in
            guard let o = try registry.selectOptimizers([label]).first else {
                throw SuiteError("worker: no optimizer \(label)", exitCode: SuiteExitCode.failure)
            }
            return o
        }
        return (instance, configured)
    }

    /// What a job reports while it runs: run `index` started, or finished with its result.
    struct Events {
        var started: (Int) -> Void = { _ in }
        var finished: (Int, RunResult) throws -> Void = { _, _ in }
    }

    /// Runs `optimizers[first...]` in order on `instance` (the job's ``optimizers``, configured), each
    /// from the start point of the run's seed, and reports each result; once `cancellation` is set no
    /// further run starts. The one place a run is made: in this process (`--isolation none`) and in a
    /// worker alike.
    func execute(on instance: ProblemInstance, optimizers configured: [ConfiguredOptimizer], from first: Int = 0,
                 cancellation: CancellationFlag, observer: (Int) -> RowObserver? = { _ in nil }, events: Events) throws {
        for index in first..<configured.count {
            guard !cancellation.isSet else { return }
            events.started(index)
            let result = Harness.run(problem: instance.problem, from: instance.forRun(seed: runSeed),
                                     method: configured[index].method, optimalValue: optimalValue,
                                     options: settings.options(cancellation: cancellation, observer: observer(index)))
            try events.finished(index, result)
        }
    }
}
