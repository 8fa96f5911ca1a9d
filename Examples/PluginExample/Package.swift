// swift-tools-version: 6.1
// A package outside Descent that adds its own optimizers and problem, without forking: it depends
// on Descent's library product and calls `SuiteMain.main(registry:package:)` (Sources/my-suite).
import PackageDescription
import Foundation

/// This package's rules are compiled with optimization even in debug builds (`swift run`), as
/// Descent compiles its own numeric modules: the harness's loops over a rule (plain, tiled, fused)
/// are specialized for it and inlined in this module, so unoptimized they run the rule about 8×
/// slower. Descent's modules are compiled for the building machine's AVX2 when it has it; here
/// likewise (`DESCENT_TARGET_CPU=x86-64` for a portable binary). The bits do not change with either
/// flag. SwiftPM accepts unsafe flags in the package you build; it refuses them in a package fetched
/// as a versioned dependency, so a plugin meant to be one leaves them out (as Descent's own manifest
/// does when it is checked out) and is run with `swift run -c release`.
let targetCPU = Context.environment["DESCENT_TARGET_CPU"] ?? (hostHasAVX2() ? "haswell" : "x86-64")
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
    + (targetCPU == "x86-64" ? [] : [.unsafeFlags(["-target-cpu", targetCPU])])

let package = Package(
    name: "PluginExample",
    dependencies: [
        // In your own package: .package(url: "<Descent's git URL>", from: "<version>")
        .package(name: "Descent", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "my-suite",
            dependencies: [.product(name: "Descent", package: "Descent")],
            swiftSettings: optimizedInDebug
        ),
    ],
    swiftLanguageModes: [.v6]
)

/// Whether this machine's CPU has AVX2 and FMA (Linux; elsewhere the baseline is kept).
func hostHasAVX2() -> Bool {
    #if os(Linux) && arch(x86_64)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let flags = Set(line.split(separator: " ").map(String.init))
    return ["avx", "avx2", "fma", "bmi1", "bmi2", "abm", "movbe", "f16c", "popcnt", "sse4_2"].allSatisfy(flags.contains)
    #else
    return false
    #endif
}
