import DescentCore
import DescentReference
import DescentReport

/// Certifies the reference optimum of every instance, through the cache unless it is disabled.
enum References {
    /// The default cache file, relative to the working directory.
    static let defaultCache = ".descent-cache/references.csv"

    /// The cache at `cachePath` (nil: no cache), opened before anything is written: a path that is not a
    /// Descent cache is refused (exit 64) and left untouched.
    static func openCache(_ cachePath: String?) throws -> ReferenceCache? {
        guard let cachePath else { return nil }
        let cache: ReferenceCache
        do {
            cache = try ReferenceCache(path: cachePath, suiteVersion: Journal.suiteVersion)
        } catch {
            throw SuiteError("--cache: \(error)", exitCode: SuiteExitCode.usage)
        }
        if let warning = cache.warning { writeStandardError("warning: \(warning)\n") }
        return cache
    }

    /// The reference optimum of every instance that has a certificate, by reference key.
    ///
    /// Through `cache` (``openCache(_:)``; ``ReferenceCache``): a cached certificate is used only after
    /// ``Reference/verify(_:of:)`` re-checks it against the instance; one that fails is recomputed and
    /// rewritten. Each certification gets `timeLimit` seconds (like a run); one that does not finish in
    /// time, or cannot be certified, ends the command (exit 1) and is never cached.
    /// `fingerprints` holds content fingerprints the caller already has, by reference key. `started` and
    /// `finished` are told the index of each instance certified (for the progress display).
    static func certify(_ problems: [ProblemInstance], cache opened: ReferenceCache?, timeLimit: Double? = nil,
                        fingerprints: [String: String] = [:], started: (Int) -> Void = { _ in },
                        finished: (Int) -> Void = { _ in }) throws -> [String: Optimum] {
        var cache = opened
        var references: [String: Optimum] = [:]
        // A non-convex problem has no certificate: its reference comes from the runs (RunCommand).
        for (index, instance) in problems.enumerated() where !instance.problem.referenceIsBestReached {
            started(index)
            defer { finished(index) }
            let key = cache?.key(for: instance, fingerprint: fingerprints[instance.referenceKey] ?? instance.contentFingerprint)
            if let key, let hit = cache?.lookup(key) {
                guard let failure = Reference.verify(hit, of: instance.problem) else {
                    references[instance.referenceKey] = hit
                    cache?.markUsed(key)
                    continue
                }
                writeStandardError("warning: the cached reference optimum of \(instance.label) does not verify (\(failure)); recomputing it\n")
                cache?.remove(key)
            }
            do {
                let deadline = timeLimit.map { ContinuousClock.now + .milliseconds(Int64(($0 * 1000).rounded(.up))) }
                let optimum = try Reference.optimum(of: instance, deadline: deadline)
                references[instance.referenceKey] = optimum
                if let key { cache?.store(optimum, key: key) }
            } catch {
                throw SuiteError("\(error)", exitCode: SuiteExitCode.failure)
            }
        }
        if let cache, cache.needsRewrite {
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
