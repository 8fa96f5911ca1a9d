// swift-tools-version: 6.1
import PackageDescription
import Foundation

/// Descent: a benchmark suite for optimization algorithms.
///
/// Module map (each folder under Sources/ is one module):
/// - `_CGSL`             system-library shim for the GNU Scientific Library (C headers only)
/// - `_DescentSIMD`      C header shim: vector square root, division and exact quotient for the kernels
/// - `_DescentMath`      the C library's elementary functions (pow, exp, log, …), declared once
/// - `_DescentBLAS`      C shim: OpenBLAS's dgemm, loaded at run time (model problems: softmax, MLP)
/// - `GSL`               safe Swift layer over GSL: errors, linear algebra, BFGS2
/// - `DescentCore`       what problems and optimizers are (Problem and its opt-in fast paths,
///                       UpdateRule, ElementwiseRule, @Parameter), the one run driver (Run/: the loop,
///                       its monitor and stepping strategies), shared pieces (WeightDecay,
///                       BiasCorrection, VectorMath, the eight-lanes-then-tail loop), registry, results
/// - `DescentProblems`   built-in problems: parabola, quadratics, Rosenbrock variants, least squares,
///                       logistic regression, the Moré–Garbow–Hillstrom classics, models (softmax
///                       regression, MLP, matrix factorization); their fused kernels
/// - `DescentOptimizers` the built-in optimizers (`suite list`: GD and momentum, the adaptive family,
///                       schedule-free, parameter-free, L-BFGS, …), schedules and gradient transformations
/// - `DescentReference`  certified reference optima f*, x* (analytic or GSL BFGS2) and their cache
/// - `DescentReport`     pure functions from results to files: CSV, Markdown, LaTeX, SVG plots, HTML,
///                       terminal tables, and the statistics behind them
/// - `DescentCLI`        the `suite` command line, with a public entry point for plugin packages
/// - `Descent`           umbrella module for plugin authors (`import Descent`)
/// - `suite`             the executable (`swift run suite --all`)
/// The numeric modules are compiled with optimization even in debug builds: their inner loops
/// (gradients over data sets, optimizer steps) are 10–20× slower unoptimized, and a debug build is
/// what `swift run suite --all` and `swift test` use. Everything else keeps debug settings.
///
/// SwiftPM refuses unsafe flags in a package fetched by URL, so when this manifest is evaluated
/// as a checked-out dependency (a plugin package depending on Descent by URL) the flag is left
/// out and those modules build with the dependent's settings.
let isCheckedOutDependency = Context.packageDirectory.contains("/checkouts/")
/// The numeric modules are compiled for the building machine's vector unit when it has AVX2 (as
/// `-target-cpu haswell`: AVX2, FMA, BMI1/2, F16C, MOVBE, LZCNT), else for baseline x86-64 (SSE2):
/// eight-lane steps run as two AVX2 operations instead of four SSE2 ones (W1-Adam 3.2 → 1.7 ms per
/// step here). The bits do not change: Swift contracts no a·b + c into a fused multiply-add, and the
/// committed Results/ are reproduced by both builds. `DESCENT_TARGET_CPU=x86-64` forces the portable
/// baseline (a binary to copy to older machines); any other `-target-cpu` value (znver2, skylake, …)
/// is passed on.
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
let requestedCPU = Context.environment["DESCENT_TARGET_CPU"] ?? (hostHasAVX2() ? "haswell" : "x86-64")
let targetCPU: String? = isCheckedOutDependency || requestedCPU == "x86-64" ? nil : requestedCPU
let optimizedInDebug: [SwiftSetting] = (isCheckedOutDependency ? [] : [.unsafeFlags(["-O"], .when(configuration: .debug))])
    + (targetCPU.map { [.unsafeFlags(["-target-cpu", $0])] } ?? [])
let simdC: [CSetting] = targetCPU.map { [.unsafeFlags(["-march=\($0)"])] } ?? []

let package = Package(
    name: "Descent",
    products: [
        .library(name: "Descent", targets: ["Descent"]),
        .executable(name: "suite", targets: ["suite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // `swift package generate-documentation`: the DocC catalog in Sources/Descent/Descent.docc (scripts/docs-check.sh).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "_CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        .target(name: "GSL", dependencies: ["_CGSL"]),
        .target(name: "_DescentSIMD", cSettings: simdC),
        .target(name: "_DescentMath", swiftSettings: optimizedInDebug),
        // prctl(PR_SET_PDEATHSIG) for worker processes (a variadic C function Swift cannot call).
        .target(name: "_DescentProcess"),
        // OpenBLAS's dgemm for the model problems, opened with dlopen (Debian: libopenblas-dev; see the header).
        .target(name: "_DescentBLAS", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "DescentCore", dependencies: ["_DescentSIMD", "_DescentMath"], swiftSettings: optimizedInDebug),
        .target(name: "DescentProblems", dependencies: ["DescentCore", "GSL", "_DescentBLAS", "_DescentMath"], swiftSettings: optimizedInDebug),
        .target(name: "DescentOptimizers", dependencies: ["DescentCore", "_DescentMath"], swiftSettings: optimizedInDebug),
        .target(name: "DescentReference", dependencies: ["DescentCore", "GSL"], swiftSettings: optimizedInDebug),
        .target(name: "DescentReport", dependencies: ["DescentCore", "_DescentMath"], swiftSettings: optimizedInDebug),
        .target(
            name: "DescentCLI",
            dependencies: [
                "DescentCore", "DescentProblems", "DescentOptimizers", "DescentReference", "DescentReport", "GSL", "_DescentProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "Descent",
            dependencies: ["DescentCore", "DescentProblems", "DescentOptimizers", "DescentReference", "DescentReport", "DescentCLI"]
        ),
        .executableTarget(name: "suite", dependencies: ["DescentCLI"]),

        // Benchmarks: the peer kit's workloads W1–W4 (`swift run -c release descent-bench`), with a
        // malloc counter that replaces glibc's allocator entry points in that executable only.
        .target(name: "_MallocCounter", path: "Benchmarks/_MallocCounter"),
        .executableTarget(
            name: "descent-bench",
            dependencies: [
                "DescentCore", "DescentProblems", "DescentOptimizers", "DescentReference", "DescentReport", "GSL", "_MallocCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/DescentBench",
            swiftSettings: optimizedInDebug
        ),

        // Shared helpers for the test targets (finite differences, small fixtures).
        .target(name: "DescentTestSupport", dependencies: ["DescentCore"], path: "Tests/DescentTestSupport"),
        .testTarget(name: "GSLTests", dependencies: ["GSL"]),
        .testTarget(name: "ProblemTests", dependencies: ["DescentProblems", "DescentReference", "DescentOptimizers", "DescentTestSupport", "GSL"]),
        .testTarget(name: "OptimizerTests", dependencies: ["DescentOptimizers", "DescentProblems", "DescentTestSupport"]),
        .testTarget(name: "HarnessTests", dependencies: ["DescentCore", "DescentOptimizers", "DescentProblems", "DescentTestSupport"]),
        .testTarget(
            name: "ReportTests",
            dependencies: ["DescentReport", "DescentCore", "DescentTestSupport"],
            resources: [.copy("Golden")]
        ),
        .testTarget(name: "CLITests", dependencies: ["DescentCLI", "DescentTestSupport"]),
        .testTarget(
            name: "PropertyTests",
            dependencies: ["DescentCore", "DescentReport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
