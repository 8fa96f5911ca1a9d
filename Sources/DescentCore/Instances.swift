/// Instances of a problem (COCO's idea): instance 0 is the problem as selected; instance i ≥ 1
/// regenerates a seeded family's data from seed `--seed + i`, and starts a fixed problem (data from
/// a file, or none) from a seeded perturbation of its standard x₀. Each instance has its own
/// certified f*; a table's median and spread over instances are then over problems of one family
/// that differ in data or start, not over one run repeated.
public enum Instances {
    /// The relative size of a fixed problem's x₀ perturbation: coordinate j moves by
    /// σⱼ ξⱼ with ξ ~ N(0, I) and σⱼ = `perturbation` · max(1, |x₀ⱼ|).
    public static let perturbation = 0.1

    /// The key of instance `index`'s reference optimum: the label for instance 0 (so a one-instance
    /// run keeps the keys it always had), `label#index` otherwise.
    public static func referenceKey(_ label: String, instance index: Int) -> String {
        index == 0 ? label : "\(label)#\(index)"
    }

    /// The data seed of instance `index` when instance 0 has `seed`.
    public static func seed(_ seed: UInt64, instance index: Int) -> UInt64 { seed &+ UInt64(index) }

    /// x₀ + σ ξ for instance `index` of a fixed problem (σ and ξ as in ``perturbation``), drawn from
    /// a stream that depends on `seed` and `index` only.
    public static func perturbedStart(_ x0: [Double], seed: UInt64, instance index: Int) -> [Double] {
        var hash = StableHash()
        hash.combine("descent-instance")
        hash.combine(Double(bitPattern: seed))
        hash.combine(Double(bitPattern: UInt64(index)))
        var rng = SeededGenerator(seed: hash.value)
        return x0.map { $0 + perturbation * Swift.max(1, Swift.abs($0)) * rng.nextNormal() }
    }
}

extension ProblemInstance {
    /// The key of this instance's reference optimum (``Instances/referenceKey(_:instance:)``).
    public var referenceKey: String { Instances.referenceKey(label, instance: index) }
}

extension Registry {
    /// Instance `index` of `base`, which was selected with data seed `seed` (``Instances``): `base`
    /// itself for 0; for a seeded family its data drawn from seed `seed + index`; for a problem with a
    /// random initialization the draw from that seed; otherwise the standard x₀ perturbed.
    public func instance(_ index: Int, of base: ProblemInstance, seed: UInt64) throws(SpecError) -> ProblemInstance {
        precondition(index >= 0, "instance indices start at 0")
        guard index > 0 else { return base }
        let instanceSeed = Instances.seed(seed, instance: index)
        var problem = base.problem
        let start: [Double]?
        if base.seed != nil {
            guard let entry = problems.first(where: { $0.name == base.family }) else {
                throw .unknownName(kind: "problem", name: base.family, valid: problems.map(\.name))
            }
            (problem, start) = try entry.makeProblem(base.parameters, instanceSeed)
        } else if base.givenStart == nil, let random = base.problem as? any RandomInitialization {
            start = random.initialPoint(seed: instanceSeed)
        } else {
            start = Instances.perturbedStart(base.initialPoint(), seed: seed, instance: index)
        }
        let out = ProblemInstance(label: base.label, family: base.family, parameters: base.parameters,
                                  seed: base.seed.map { _ in instanceSeed }, problem: problem, index: index, start: start)
        try out.validate()
        return out
    }
}
