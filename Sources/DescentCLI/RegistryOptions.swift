import ArgumentParser
import DescentCore
import FoundationEssentials

/// The option every command that reads the registry shares: where problem instance files live.
struct RegistryOptions: ParsableArguments {
    /// The folder read first when `--problems` is not given (skipped if it does not exist).
    static let defaultFolder = "Problems"

    @Option(name: .long, help: ArgumentHelp("Folder of problem instance files (*.toml). Default: ./Problems if it exists, else the Problems folder of the Descent sources the binary was built from (a plugin package's binary sees Descent's instances).",
                                            valueName: "folder"))
    var problems: String?

    /// The folder whose instance files are read: `--problems`, else ./Problems when it exists, else
    /// the Problems/ of the Descent checkout the binary was built from (``Checkout/descentProblems``),
    /// else none. Which folder it is does not enter the configuration's hash: the instances' content does.
    var folder: String? {
        if let problems { return problems }
        var isDirectory = false
        if FileManager.default.fileExists(atPath: Self.defaultFolder, isDirectory: &isDirectory), isDirectory { return Self.defaultFolder }
        return Checkout.descentProblems
    }

    /// `base` plus the instances of the folder; a bad file stops with its path, line and field (exit 64).
    /// `building: false` checks the files but builds (and reads the data of) only the instances a
    /// selection names, so a small run does not pay for data sets it does not use.
    func registry(_ base: Registry, building: Bool = true) throws -> Registry {
        var registry = base
        guard let folder else { return registry }
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory else {
            if problems != nil { throw SuiteError("--problems \(folder) is not a folder", exitCode: SuiteExitCode.usage) }
            return registry
        }
        do {
            try registry.addInstances(from: folder, building: building)
        } catch {
            throw SuiteError("\(error)", exitCode: SuiteExitCode.usage)
        }
        return registry
    }
}
