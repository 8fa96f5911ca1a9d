import DescentCore
import Foundation

/// A plugin package as `metadata.json` names it: its name, its version and the git commit of its
/// sources, with the optimizers and problems it adds to the built-ins. Pass it to
/// ``SuiteMain/main(registry:package:)``:
///
/// ```swift
/// SuiteMain.main(registry: .standard(adding: [...], optimizers: [...]),
///                package: PluginPackage(name: "PluginExample", version: "0.1.0"))
/// ```
///
/// The commit is looked up where the file that creates this value lies (`#filePath`, the default
/// of `sourceFile`), when the results are written; `metadata.json` says `unknown` when that folder
/// is not in a git checkout or no longer exists (a binary copied elsewhere).
public struct PluginPackage: Sendable, Equatable {
    /// The package's name (as in its Package.swift).
    public var name: String
    /// The version its author gives it (a release tag), or `nil`: then the commit alone names it.
    public var version: String?
    /// A source file of the package; its folder's git checkout gives the commit.
    public var sourceFile: String

    /// The package `name` at `version`, with its sources where `sourceFile` lies (default: the caller's file).
    public init(name: String, version: String? = nil, sourceFile: String = #filePath) {
        self.name = name
        self.version = version
        self.sourceFile = sourceFile
    }

    /// The package registered for this invocation, with what it adds (``SuiteMain/run(arguments:registry:package:console:)``).
    @TaskLocal static var current: Registration?

    /// A registered package and the names of the entries it adds to the built-ins.
    struct Registration: Sendable {
        var package: PluginPackage
        var optimizers: [String]
        var problems: [String]

        /// `package` with the entries of `registry` that ``Registry/standard`` does not have.
        init(_ package: PluginPackage, registry: Registry) {
            self.package = package
            let standard = Registry.standard
            let builtinOptimizers = Set(standard.optimizers.map(\.name)), builtinProblems = Set(standard.problems.map(\.name))
            optimizers = registry.optimizers.map(\.name).filter { !builtinOptimizers.contains($0) }
            problems = registry.problems.map(\.name).filter { !builtinProblems.contains($0) }
        }

        /// Its entry in `metadata.json`'s environment.
        var metadata: [String: Any] {
            let folder = (package.sourceFile as NSString).deletingLastPathComponent
            return [
                "name": package.name,
                "version": package.version.map { $0 as Any } ?? NSNull(),
                "git_commit": Checkout.gitCommit(at: folder),
                "optimizers": optimizers,
                "problems": problems,
            ]
        }
    }
}

extension SuiteMain {
    /// Runs `suite` for the plugin package `package` with the process's arguments and exits with
    /// its exit code: as ``main(registry:)``, with `package` named in every `metadata.json` written.
    public static func main(registry: Registry, package: PluginPackage) -> Never {
        let code = run(arguments: Array(CommandLine.arguments.dropFirst()), registry: registry, package: package, console: .standard)
        exitProcess(code)
    }

    /// Runs `suite` with `arguments` for the plugin package `package` and returns the exit code.
    public static func run(arguments: [String], registry: Registry, package: PluginPackage, console: Console) -> Int32 {
        PluginPackage.$current.withValue(PluginPackage.Registration(package, registry: registry)) {
            run(arguments: arguments, registry: registry, console: console)
        }
    }
}
