import DescentCLI
import DescentCore
import Foundation
import Testing

@Suite("Skip reasons: DescentCore types them, the command line words them")
struct UnfitReasonTextTests {
    @Test("every reason has its own sentence; those about the options name the flag")
    func messages() {
        let messages = UnfitReason.allCases.map(\.message)
        #expect(Set(messages).count == UnfitReason.allCases.count)
        #expect(messages.allSatisfy { !$0.isEmpty })
        for reason in [UnfitReason.fullBatchOnly, .stochasticNeedsBatchSize, .batchesNeedFiniteSum] {
            #expect(reason.message.contains("--batch-size"), "\(reason)")
        }
        // The texts the committed results and golden files carry.
        #expect(UnfitReason.fullBatchOnly.message == "full-batch only; --batch-size is set")
        #expect(UnfitReason.needsOptimalValue.message == "needs the certified f*; the problem has none")
    }

    @Test("a skipped pair in a run prints the worded reason")
    func skippedRun() throws {
        let output = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = suite(["run", "--problem", "logistic(samples=20)", "--optimizer", "lbfgs", "--optimizer", "sgd",
                       "--batch-size", "4", "--max-iterations", "5", "--no-tune", "--output", output])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains(UnfitReason.fullBatchOnly.message), "\(r.out)")
    }
}
