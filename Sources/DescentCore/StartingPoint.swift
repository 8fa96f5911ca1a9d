/// The starting point belongs to the run, not to the problem (as Optim.jl passes x0 to `optimize`):
/// a ``Problem`` offers its standard x₀ (``Problem/initialPoint()``, the literature's), a
/// ``ProblemInstance`` may carry another (``ProblemInstance/givenStart``), and the run driver
/// (``Harness/run(problem:from:method:optimalValue:options:)``) receives the x₀ it starts from.
extension ProblemInstance {
    /// The x₀ that run seed `runSeed` starts from: the instance's given start if it has one; else,
    /// for a problem with a random initialization (``RandomInitialization``), its draw from
    /// `runSeed` (the standard point is the draw for the instance's own seed); else the standard point.
    public func forRun(seed runSeed: UInt64) -> [Double] {
        if let givenStart { return givenStart }
        if let random = problem as? any RandomInitialization, runSeed != seed { return random.initialPoint(seed: runSeed) }
        return problem.initialPoint()
    }
}

extension ProblemEntry {
    /// This family with `extra` parameters appended (those it already declares are left out), whose
    /// x₀ is `start`'s answer given the problem made, the x₀ its family gave (`nil`: the standard
    /// point), the resolved parameters and the seed.
    public func extended(with extra: [ParameterSpec],
                         start: @escaping @Sendable (any Problem, [Double]?, ParameterSet, UInt64) throws(SpecError) -> [Double]?)
        -> ProblemEntry {
        let added = extra.filter { e in !parameters.contains { $0.name == e.name } }
        let base = self
        return ProblemEntry(name: name, summary: summary, parameters: parameters + added, seeded: isSeeded, citation: citation,
                            literatureMinimum: literatureMinimum, template: isTemplate, factory: { set, seed throws(SpecError) in
            let made = try base.makeProblem(set, seed)
            return (made.problem, try start(made.problem, made.start, set, seed))
        })
    }
}
