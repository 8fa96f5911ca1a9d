import GSL
import Testing

@Suite("GSL binding")
struct GSLTests {
    @Test("Cholesky solve of a 3 × 3 SPD system")
    func cholesky() throws {
        // A = [[4,2,0],[2,5,1],[0,1,3]], x = (1, −1, 2) ⇒ b = A x = (2, −1, 5).
        let x = try LinearAlgebra.choleskySolve([4, 2, 0, 2, 5, 1, 0, 1, 3], [2, -1, 5])
        for (a, b) in zip(x, [1.0, -1, 2]) { #expect(Swift.abs(a - b) < 1e-14) }
    }

    @Test("a matrix that is not positive definite becomes a GSLError, not an abort")
    func notPositiveDefinite() {
        #expect(throws: GSLError.self) { try LinearAlgebra.choleskySolve([1, 2, 2, 1], [1, 1]) }
        do {
            _ = try LinearAlgebra.choleskySolve([1, 2, 2, 1], [1, 1])
        } catch {
            #expect(error.code == 1)  // GSL_EDOM
            #expect(error.description.contains("gsl_linalg_cholesky_decomp1"))
        }
    }

    @Test("symmetric eigenvalues, ascending")
    func eigenvalues() throws {
        let values = try LinearAlgebra.symmetricEigenvalues([2, 1, 1, 2], dimension: 2)
        #expect(Swift.abs(values[0] - 1) < 1e-14 && Swift.abs(values[1] - 3) < 1e-14)
    }

    @Test("the QR factor is orthogonal")
    func orthogonal() throws {
        let q = try LinearAlgebra.orthogonalFactor([1, 2, 3, 4, 5, 6, 7, 8, 10], dimension: 3)
        for i in 0..<3 {
            for j in 0..<3 {
                var s = 0.0
                for k in 0..<3 { s += q[k * 3 + i] * q[k * 3 + j] }
                #expect(Swift.abs(s - (i == j ? 1 : 0)) < 1e-14)
            }
        }
    }

    @Test("the version is 2.x")
    func version() { #expect(GSL.version.hasPrefix("2.")) }
}
