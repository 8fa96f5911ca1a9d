import Foundation
import Testing

/// A test target's golden files: the text its tests compare generated output with, byte for byte.
/// They are read from the built test bundle (the target copies the folder as a resource, so rebuild
/// after editing one) and, with `DESCENT_UPDATE_GOLDEN=1` in the environment, rewritten in the
/// source tree instead.
public struct GoldenFiles: Sendable {
    /// The folder as copied into the built test bundle (`nil` when the bundle has no such folder).
    public let built: URL?
    /// The folder in the source tree.
    public let source: URL

    /// The resource folder `folder` of a test target: `bundle` is the target's `Bundle.module` and
    /// `file` a source file in the folder that holds `folder` (the default, `#filePath`, is the
    /// caller's file).
    public init(_ folder: String, bundle: Bundle, besides file: String = #filePath) {
        built = bundle.url(forResource: folder, withExtension: nil)
        source = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(folder)
    }
}

/// Expects `text` to equal the golden file `name` of `files`, byte for byte; with
/// `DESCENT_UPDATE_GOLDEN=1` in the environment it rewrites that file in the source tree instead
/// (check the difference with `git diff` before committing it).
public func expectGolden(_ text: String, _ name: String, in files: GoldenFiles,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
    if ProcessInfo.processInfo.environment["DESCENT_UPDATE_GOLDEN"] == "1" {
        try text.write(to: files.source.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return
    }
    let folder = try #require(files.built, "the test bundle has no golden folder \(files.source.lastPathComponent)",
                              sourceLocation: sourceLocation)
    let expected = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    #expect(text == expected, "\(name) differs from its golden file; rerun with DESCENT_UPDATE_GOLDEN=1 after checking",
            sourceLocation: sourceLocation)
}
