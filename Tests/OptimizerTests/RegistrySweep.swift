import DescentCore
import DescentOptimizers
import Testing

/// The optimizer configurations the sweeps run, generated from a registry (as the problem sweeps are
/// from `BuiltinProblems.all`), so a new rule or a new hyperparameter is swept without editing a list:
/// for every entry that is not an alias, its defaults (a learning rate above 10⁻³ lowered to it), each
/// hyperparameter moved off its default alone (a flag toggled, every other choice, a number moved
/// inside its range; one the optimizer refuses alone is moved with the first other parameter that
/// makes it valid), and all of them moved at once. Combinations the optimizer refuses
/// (`validate()`) are left out.
enum RegistrySweep {
    /// The specs of `entries` whose optimizers are elementwise rules.
    static func elementwiseSpecs(_ entries: [OptimizerEntry]) -> [String] {
        configurations(entries).filter { $0.optimizer.rule is any ElementwiseRule }.map(\.spec)
    }

    /// Every configuration of `entries` the sweep generates, with the spec that names it.
    static func configurations(_ entries: [OptimizerEntry]) -> [(spec: String, optimizer: ConfiguredOptimizer)] {
        var out: [(spec: String, optimizer: ConfiguredOptimizer)] = []
        for entry in entries where entry.aliasOf == nil {
            // A learning rate above 10⁻³ is lowered to it, so the runs stay finite on the sweep's problems.
            let base = entry.parameters.first { $0.name == "lr" }.flatMap { p -> ParameterSpec? in
                guard case .real(let lr) = p.defaultValue, lr > 1e-3 else { return nil }
                var lowered = p
                lowered.defaultValue = .real(1e-3)
                return lowered
            }
            let parameters = entry.parameters.map { $0.name == base?.name ? base! : $0 }
            let fixed: [(String, String)] = base == nil ? [] : [("lr", "0.001")]
            let firstMoves = parameters.compactMap { p in Self.moved(p).first.map { (p.name, $0) } }
            func add(_ arguments: [(String, String)]) -> Bool {
                let spec = arguments.isEmpty ? entry.name : "\(entry.name)(\(arguments.map { "\($0.0)=\($0.1)" }.joined(separator: ",")))"
                guard let parsed = try? Spec(parsing: spec), let optimizer = try? entry.configure(parsed) else { return false }
                out.append((spec, optimizer))
                return true
            }
            _ = add(fixed)
            func order(_ a: (String, String), _ b: (String, String)) -> Bool {
                parameters.firstIndex { $0.name == a.0 }! < parameters.firstIndex { $0.name == b.0 }!
            }
            moving: for p in parameters {
                for value in Self.moved(p) {
                    if add(fixed.filter { $0.0 != p.name } + [(p.name, value)]) { continue moving }
                    // Refused alone (Nesterov without momentum): with the first other parameter that makes it valid.
                    for other in firstMoves where other.0 != p.name {
                        let pair = [other, (p.name, value)].sorted(by: order)
                        if add(fixed.filter { $0.0 != p.name && $0.0 != other.0 } + pair) { continue moving }
                    }
                }
            }
            if firstMoves.count > 1 { _ = add(firstMoves) }
        }
        return out
    }

    /// Values of `p` other than its default, inside its range; the sweep takes the first one the
    /// optimizer accepts.
    static func moved(_ p: ParameterSpec) -> [String] {
        switch p.defaultValue {
        case .flag(let b): return [String(!b)]
        case .choice(let c): return p.choices.filter { $0 != c }
        case .integer(let n): return [String(n + 2)]
        case .real(let x):
            guard x.isFinite else { return [] }
            let candidates: [Double]
            switch p.constraint {
            case .atLeast(let bound): candidates = [Swift.max(bound, x) + 1]
            case .positive: candidates = [x * 0.5, x * 1.5]  // the second where the first is refused (Rprop's η₊ > 1)
            case .unitInterval, .closedUnitInterval, .nonNegative, .any: candidates = [x == 0 ? 0.1 : x * 0.5]
            }
            return candidates.filter { p.constraint.admits($0) && $0 != x }.map { "\($0)" }
        case .text: return []
        }
    }
}

@Suite("The optimizer sweeps are generated from the registry")
struct RegistrySweepTests {
    static let sweep = RegistrySweep.configurations(BuiltinOptimizers.all)

    @Test("every elementwise rule of the registry is swept, with each of its hyperparameters moved")
    func coversTheRegistry() throws {
        for entry in BuiltinOptimizers.all where entry.aliasOf == nil {
            let c = try entry.configure(Spec(parsing: entry.name))
            guard c.rule is any ElementwiseRule else { continue }
            let mine = Self.sweep.filter { $0.optimizer.name == entry.name }
            #expect(mine.contains { $0.spec == entry.name || $0.spec == "\(entry.name)(lr=0.001)" }, "\(entry.name): defaults not swept")
            for p in entry.parameters where !RegistrySweep.moved(p).isEmpty {
                #expect(mine.contains { $0.optimizer.parameters[p.name] != p.defaultValue }, "\(entry.name): \(p.name) never moved")
            }
        }
        #expect(RegistrySweep.elementwiseSpecs(BuiltinOptimizers.all).count >= 100)
    }

    @Test("a rule registered by a plugin is swept without editing a list")
    func pluginRuleSwept() {
        let specs = RegistrySweep.elementwiseSpecs([OptimizerEntry(DeclaredSign.self)])
        #expect(specs.first == "declared-sign(lr=0.001)")  // its lr = 0.25, lowered to 10⁻³
        #expect(specs.contains("declared-sign(lr=0.001,scale=half)") && specs.contains("declared-sign(lr=0.001,flip=true)"))
        #expect(specs.contains("declared-sign(lr=0.0005,steps=5,flip=true,scale=half)"))
    }

    @Test("refused combinations are left out; aliases are not swept twice")
    func refusals() {
        let specs = Self.sweep.map(\.spec)
        #expect(!specs.contains("gd(nesterov=true)"))  // Nesterov needs momentum: moved with it
        #expect(specs.contains("gd(momentum=0.1,nesterov=true)"))
        #expect(!specs.contains("adam(eps_root=0.1)"))  // eps_root belongs to the optax convention
        #expect(specs.contains("adam(eps_root=0.1,convention=optax)"))
        #expect(!specs.contains { $0 == "sgd" || $0.hasPrefix("sgd(") })  // sgd is an alias of gd
    }
}
