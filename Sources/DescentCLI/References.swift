import DescentCore
import DescentReference
import DescentReport

/// Certifies the reference optimum of every instance, through the cache unless it is disabled.
enum References {
    /// The default cache file, relative to the working directory.
    static let defaultCache = ".descent-cache/references.csv"

    static func certify(_ problems: [ProblemInstance], cachePath: String?) throws -> [String: Optimum] {
        var cache = cachePath.map(ReferenceCache.init(path:))
        var references: [String: Optimum] = [:]
        var changed = false
        // A non-convex problem has no certificate: its reference comes from the runs (RunCommand).
        for instance in problems where !instance.problem.referenceIsBestReached {
            let key = ReferenceCache.key(label: instance.label, seed: instance.seed, problem: instance.problem)
            if let hit = cache?.lookup(key) {
                references[instance.referenceKey] = hit
                continue
            }
            do {
                let optimum = try Reference.optimum(of: instance.problem, label: instance.label)
                references[instance.referenceKey] = optimum
                cache?.store(optimum, key: key)
                changed = true
            } catch {
                throw SuiteError("\(error)", exitCode: SuiteExitCode.failure)
            }
        }
        if changed, let cache {
            // A cache that cannot be written costs time later, not correctness now: say so and go on.
            do { try cache.save() } catch { writeStandardError("warning: could not write the reference cache \(cache.path): \(error)\n") }
        }
        return references
    }
}

extension References {
    /// The lowest finite f among `records`' logged rows and final values (the best value reached), or nil.
    static func bestReached(_ records: [RunRecord]) -> Optimum? {
        var best = Double.infinity
        for r in records where r.result.status != .skipped {
            for row in r.result.trace where row.value.isFinite { best = Swift.min(best, row.value) }
            if r.result.finalValue.isFinite { best = Swift.min(best, r.result.finalValue) }
        }
        return best.isFinite ? Optimum(value: best, point: nil, source: .bestReached) : nil
    }

    /// κ = λmax/λmin of each instance whose Hessian is constant (``QuadraticProblem``) and certified positive
    /// definite, by reference key.
    static func conditionNumbers(_ problems: [ProblemInstance], _ references: [String: Optimum]) -> [String: Double] {
        var out: [String: Double] = [:]
        for p in problems where p.problem is any QuadraticProblem {
            if let e = references[p.referenceKey]?.hessianEigenvalues, e.min > 0 { out[p.referenceKey] = e.max / e.min }
        }
        return out
    }

    /// The rows of `reference.csv` for `problems` (every instance, in order).
    static func rows(_ problems: [ProblemInstance], _ references: [String: Optimum], _ kappas: [String: Double]) -> [CSV.ReferenceRow] {
        problems.map { ($0.label, $0.index, $0.problem.dimension, references[$0.referenceKey], kappas[$0.referenceKey]) }
    }
}
