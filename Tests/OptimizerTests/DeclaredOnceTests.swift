import DescentCore
import DescentOptimizers
import Foundation
import Testing

/// A plugin rule that declares its hyperparameters once, with `@Parameter`.
struct DeclaredSign: Optimizer, ElementwiseRule {
    static let name = "declared-sign"
    static let summary = "sign descent with a declared step and a choice"
    static var learningRate: WritableKeyPath<Self, Double>? { \._lr.wrappedValue }
    enum Scale: String, CaseIterable, ParameterRepresentable { case one, half }

    @Parameter("lr", "step", .positive) var lr = 0.25
    @Parameter("steps", "an integer", .atLeast(1)) var steps = 3
    @Parameter("flip", "a flag") var flip = false
    @Parameter("scale", "a choice") var scale = Scale.one
    init() {}

    func scalars(iteration: Int, previous: Double?) -> Double { (flip ? -lr : lr) * (scale == .half ? 0.5 : 1) }
    func update<V: Coordinates>(_ x: V, gradient g: V, state s: StateCursor<V>, scalars step: Double) -> V { x - step * g.signum() }
}

@Suite("Hyperparameters declared once, on the property")
struct DeclaredOnceTests {
    @Test("the list is derived from the declarations: names, order, defaults, kinds, constraints, summaries")
    func derivedList() {
        let specs = OptimizerEntry(DeclaredSign.self).parameters.map(\.name)
        #expect(specs == ["lr", "steps", "flip", "scale"])
        let entry = OptimizerEntry(DeclaredSign.self)
        #expect(entry.parameters == [
            ParameterSpec("lr", default: .real(0.25), "step", .positive),
            ParameterSpec("steps", default: .integer(3), "an integer", .atLeast(1)),
            ParameterSpec("flip", default: .flag(false), "a flag"),
            ParameterSpec("scale", default: .choice("one"), "a choice", choices: ["one", "half"]),
        ])
        let lion = OptimizerEntry(Lion.self).parameters
        #expect(lion.map(\.name) == ["lr", "beta1", "beta2", "weight_decay"])
        #expect(lion.map(\.defaultValue) == [.real(1e-4), .real(0.9), .real(0.99), .real(0)])
        #expect(lion.map(\.constraint) == [.positive, .unitInterval, .unitInterval, .nonNegative])
    }

    @Test("a spec sets each kind; the label lists what differs; bad values and names throw")
    func configure() throws {
        let entry = OptimizerEntry(DeclaredSign.self)
        let c = try entry.configure(Spec(parsing: "declared-sign(lr=0.5,steps=7,flip=true,scale=half)"))
        let rule = try #require(c.rule as? DeclaredSign)
        #expect(rule.lr == 0.5 && rule.steps == 7 && rule.flip && rule.scale == .half)
        #expect(c.label == "declared-sign(lr=0.5,steps=7,flip=true,scale=half)")
        #expect(c.parameters.values == [.real(0.5), .integer(7), .flag(true), .choice("half")])
        let plain = try entry.configure(Spec(parsing: "declared-sign"))
        #expect(plain.label == "declared-sign" && (plain.rule as? DeclaredSign)?.lr == 0.25)
        #expect(throws: SpecError.self) { try entry.configure(Spec(parsing: "declared-sign(lr=0)")) }
        #expect(throws: SpecError.self) { try entry.configure(Spec(parsing: "declared-sign(scale=third)")) }
        #expect(throws: SpecError.self) { try entry.configure(Spec(parsing: "declared-sign(step=1)")) }
        // A value built in Swift is described against the defaults.
        var value = DeclaredSign()
        value.steps = 4
        #expect(ConfiguredOptimizer(value).label == "declared-sign(steps=4)")
    }

    @Test("an alias's changed defaults survive a spec that sets other parameters")
    func aliasDefaults() throws {
        let entry = try #require(BuiltinOptimizers.all.first { $0.name == "adamw" })
        let adamw = try #require(try entry.configure(Spec(parsing: "adamw(lr=0.01)")).rule as? Adam)
        #expect(adamw.decoupledWeightDecay && adamw.weightDecay == 1e-2 && adamw.lr == 0.01 && adamw.beta2 == 0.999)
        let changed = try #require(try entry.configure(Spec(parsing: "adamw(weight_decay=0.5,convention=optax)")).rule as? Adam)
        #expect(changed.weightDecay == 0.5 && changed.convention == .optax && changed.decoupledWeightDecay)
    }

    @Test("the learning rate a schedule writes every step is the stored value, not the wrapper's computed property")
    func storedLearningRate() throws {
        let path = try #require(Lion.learningRate)
        #expect(MemoryLayout<Lion>.offset(of: path) != nil)
        #expect(MemoryLayout<Lion>.offset(of: \Lion.lr) == nil)  // why `\._lr.wrappedValue`
        var lion = Lion()
        lion[keyPath: path] = 0.125
        #expect(lion.lr == 0.125)
    }

    @Test("a schedule scales a declared rule's learning rate as it scales a stored one")
    func scheduledDeclaredRule() throws {
        let c = try OptimizerEntry(DeclaredSign.self).configure(Spec(parsing: "declared-sign(lr=0.5)"))
        #expect(c.hasLearningRate)
    }

    @Test("Lion, a new elementwise rule, is at most 25 lines of code")
    func lionIsShort() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/DescentOptimizers/Lion.swift")
        let code = try String(contentsOf: source, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("//") }
        #expect(code.count <= 25, "Lion.swift has \(code.count) lines of code")
        #expect(!code.contains { $0.contains("hyperparameters") }, "Lion lists its hyperparameters again")
    }
}
