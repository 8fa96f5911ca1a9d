// libFuzzer entry point for Descent's input parsers: optimizer/problem specs (with `+` chains,
// against a small registry) and problem instance files. Built from DescentCore's sources by
// scripts/fuzz.sh with -sanitize=fuzzer,address; any trap, overflow or memory error is a finding.

/// A tiny optimizer so chains and hyperparameter parsing are exercised.
struct FuzzOptimizer: Optimizer {
    static let name = "opt"
    static let summary = "fuzzing"
    static var hyperparameters: [Hyperparameter<Self>] {
        [.init("lr", \.lr, "", .positive), .init("n", \.n, "", .atLeast(1)), .init("flag", \.flag, "")]
    }
    static var learningRate: WritableKeyPath<Self, Double>? { \.lr }
    var lr = 0.1, n = 1, flag = false
    func makeState(dimension: Int) {}
    func step(_ x: Vector, gradient: Vector, state: inout Void, iteration: Int) {}
}

struct FuzzSchedule: LearningRateSchedule {
    static let name = "sched"
    static let summary = "fuzzing"
    static var hyperparameters: [Hyperparameter<Self>] { [.init("gamma", \.gamma, "", .positive)] }
    var gamma = 0.5
    func factor(afterSteps k: Int) -> Double { gamma }
}

let fuzzRegistry = Registry(problems: [], optimizers: [OptimizerEntry(FuzzOptimizer.self)],
                            modifiers: [ModifierEntry(schedule: FuzzSchedule.self), .decoupledWeightDecay])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParsers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Spec(parsing: text)
    _ = try? fuzzRegistry.selectOptimizers([text])
    if let file = try? InstanceFile(parsing: text, path: "fuzz.toml") {
        precondition(!file.name.isEmpty && !file.family.isEmpty)
    }
    return 0
}
