import DescentCore
import DescentReport
import _MallocCounter
#if canImport(Glibc)
import Glibc
#endif

/// What one workload measured.
struct Measurement {
    var name: String
    var steps: Int
    /// Median seconds per step of the bare loop (gradient + step, f and ‖∇f‖ at every iterate).
    var bare: Double
    /// Median seconds per step through `Harness.run` (trace, stopping tests at every iterate, timing).
    var harness: Double
    /// The same two with `checkEvery` = steps: f and the stopping tests at the last iterate only,
    /// which is the work the peers' loops do (they compute x and nothing else).
    var bareAtEnd: Double
    var harnessAtEnd: Double
    /// Heap allocations per step inside the bare loop (after set-up) and through the harness
    /// (the difference between a run of 2N and of N steps, divided by N).
    var bareMallocs: Double?
    var harnessMallocs: Double?
    /// f at the final point of the bare loop, and through the harness.
    var finalBare: Double
    var finalHarness: Double
    var expected: Double?
}

enum Measure {
    static let clock = ContinuousClock()

    /// The median of `values` (the tables' ``Spread``).
    static func median(_ values: [Double]) -> Double { Spread(values).median }

    /// Allocations made by `body`, or nil where they cannot be counted.
    static func mallocs(_ body: () -> Void) -> Int? {
        guard descent_malloc_counter_available() == 1 else { body(); return nil }
        descent_malloc_counter_start()
        body()
        return descent_malloc_counter_stop()
    }

    /// The bare loop: the harness's arithmetic with nothing else (`Harness.bareLoop`: the tiled
    /// loop where it applies, else gradient then step; for mini-batches, x ← step(x, ∇f_B(x)) with
    /// batches in row order). Returns seconds and f(x_final).
    static func bare<P: Problem, O: UpdateRule>(_ problem: P, _ optimizer: O, steps: Int, batchSize: Int?, checkEvery: Int = 1)
        -> (seconds: Double, final: Double) {
        let started = clock.now
        guard let batchSize, let finiteSum = problem as? any FiniteSumProblem else {
            let f = Harness.bareLoop(problem: problem, optimizer: optimizer, steps: steps, checkEvery: checkEvery)
            return ((clock.now - started).seconds, f)
        }
        let x = Harness.bareBatchLoop(problem: finiteSum, optimizer: optimizer, steps: steps, batchSize: batchSize)
        return ((clock.now - started).seconds, problem.value(at: x))
    }

    /// Options for a harness run of exactly `steps` steps: no target, no stalling, rows at the ends;
    /// `checkEvery` as ``RunOptions/checkEvery`` (full batch only).
    static func options(steps: Int, batchSize: Int?, checkEvery: Int = 1) -> RunOptions {
        RunOptions(maxIterations: steps, tolerance: 0, logEvery: steps, patience: Int.max / 2,
                   batchSize: batchSize, shuffle: false, checkEvery: batchSize == nil ? checkEvery : 1)
    }

    /// Runs `workload` `repeats` times each way.
    static func run(_ w: Workload, repeats: Int) throws -> Measurement {
        let problem = try w.problem()
        var bareTimes: [Double] = [], harnessTimes: [Double] = [], bareEnd: [Double] = [], harnessEnd: [Double] = []
        var finalBare = Double.nan, finalHarness = Double.nan
        for _ in 0..<repeats {
            for every in [1, w.steps] {
                let r = bare(problem, w.optimizer, steps: w.steps, batchSize: w.batchSize, checkEvery: every)
                let h = Harness.run(problem: problem, optimizer: w.optimizer, optimalValue: nil,
                                    options: options(steps: w.steps, batchSize: w.batchSize, checkEvery: every))
                if every == 1 {
                    bareTimes.append(r.seconds / Double(w.steps))
                    harnessTimes.append(h.time / Double(w.steps))
                    finalBare = r.final
                    finalHarness = h.finalValue
                } else {
                    bareEnd.append(r.seconds / Double(w.steps))
                    harnessEnd.append(h.time / Double(w.steps))
                    // The iterates do not depend on checkEvery: the final f must be the same bits.
                    if h.finalValue.bitPattern != finalHarness.bitPattern || r.final.bitPattern != finalBare.bitPattern {
                        throw BenchFailure(["\(w.name): checkEvery = \(w.steps) ends at f = \(h.finalValue) (bare \(r.final)), "
                                            + "checking every step at \(finalHarness) (bare \(finalBare))"])
                    }
                }
            }
        }
        // Allocations per step: runs of N and 2N steps (set-up and the result cancel out).
        let short = Swift.max(2, Swift.min(w.steps, 50))
        let bareShort = mallocs { _ = bare(problem, w.optimizer, steps: short, batchSize: w.batchSize) }
        let bareLong = mallocs { _ = bare(problem, w.optimizer, steps: 2 * short, batchSize: w.batchSize) }
        let a = mallocs { _ = Harness.run(problem: problem, optimizer: w.optimizer, optimalValue: nil,
                                          options: options(steps: short, batchSize: w.batchSize)) }
        let b = mallocs { _ = Harness.run(problem: problem, optimizer: w.optimizer, optimalValue: nil,
                                          options: options(steps: 2 * short, batchSize: w.batchSize)) }
        return Measurement(name: w.name, steps: w.steps, bare: median(bareTimes), harness: median(harnessTimes),
                           bareAtEnd: median(bareEnd), harnessAtEnd: median(harnessEnd),
                           bareMallocs: bareShort.flatMap { a in bareLong.map { Double($0 - a) / Double(short) } },
                           harnessMallocs: a.flatMap { a in b.map { Double($0 - a) / Double(short) } },
                           finalBare: finalBare, finalHarness: finalHarness, expected: w.expected)
    }

    /// Medians of the per-repeat ratios of `candidate`'s to `reference`'s time per step through the
    /// harness, every iterate and last only: the two runs of a pair follow each other (their order
    /// alternating), so drift of the machine between pairs cancels out of each ratio.
    static func pairedRatios<P: Problem>(_ problem: P, candidate: any UpdateRule, reference: any UpdateRule,
                                         steps: Int, repeats: Int) -> (every: Double, lastOnly: Double) {
        func time(_ rule: any UpdateRule, _ every: Int) -> Double {
            Harness.run(problem: problem, optimizer: rule, optimalValue: nil,
                        options: options(steps: steps, batchSize: nil, checkEvery: every)).time
        }
        var every: [Double] = [], lastOnly: [Double] = []
        for r in 0..<repeats {
            for mode in [1, steps] {
                let (c, a) = r % 2 == 0 ? (time(candidate, mode), time(reference, mode))
                                        : { let a = time(reference, mode); return (time(candidate, mode), a) }()
                if mode == 1 { every.append(c / a) } else { lastOnly.append(c / a) }
            }
        }
        return (median(every), median(lastOnly))
    }

    /// The process's peak resident set so far, in bytes (Linux: ru_maxrss is in KiB).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    /// The resident set now, in bytes (from /proc/self/statm).
    static func residentBytes() -> Int {
        guard let f = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(f) }
        var size = 0, resident = 0
        guard withUnsafeMutablePointer(to: &size, { s in withUnsafeMutablePointer(to: &resident) { r in
            withVaList([s, r]) { vfscanf(f, "%ld %ld", $0) }
        } }) == 2 else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

