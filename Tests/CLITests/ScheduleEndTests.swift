@testable import DescentCLI
import Testing

/// The time left is the end of the schedule the workers follow, not the work spread over them: a
/// job's runs go one after another on one worker.
@Suite("Progress: time left as the end of the workers' schedule")
struct ScheduleEndTests {
    @Test("a long job in flight bounds the time left while the other worker clears the queue")
    func longJobInFlight() {
        #expect(Progress.scheduleEnd(begun: [10], queued: [1, 1, 1], workers: 2) == 10)
    }

    @Test("a costly job taken last keeps one worker busy alone (the spread work would say 12)")
    func costlyLast() {
        #expect(Progress.scheduleEnd(begun: [1, 1], queued: [1, 20], workers: 2) == 21)
    }

    @Test("queued jobs go to the worker free first, in order")
    func greedy() {
        #expect(Progress.scheduleEnd(begun: [], queued: [3, 3, 2, 2], workers: 2) == 5)
        #expect(Progress.scheduleEnd(begun: [], queued: [3, 3, 2, 2], workers: 1) == 10)
    }

    @Test("finished jobs free their worker; nothing left is 0")
    func finished() {
        #expect(Progress.scheduleEnd(begun: [0, 0], queued: [4], workers: 2) == 4)
        #expect(Progress.scheduleEnd(begun: [0], queued: [], workers: 2) == 0)
    }
}
