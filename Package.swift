// swift-tools-version: 6.1
import PackageDescription

/// Descent: a benchmark suite for optimization algorithms.
///
/// Module map (each folder under Sources/ is one module):
/// - `_CGSL`             system-library shim for the GNU Scientific Library (C headers only)
/// - `_DescentSIMD`      C header shim: a vector square root (SSE2 `sqrtpd`) for the kernels
/// - `GSL`               safe Swift layer over GSL: errors, linear algebra, BFGS2
/// - `DescentCore`       protocols and the harness: Problem, Optimizer, Vector, run loop, results
/// - `DescentProblems`   built-in test problems (parabola, quadratic, Rosenbrock, logistic regression)
/// - `DescentOptimizers` built-in first-order optimizers (gd, momentum, adam)
/// - `DescentReference`  certified reference optima f*, x* (analytic or GSL BFGS2)
/// - `DescentReport`     pure functions from results to CSV, Markdown and terminal text
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
let optimizedInDebug: [SwiftSetting] = isCheckedOutDependency ? [] : [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Descent",
    products: [
        .library(name: "Descent", targets: ["Descent"]),
        .executable(name: "suite", targets: ["suite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "_CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        .target(name: "GSL", dependencies: ["_CGSL"]),
        .target(name: "_DescentSIMD"),
        .target(name: "DescentCore", dependencies: ["_DescentSIMD"], swiftSettings: optimizedInDebug),
        .target(name: "DescentProblems", dependencies: ["DescentCore", "GSL"], swiftSettings: optimizedInDebug),
        .target(name: "DescentOptimizers", dependencies: ["DescentCore"], swiftSettings: optimizedInDebug),
        .target(name: "DescentReference", dependencies: ["DescentCore", "GSL"], swiftSettings: optimizedInDebug),
        .target(name: "DescentReport", dependencies: ["DescentCore"]),
        .target(
            name: "DescentCLI",
            dependencies: [
                "DescentCore", "DescentProblems", "DescentOptimizers", "DescentReference", "DescentReport", "GSL",
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
            dependencies: ["DescentReport", "DescentCore"],
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
