import DescentCore
import DescentOptimizers
import DescentProblems

/// Heavy-ball momentum written in this module as a plugin author would (one `update`, no access to
/// DescentOptimizers' internals): measured against the built-in `momentum`, whose bits it reproduces
/// (b₁ = d, b ← μb + d, x ← x − lr·b; the built-in's (1 − τ)·d with τ = 0 is d exactly).
struct PluginMomentum: ElementwiseRule {
    var lr = 1e-4
    var mu = 0.9
    var stateSlots: [Double] { [0] }
    func scalars(iteration: Int, previous: Bool?) -> Bool { iteration == 1 }
    func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars first: Bool) -> V {
        let b = first ? g : s[0] * mu + g
        s[0] = b
        return x - lr * b
    }
}

/// Every built-in elementwise rule (and the plugin-form momentum) on W1's quadratic and W2's
/// extended Rosenbrock, through the harness in both check modes: time per step against Adam's.
enum RuleSweep {
    /// Name and rule, with learning rates that keep each run finite on both problems.
    static func rules() throws -> [(String, any UpdateRule)] {
        let registry = Registry(problems: [], optimizers: BuiltinOptimizers.all)
        func configured(_ text: String) throws -> any UpdateRule {
            guard let rule = try registry.selectOptimizers([text]).first?.rule else {
                throw BenchError("\(text) is not a built-in update rule")
            }
            guard rule is any ElementwiseRule || wholeVector.contains(text) else {
                throw BenchError("\(text) is not a built-in elementwise rule")
            }
            return rule
        }
        let specs = ["adam(lr=1e-3)", "gd(lr=1e-4)", "momentum(lr=1e-5)", "nesterov(lr=1e-5)", "sgd(lr=1e-5,momentum=0.9,weight_decay=1e-4)",
                     "adagrad(lr=1e-2)", "rmsprop(lr=1e-4)", "rmsprop(lr=1e-4,centered=true,momentum=0.5)", "adadelta",
                     "amsgrad(lr=1e-3)", "adamw(lr=1e-3)", "nadam(lr=1e-3)", "radam(lr=1e-3)", "adamax(lr=1e-3)",
                     "asgd(lr=1e-5)", "rprop(lr=1e-4)", "lion(lr=1e-5)", "adabelief(lr=1e-3)", "yogi(lr=1e-3)",
                     "schedulefree-sgd(lr=1e-5)", "schedulefree-adamw(lr=1e-3)"]
        return try (specs + wholeVector).map { ($0, try configured($0)) } + [("plugin momentum (lr=1e-5)", PluginMomentum(lr: 1e-5))]
    }

    /// Rules that need sums over all coordinates each step (two passes), measured for reference.
    static let wholeVector = ["adafactor", "prodigy", "dadapt-adam", "dadapt-sgd(lr=1e-5)"]

    static func run(scale: Double, repeats: Int, only: [String]? = nil, rows: inout [[String: Any]], failures: inout [String]) throws {
        func wanted(_ label: String) -> Bool {
            label.hasPrefix("adam(") || (only.map { $0.contains { label.hasPrefix($0) } } ?? true)
        }
        let n = Swift.max(1000, Int(1_000_000 * scale)), steps = scale == 1 ? 200 : 20
        let problems: [(String, () throws -> any Problem)] = [
            ("W1", { try Quadratic(dimension: n, conditionNumber: 1e3, spectrum: .log, rotated: false, linearTerm: .ones, seed: 0) }),
            ("W2", { ExtendedRosenbrock(dimension: n) }),
        ]
        print("\nEvery elementwise rule through the harness, n = \(n), \(steps) steps, median of \(repeats); ratio to Adam's time per step"
              + " (median over \(repeats) back-to-back pairs of Adam and the rule)")
        print(pad("problem", 9) + pad("rule", 46) + pad("every iterate", 15) + pad("vs adam", 10) + pad("last only", 13)
              + pad("vs adam", 10) + pad("mallocs/step", 14) + "final f")
        for (name, make) in problems {
            let problem = try make()
            var momentumFinal: Double? = nil
            let all = try rules()
            let reference = all[0].1
            for (label, rule) in all where wanted(label) {
                let w = Workload(name: "\(name)-\(label)", steps: steps, expected: nil, problem: { problem }, optimizer: rule)
                let m = try Measure.run(w, repeats: repeats)
                // Paired ratios: this machine drifts by ±30% over a sweep, so a ratio of two medians
                // taken minutes apart says little; each pair runs back to back.
                let (every, end) = label == all[0].0 ? (1.0, 1.0)
                    : Measure.pairedRatios(problem, candidate: rule, reference: reference, steps: steps, repeats: repeats)
                let mallocs = m.harnessMallocs.map { format($0, 2) } ?? "n/a"
                print(pad(name, 9) + pad(label, 46) + pad(duration(m.harness), 15) + pad(format(every, 2), 10)
                      + pad(duration(m.harnessAtEnd), 13) + pad(format(end, 2), 10) + pad(mallocs, 14) + "\(m.finalHarness)")
                rows.append(["workload": "rules-\(name)", "impl": "Descent", "rule": label, "steps": steps, "repeats": repeats,
                             "time_per_step_s": m.harness, "time_per_step_check_end_s": m.harnessAtEnd,
                             "ratio_to_adam": every, "ratio_to_adam_check_end": end, "final_f": m.finalHarness])
                if let a = m.harnessMallocs, a > 0 { failures.append("\(w.name): \(a) allocations per step") }
                if !m.finalHarness.isFinite { failures.append("\(w.name): final f \(m.finalHarness) (the sweep's lr diverged)") }
                if label.hasPrefix("momentum") { momentumFinal = m.finalHarness }
                if label.hasPrefix("plugin"), let builtIn = momentumFinal, m.finalHarness.bitPattern != builtIn.bitPattern {
                    failures.append("\(w.name): final f \(m.finalHarness) differs from the built-in momentum's \(builtIn)")
                }
            }
        }
    }
}
