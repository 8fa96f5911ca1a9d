import DescentCore
import Foundation

/// A deliberately faulty optimizer for testing the suite's isolation, registered only when the
/// environment has `DESCENT_FAULT_INJECTION=1` (never in normal use).
///
/// After `after` plain gradient steps it traps (`fatalError`), hangs, writes NaN into x, or
/// overflows the stack, as `mode` says.
struct FaultInjection: Optimizer {
    enum Mode: String, CaseIterable, Sendable { case trap, hang, nan, stack }

    static let name = "fault"
    static let summary = "testing only: after `after` steps, trap / hang / write NaN / overflow the stack"
    static var hyperparameters: [Hyperparameter<Self>] {
        [.init("mode", \.mode, "the fault"), .init("after", \.after, "steps before the fault", .atLeast(0))]
    }

    var mode = Mode.trap
    var after = 3

    /// Whether the environment asks for fault injection.
    static var isEnabled: Bool { ProcessInfo.processInfo.environment["DESCENT_FAULT_INJECTION"] == "1" }

    func makeState(dimension: Int) {}

    func step(_ x: Vector, gradient g: Vector, state: inout Void, iteration: Int) {
        if iteration > after {
            switch mode {
            case .trap: fatalError("injected fault at step \(iteration)")
            case .hang: while true { usleep(100_000) }
            case .nan: x[0] = .nan
            case .stack: Self.recurse(iteration)
            }
        }
        for i in 0..<x.count { x[i] -= 0.1 * g[i] }
    }

    @inline(never)
    static func recurse(_ n: Int) {
        var pad = (n, n &+ 1, n &+ 2, n &+ 3)
        withUnsafeMutablePointer(to: &pad) { _ in recurse(n &+ 1) }
    }
}
