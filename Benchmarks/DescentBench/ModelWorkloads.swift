import DescentCore
import DescentOptimizers
import DescentProblems
import Foundation

/// The model problems at the sizes users train them: softmax regression and an MLP on the digits
/// data, mini-batches of 128 in row order (the peer script `scripts/mlp_vs_pytorch.py` runs the same
/// network, batches and steps in PyTorch), at one OpenBLAS thread and at two.
enum ModelWorkloads {
    /// The digits file, relative to the package root (where `swift run` starts).
    static let digits = "Problems/data/digits.csv"

    static func run(repeats: Int, smoke: Bool, rows: inout [[String: Any]], failures: inout [String]) throws {
        guard FileManager.default.fileExists(atPath: digits) else {
            throw BenchError("the model workloads read \(digits): run descent-bench from the package root")
        }
        let registry = Registry(problems: BuiltinProblems.all, optimizers: [])
        func problem(_ spec: String) throws -> any Problem {
            guard let p = try registry.selectProblems([spec], seed: 0).first?.problem else { throw BenchError("no problem \(spec)") }
            return p
        }
        let specs = [
            ("digits MLP 64-64-32-10 tanh", "mlp(data=\(digits),target=digit,hidden=64,32,activation=tanh,weight_decay=0,validation=0.2)"),
            ("digits MLP 64-256-256-10 relu", "mlp(data=\(digits),target=digit,hidden=256,256,activation=relu,weight_decay=0,validation=0.2)"),
            ("digits softmax 65×10", "softmax-regression(data=\(digits),target=digit,lambda=1e-3)"),
        ]
        let steps = smoke ? 10 : 240
        print("\nModel problems on the digits data (1438 training rows): SGD(lr = 0.01), mini-batches of 128 in row order, "
              + "\(steps) steps; time per mini-batch step (gradient + step), median of \(repeats)")
        print(pad("workload", 34) + pad("BLAS threads", 14) + pad("bare/step", 12) + pad("harness/step", 14) + pad("mallocs/step", 14) + "final f")
        for (name, spec) in specs {
            let p = try problem(spec)
            for threads in smoke ? [1] : [1, 2] {
                BLAS.setThreads(threads)
                let w = Workload(name: name, steps: steps, expected: nil, problem: { p }, optimizer: SGD(lr: 0.01), batchSize: 128)
                let m = try Measure.run(w, repeats: repeats)
                let mallocs = m.harnessMallocs.map { format($0, 2) } ?? "n/a"
                print(pad(name, 34) + pad("\(threads)", 14) + pad(duration(m.bare), 12) + pad(duration(m.harness), 14)
                      + pad(mallocs, 14) + "\(m.finalHarness)")
                rows.append(["workload": name, "impl": "Descent", "blas_threads": threads, "steps": steps, "repeats": repeats,
                             "batch": 128, "time_per_step_s": m.bare, "time_per_step_harness_s": m.harness, "final_f": m.finalHarness])
                // With more than one thread OpenBLAS's own thread server allocates (1.8–7.8 per step measured);
                // Descent's code allocates nothing, which the one-thread rows check.
                if threads == 1, let a = m.bareMallocs, a > 0 { failures.append("\(name): \(a) allocations per bare step") }
                if threads == 1, let a = m.harnessMallocs, a > 0 { failures.append("\(name): \(a) allocations per harness step") }
                if !m.finalHarness.isFinite { failures.append("\(name): final f \(m.finalHarness)") }
            }
        }
        BLAS.setThreads(1)
    }
}
