import ArgumentParser
import DescentCore
import DescentReport
import Foundation

/// What a run command plans before it runs: the configuration that names it, the start order, the
/// seeds and what each run is given.
extension RunCommand {
    /// What decides the numbers; its hash goes into every caption.
    func configuration(problems: [ProblemInstance], optimizers: [ConfiguredOptimizer]) -> [String: Any] {
        var c: [String: Any] = [
            "suite_version": Journal.suiteVersion,
            "problems": problems.map(\.label),
            "optimizers": optimizers.map(\.label),
            "max_iterations": maxIterations,
            "tolerance": tolerance.description,
            "log_every": logEvery,
            "patience": patience,
            "seed": seed,
            "seeds": instanceCount == nil ? seeds : 1,
            "batch_size": batchSize.map { $0 as Any } ?? NSNull(),
            "shuffle": shuffle,
            "profile_target": profileTarget.description,
            "targets": Targets.all.map(\.description),
            // What each problem is (parameters from its instance file, its data files' bytes): an edited
            // instance or data file is another configuration, so it never silently replaces these results.
            "problem_content": Dictionary(problems.map { ($0.label, $0.declaredFingerprint) }, uniquingKeysWith: { a, _ in a }),
        ]
        if let t = timeLimit { c["time_limit"] = t.description }
        if checkEvery != 1 { c["check_every"] = checkEvery }
        if tuned { c["tune_grid"] = tuneGrid }
        if let n = instanceCount { c["instances"] = n }
        return c
    }

    /// Problem indices by decreasing estimated cost of a gradient (samples × n for finite sums, n
    /// otherwise), ties in selection order. Only the start order: the files keep the selection order.
    static func startOrder(_ problems: [ProblemInstance]) -> [Int] {
        func cost(_ p: any Problem) -> Int { ((p as? any FiniteSumProblem)?.sampleCount ?? 1) * p.dimension }
        let costs = problems.map { cost($0.problem) }
        return problems.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
    }

    /// μ and L from the certificate where they hold globally: a quadratic's extreme eigenvalues, μ > 0.
    static func curvature(_ problem: any Problem, _ reference: Optimum?) -> Curvature? {
        guard problem is any QuadraticProblem, let e = reference?.hessianEigenvalues, e.min > 0, e.max.isFinite else { return nil }
        return Curvature(strongConvexity: e.min, smoothness: e.max)
    }
}

/// One run of every pair of a problem: which instance, and the run's seed (its mini-batch shuffles
/// and, for a random initialization, its x₀ draw).
struct Trial: Sendable, Equatable {
    /// The instance number (``Instances``).
    var instance: Int
    /// The run's seed.
    var seed: UInt64
}

/// Where runs execute.
enum Isolation: String, ExpressibleByArgument, CaseIterable {
    /// One child process per run.
    case process
    /// In the suite's own process.
    case none
}

