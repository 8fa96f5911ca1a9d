import DescentCLI
import DescentCore
import Foundation
import Testing

@Suite("Problem files get the command line's did-you-mean")
struct InstanceFileSuggestionTests {
    func listWith(_ toml: String) throws -> (code: Int32, out: String, err: String) {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try toml.write(toFile: folder + "/x.toml", atomically: true, encoding: .utf8)
        return suite(["list", "--problems", folder])
    }

    @Test("An unknown family, parameter or key is answered with the closest valid name")
    func suggestions() throws {
        let family = try listWith("name = \"x\"\nfamily = \"rosenbrok\"\n")
        #expect(family.code == SuiteExitCode.usage)
        #expect(family.err.contains("unknown family 'rosenbrok' (did you mean 'rosenbrock'?); valid: "))
        let parameter = try listWith("name = \"x\"\nfamily = \"quadratic\"\n[parameters]\nkapa = 10\n")
        #expect(parameter.code == SuiteExitCode.usage)
        #expect(parameter.err.contains("quadratic has no such parameter (did you mean 'kappa'?); valid: "))
        let key = try listWith("name = \"x\"\nfamly = \"quadratic\"\n")
        #expect(key.code == SuiteExitCode.usage)
        #expect(key.err.contains("unknown key (did you mean 'family'?); valid: name, family"))
    }

    @Test("A name far from every valid one gets no suggestion")
    func noSuggestion() throws {
        let r = try listWith("name = \"x\"\nfamily = \"zzzzzzzzzz\"\n")
        #expect(r.code == SuiteExitCode.usage && !r.err.contains("did you mean"))
    }
}
