import Foundation
import Synchronization
import DescentReport

/// Progress of a matrix on standard error: on a terminal, one bar redrawn in place with the share
/// done and an ETA; when piped, one plain line per finished run (`[12/432] problem × optimizer: …`).
/// Several workers report; each report prints whole.
final class Progress: @unchecked Sendable {
    private let console: Console
    private let total: Int
    private let phase: String?
    private let quiet: Bool
    private let started = ContinuousClock.now
    private let state = Mutex<Int>(0)

    init(console: Console, total: Int, phase: String?, quiet: Bool) {
        self.console = console
        self.total = total
        self.phase = phase
        self.quiet = quiet
    }

    /// Reports finished runs, one line of text each.
    func finished(_ lines: [String]) {
        guard !quiet, !lines.isEmpty else { return }
        state.withLock { done in
            if console.errIsTerminal {
                done += lines.count
                console.err("\r\u{1B}[K" + bar(done))
            } else {
                var text = ""
                for line in lines {
                    done += 1
                    text += "[\(done)/\(total)]" + (phase.map { " \($0):" } ?? "") + " " + line + "\n"
                }
                console.err(text)
            }
        }
    }

    /// Ends the bar's line on a terminal.
    func done() {
        guard !quiet, console.errIsTerminal else { return }
        state.withLock { done in console.err("\r\u{1B}[K" + bar(done) + "\n") }
    }

    /// `tuning sweep [██████······] 120/432 28%  ETA 14 s`.
    func bar(_ done: Int) -> String {
        let width = 24
        let share = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Swift.min(width, Int(share * Double(width)))
        let elapsed = (ContinuousClock.now - started).seconds
        let eta = done == 0 ? "" : done >= total ? "  \(NumberFormat.duration(elapsed))" : "  ETA " + NumberFormat.duration(elapsed / Double(done) * Double(total - done))
        return (phase.map { $0 + " " } ?? "") + "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            + "] \(done)/\(total) \(Int(share * 100))%" + eta
    }
}
