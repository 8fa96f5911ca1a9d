import DescentCore

extension ProblemEntry {
    /// This family with the parameters every built-in family has for x₀: `start` (`standard`, a
    /// number c for x₀ = (c, …, c), or `perturb:σ` for the standard point plus seeded N(0, σ²) noise
    /// drawn from the run's seed) and `start_file` (x₀ from a `.npy` or raw float64 file of n values).
    /// A family that declares its own `start` (the parabola's θ₀) keeps it and gets `start_file` only.
    public func withStartingPoints() -> ProblemEntry {
        let owner = name
        return extended(with: [
            ParameterSpec("start", default: .text("standard"),
                          "x₀: standard, a number c (every coordinate c), or perturb:σ (standard point + seeded N(0, σ²) noise)"),
            ParameterSpec("start_file", default: .text("-"), "x₀ from a .npy or raw float64 file of n values", isPath: true),
        ]) { problem, given, p, seed throws(SpecError) in
            let n = problem.dimension
            if case .text(let path) = p["start_file"], path != "-" {
                guard case .text("standard") = p["start"] else {
                    throw .invalid(owner: owner, "give start or start_file, not both")
                }
                // The length is checked from the header or the file's size before any value is read.
                let file: ArrayFile
                do {
                    let shape = try ArrayFile.shape(path: path, columns: 1)
                    guard shape.rows * shape.columns == n else {
                        throw SpecError.invalid(owner: owner, "start_file: \(path) has \(shape.rows * shape.columns) values; the problem has n = \(n)")
                    }
                    file = try ArrayFile(path: path, columns: 1, rows: n)
                } catch let error as SpecError {
                    throw error
                } catch {
                    throw .invalid(owner: owner, "start_file: \(error)")
                }
                return file.values
            }
            guard case .text(let text) = p["start"], text != "standard" else { return given }
            if let c = Double(text), c.isFinite { return [Double](repeating: c, count: n) }
            if text.hasPrefix("perturb:"), let sigma = Double(text.dropFirst(8)), sigma.isFinite, sigma > 0 {
                var rng = SeededGenerator(seed: seed ^ 0x2545_F491_4F6C_DD1D)
                return (given ?? problem.initialPoint()).map { $0 + sigma * rng.nextNormal() }
            }
            throw .invalid(owner: owner, "start must be standard, a finite number, or perturb:σ with σ > 0 (perturb:0.1), got '\(text)'")
        }
    }
}
