import DescentCore
import DescentOptimizers
import DescentProblems

/// One of the peer kit's workloads (`../shared/peers/README.md`), as Descent problem and optimizer.
struct Workload {
    /// The peer kit's name (W1-GD, …).
    let name: String
    /// Optimizer steps (the peer kit's count).
    let steps: Int
    /// The final f every correct implementation reproduces (peer kit README), when known at this size.
    let expected: Double?
    /// The problem (built once, not timed).
    let problem: () throws -> any Problem
    /// The update rule.
    let optimizer: any UpdateRule
    /// Mini-batch size (W3b), nil for full batch.
    var batchSize: Int? = nil
}

/// The workload definitions; `scale` < 1 shrinks n (smoke mode), which voids the expected values.
enum Workloads {
    static func all(scale: Double, data: String?) -> [Workload] {
        let n = Swift.max(1000, Int(1_000_000 * scale))
        let full = scale == 1
        func diagonal() throws -> any Problem {
            try Quadratic(dimension: n, conditionNumber: 1e3, spectrum: .log, rotated: false, linearTerm: .ones, seed: 0)
        }
        var out = [
            Workload(name: "W1-GD", steps: full ? 1000 : 100, expected: full ? -69598.2543457379 : nil,
                     problem: diagonal, optimizer: SGD(lr: 1e-3)),
            Workload(name: "W1-Adam", steps: full ? 1000 : 100, expected: full ? -72310.209177148 : nil,
                     problem: diagonal, optimizer: Adam(lr: 1e-2)),
            Workload(name: "W2-Adam", steps: full ? 1000 : 100, expected: full ? 2088473.338702449 : nil,
                     problem: { ExtendedRosenbrock(dimension: n) }, optimizer: Adam(lr: 1e-3)),
        ]
        let w3: () throws -> any Problem = {
            guard let data else { throw BenchError("W3 needs the peer kit's data: --data DIR (python3 py/gen_data.py DIR)") }
            return try W3.problem(data: data)
        }
        let smallW3: () throws -> any Problem = {
            LogisticRegression(samples: Swift.max(1280, Int(100_000 * scale)), features: 100, regularization: 1e-4, noise: 0.1, seed: 0)
        }
        if data != nil && full {
            out.append(Workload(name: "W3a-GD", steps: 200, expected: 0.4278965926238549, problem: w3,
                                optimizer: SGD(lr: 1 / W3.lipschitz)))
            out.append(Workload(name: "W3b-SGD", steps: 782, expected: 0.4309585687946307, problem: w3,
                                optimizer: SGD(lr: 0.1), batchSize: 128))
        } else {
            // Smoke mode (or no data): synthetic data of the same shape, fewer rows.
            out.append(Workload(name: "W3a-GD", steps: 20, expected: nil, problem: smallW3, optimizer: SGD(lr: 1 / W3.lipschitz)))
            out.append(Workload(name: "W3b-SGD", steps: 10, expected: nil, problem: smallW3, optimizer: SGD(lr: 0.1), batchSize: 128))
        }
        return out
    }
}

/// The W3 data set from the peer kit's `gen_data.py`, read through the `logistic-arrays` family.
enum W3 {
    /// L = λmax(XᵀX)/(4m) + λ, as the peer kit states it.
    static let lipschitz = 0.2662535760275013

    static func problem(data: String) throws -> any Problem {
        let entry = BuiltinProblems.logisticArrays
        let spec = try Spec(parsing: "logistic-arrays(x=\(data)/w3_X.f64,y=\(data)/w3_y.f64,features=100,lambda=1e-4)")
        return try entry.instantiate(spec, seed: 0).problem
    }
}

/// A benchmark setup error.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
