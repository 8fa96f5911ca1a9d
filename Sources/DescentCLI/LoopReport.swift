import DescentCore

/// Which loop of the harness (``RunLoop``) each selected pair runs: printed by `suite run --explain`
/// (nothing is run or written) and recorded under `loops` in `metadata.json`'s environment, so a
/// plugin author sees whether a rule takes the fused path without a debugger.
enum LoopReport {
    /// The loop of every optimizer of `plan[p]` on `problems[p]` under `options`, by problem label then optimizer label.
    static func loops(problems: [ProblemInstance], plan: [[ConfiguredOptimizer]], options: RunOptions) -> [(String, [(String, RunLoop)])] {
        zip(problems, plan).map { instance, optimizers in
            (instance.label, optimizers.map { ($0.label, Harness.loop(problem: instance.problem, method: $0.method, options: options)) })
        }
    }

    /// `metadata.json`'s `loops`: problem label → optimizer label → loop name.
    static func metadata(_ loops: [(String, [(String, RunLoop)])]) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for (problem, pairs) in loops {
            for (optimizer, loop) in pairs { out[problem, default: [:]][optimizer] = loop.rawValue }
        }
        return out
    }

    /// The terminal text of `--explain`: per problem, one line per optimizer with its loop, then what
    /// each loop that appears does.
    static func text(_ loops: [(String, [(String, RunLoop)])]) -> String {
        let width = loops.flatMap { $0.1.map(\.0.count) }.max() ?? 0
        var out = "Which loop each run takes (nothing was run; the loop decides the speed, not the numbers):\n"
        var seen: [RunLoop] = []
        for (problem, pairs) in loops {
            out += "\n\(problem)\n"
            for (optimizer, loop) in pairs {
                out += "  " + optimizer + String(repeating: " ", count: width - optimizer.count) + "  " + loop.rawValue + "\n"
                if !seen.contains(loop) { seen.append(loop) }
            }
        }
        out += "\n"
        for loop in RunLoop.allCases where seen.contains(loop) { out += "\(loop.rawValue): \(loop.explanation)\n" }
        return out
    }
}
