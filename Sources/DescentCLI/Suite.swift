import ArgumentParser
import DescentCore
import DescentOptimizers
import DescentProblems
import DescentReference

extension Registry {
    /// The built-in problems and optimizers.
    public static var standard: Registry {
        Registry(problems: BuiltinProblems.all,
                 optimizers: BuiltinOptimizers.all + ReferenceSolvers.all
                     + (FaultInjection.isEnabled ? [OptimizerEntry(FaultInjection.self)] : []),
                 modifiers: BuiltinOptimizers.modifiers)
    }

    /// The built-ins plus `problems` and `optimizers` from a plugin package, appended in order.
    public static func standard(adding problems: [ProblemEntry] = [], optimizers: [OptimizerEntry] = [],
                                modifiers: [ModifierEntry] = []) -> Registry {
        var registry = Registry.standard
        registry.problems += problems
        registry.optimizers += optimizers
        registry.modifiers += modifiers
        return registry
    }
}

/// Where `suite` prints: standard output for results, standard error for progress and errors.
public struct Console {
    /// Writes to standard output.
    public var out: (String) -> Void
    /// Writes to standard error.
    public var err: (String) -> Void
    /// Whether standard error is a terminal (progress is then one redrawn bar instead of lines).
    public var errIsTerminal: Bool

    /// A console writing to the given sinks.
    public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, errIsTerminal: Bool = false) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
    }

    /// The process's standard output and standard error.
    public static var standard: Console {
        Console(out: { print($0, terminator: "") }, err: { writeStandardError($0) }, errIsTerminal: isatty(2) == 1)
    }
}

/// The exit codes of `suite`.
///
/// | code | meaning |
/// | ---: | --- |
/// | 0 | success |
/// | 1 | a run could not be prepared (e.g. a reference optimum could not be certified) |
/// | 64 | bad command line: unknown name or parameter, invalid value (nothing was written) |
/// | 74 | the results could not be written (the previous results are left as they were) |
/// | 75 | another suite is writing the same output folder (nothing was done) |
/// | 130 | interrupted (Ctrl-C or SIGTERM): finished runs were written; `--resume` does the rest |
public enum SuiteExitCode {
    /// Success.
    public static let success: Int32 = 0
    /// A run could not be prepared.
    public static let failure: Int32 = 1
    /// Bad command line (EX_USAGE).
    public static let usage: Int32 = 64
    /// Output error (EX_IOERR).
    public static let ioError: Int32 = 74
    /// Another suite holds the output folder's lock (EX_TEMPFAIL).
    public static let busy: Int32 = 75
    /// Stopped by SIGINT or SIGTERM after writing the finished runs (128 + SIGINT).
    public static let interrupted: Int32 = 130
}

/// The public entry point of the `suite` command line, for the executable and for plugin packages.
///
/// A plugin package's executable is one line:
/// ```swift
/// SuiteMain.main(registry: .standard(adding: [], optimizers: [OptimizerEntry(MyOptimizer.self)]))
/// ```
public enum SuiteMain {
    /// Runs `suite` with the process's arguments and exits with its exit code.
    public static func main(registry: Registry = .standard) -> Never {
        let code = run(arguments: Array(CommandLine.arguments.dropFirst()), registry: registry, console: .standard)
        exitProcess(code)
    }

    /// Runs `suite` with `arguments` (without the program name) and returns the exit code.
    public static func run(arguments: [String], registry: Registry, console: Console) -> Int32 {
        do {
            let normalized = try Arguments.normalized(arguments)
            if Help.asksForRootHelp(normalized) {
                console.out(Help.root())
                return SuiteExitCode.success
            }
            if let unknown = UnknownOption.firstUnknown(in: normalized) {
                throw SuiteError(UnknownOption.message(option: unknown, arguments: normalized, registry: registry), exitCode: SuiteExitCode.usage)
            }
            var command = try Suite.parseAsRoot(normalized)
            if var registered = command as? RegistryCommand {
                try registered.run(registry: registry, console: console)
            } else {
                try command.run()
            }
            return SuiteExitCode.success
        } catch let error as SpecError {
            console.err("Error: \(error)\n")
            return SuiteExitCode.usage
        } catch let error as SuiteError {
            console.err("Error: \(error.message)\n")
            return error.exitCode
        } catch {
            if let better = UnknownOption.message(for: error, arguments: arguments, registry: registry) {
                console.err("Error: \(better)\n")
                return SuiteExitCode.usage
            }
            let code = Suite.exitCode(for: error)
            let message = Suite.fullMessage(for: error)
            if code == .success {
                console.out(message + "\n")
            } else {
                console.err(message + "\n")
            }
            return code.rawValue
        }
    }
}

/// The command line as the argument parser should see it.
enum Arguments {
    /// The subcommands a first word may name (`help` is the parser's own).
    static var commands: [String] {
        Suite.configuration.subcommands.map { $0.configuration.commandName ?? "" }.filter { !$0.isEmpty && !$0.hasPrefix("_") }
    }

    /// `arguments` with a negative number after a long option attached to it (`--jobs -1` → `--jobs=-1`),
    /// so every numeric option reads it as its value and says what is valid, instead of the parser
    /// taking `-1` for an option and reporting a missing value; and a first word that is not a
    /// command refused naming the commands (the default command `run` takes no words).
    static func normalized(_ arguments: [String]) throws -> [String] {
        if let first = arguments.first, !first.hasPrefix("-"), !(commands + ["help", "_worker", "_docs"]).contains(first) {
            throw SuiteError("'\(InputLimits.quote(first))' is not a command; the commands are \(commands.joined(separator: ", ")) "
                + "(run is the default: suite --problem P --optimizer O)", exitCode: SuiteExitCode.usage)
        }
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { out += arguments[i...]; break }
            if a.hasPrefix("--"), !a.contains("="), i + 1 < arguments.count, isNegativeNumber(arguments[i + 1]) {
                out.append(a + "=" + arguments[i + 1])
                i += 2
                continue
            }
            out.append(a)
            i += 1
        }
        return out
    }

    /// `-1`, `-0.5`, `-1e3`, `-inf`, `-nan`: what a user means as a negative value, never an option name.
    static func isNegativeNumber(_ s: String) -> Bool {
        guard s.hasPrefix("-"), s.count > 1 else { return false }
        let rest = s.dropFirst()
        return Double(rest) != nil && (rest.first.map { $0.isNumber || $0 == "." || $0 == "i" || $0 == "n" } ?? false)
    }
}

/// A failure with a message and an exit code from ``SuiteExitCode``.
public struct SuiteError: Error, CustomStringConvertible {
    /// What went wrong and what would be valid.
    public var message: String
    /// The exit code.
    public var exitCode: Int32

    /// Creates an error.
    public init(_ message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}

/// A subcommand that needs the registry (so plugins can supply their own).
protocol RegistryCommand {
    mutating func run(registry: Registry, console: Console) throws
}

/// `suite`: the root command.
struct Suite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite",
        abstract: "Descent: run optimizers on test problems with certified optima and write convergence tables.",
        discussion: """
            Examples:
              suite --problem rosenbrock --optimizer adam --optimizer momentum
              suite --problem rosenbrock --optimizer 'adam(lr=0.01,beta1=0.8)'
              suite --problem 'quadratic(n=50,kappa=1e4)' --optimizer gd --optimizer nag
              suite --problem logistic --optimizer 'adam(lr=0.01) + cosine(steps=2000)'
              suite --problem logistic --optimizer sgd --batch-size 32 --seeds 5
              suite --all       every optimizer on every problem: the headline run
              suite list        problems, optimizers and their parameters
            """,
        subcommands: [RunCommand.self, ReportCommand.self, DiffCommand.self, MergeCommand.self, ListCommand.self, ReferenceCommand.self, WorkerCommand.self, DocsCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `text` to file descriptor 2 (no C `stderr` global: it is not concurrency-safe).
func writeStandardError(_ text: String) {
    _ = writeAll(2, Array(text.utf8))
}

/// Writes every byte of `bytes` to `fd`, retrying short writes; false when `write` fails (errno says why).
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if written <= 0 { return false }
        offset += written
    }
    return true
}

func exitProcess(_ code: Int32) -> Never { exit(code) }
