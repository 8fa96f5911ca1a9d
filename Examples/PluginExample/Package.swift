// swift-tools-version: 6.1
// A package outside Descent that adds its own optimizer and problem, without forking:
// it depends on Descent's library product and calls `SuiteMain.main(registry:)`.
import PackageDescription

let package = Package(
    name: "PluginExample",
    dependencies: [
        // In your own package: .package(url: "<Descent's git URL>", from: "<version>")
        .package(name: "Descent", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "my-suite", dependencies: [.product(name: "Descent", package: "Descent")]),
    ],
    swiftLanguageModes: [.v6]
)
