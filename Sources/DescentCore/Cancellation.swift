import Synchronization

/// A flag a signal handler or another thread sets to stop runs early; the harness checks it every
/// iteration and ends the run as `interrupted`.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A flag that is not set.
    public init() {}

    /// Requests the stop.
    public func set() { flag.store(true, ordering: .relaxed) }

    /// Whether a stop was requested.
    public var isSet: Bool { flag.load(ordering: .relaxed) }
}

/// Receives every trace row as it is logged (a worker process streams them to its parent, so a
/// run killed for its time limit still has its last row).
public struct RowObserver: Sendable, Equatable {
    let receive: @Sendable (TraceRow) -> Void

    /// An observer calling `receive` for every logged row.
    public init(_ receive: @escaping @Sendable (TraceRow) -> Void) { self.receive = receive }

    /// Observers compare equal: they are plumbing, not configuration.
    public static func == (a: RowObserver, b: RowObserver) -> Bool { true }
}
