@testable import DescentCLI
import DescentCore
import Foundation
import Testing

@Suite("Unknown options: suggestions from the whole option set, specs for hyperparameters, the command that takes it")
struct UnknownOptionTests {
    @Test("A hyperparameter typed as an option gets the spec that sets it (golden)")
    func hyperparameterAsOption() {
        let r = suite(["--problem", "rosenbrock", "--lr", "0.05"])
        #expect(r.code == SuiteExitCode.usage)
        #expect(r.err == "Error: unknown option '--lr' for a run: 'lr' is a hyperparameter, given in the optimizer's spec: "
                + "--optimizer 'adam(lr=0.05)' (suite list shows every optimizer's hyperparameters)\n")
        #expect(r.out.isEmpty)
    }

    @Test("The spec names the optimizer the user chose, and takes --name=value and dashes for underscores")
    func hyperparameterOfTheChosenOptimizer() {
        #expect(suite(["--optimizer", "sgd", "--lr=0.1"]).err.contains("--optimizer 'sgd(lr=0.1)'"))
        #expect(suite(["--optimizer", "adamw", "--weight-decay", "0.1"]).err.contains("--optimizer 'adamw(weight_decay=0.1)'"))
        #expect(suite(["--beta1"]).err.contains("--optimizer 'adam(beta1=VALUE)'"))
    }

    @Test("A problem parameter typed as an option gets the problem spec")
    func problemParameterAsOption() {
        let r = suite(["--problem", "quadratic", "--kappa", "1e4"])
        #expect(r.code == SuiteExitCode.usage)
        #expect(r.err.contains("'kappa' is a problem parameter, given in the problem's spec: --problem 'quadratic(kappa=1e4)'"))
    }

    @Test("An option of another command names that command (golden)")
    func optionOfAnotherCommand() {
        let r = suite(["--problem", "rosenbrock", "--html"])
        #expect(r.code == SuiteExitCode.usage)
        #expect(r.err == "Error: unknown option '--html' for a run: it is an option of 'suite report' (suite report DIR --html)\n")
        #expect(suite(["report", "Results", "--max-iterations", "5"]).err
                == "Error: unknown option '--max-iterations' for suite report: it is an option of 'suite run' (suite run --max-iterations)\n")
    }

    @Test("A misspelt option gets the closest of the command's options, not only of its first letters (golden)")
    func misspelt() {
        let r = suite(["--problem", "rosenbrock", "--max-iteration", "10"])
        #expect(r.code == SuiteExitCode.usage)
        #expect(r.err == "Error: unknown option '--max-iteration' for a run (did you mean '--max-iterations'?); "
                + "the options are listed by 'suite --help'\n")
        #expect(suite(["report", "--htm"]).err.contains("(did you mean '--html'?); the options are listed by 'suite help report'"))
        #expect(!suite(["--problem", "rosenbrock", "--zzzzzz"]).err.contains("did you mean"))
    }

    @Test("The option set of a command comes from its help: run has every option, report its own")
    func optionSets() {
        let run = UnknownOption.options(of: UnknownOption.command(for: []).type)
        for option in ["--all", "--problem", "--optimizer", "--tune", "--no-tune", "--problems", "--help", "--output"] {
            #expect(run.contains(option), "run lacks \(option)")
        }
        let report = UnknownOption.options(of: UnknownOption.command(for: ["report"]).type)
        #expect(report.contains("--html") && !report.contains("--problem"))
    }
}
