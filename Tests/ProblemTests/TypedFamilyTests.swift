import DescentCore
import DescentProblems
import Testing

@Suite("Built-in families declared with @Parameter: files, checks between parameters, messages")
struct TypedFamilyTests {
    @Test("file parameters (and only they) are paths, resolved by instance files and fingerprinted by content")
    func paths() {
        let files: Set = ["data", "x", "y", "a", "b", "x0", "start_file"]
        for entry in BuiltinProblems.all {
            for p in entry.parameters {
                #expect(p.isPath == files.contains(p.name), "\(entry.name).\(p.name)")
            }
        }
    }

    @Test("checks between parameters run in validate(), before any data is made, with the messages they always had")
    func checks() {
        for (spec, message) in [
            ("extended-rosenbrock(n=3)", "n must be even, got 3"),
            ("quadratic(n=3000)", "n = 3000 is above the dense limit 2000; add rotated=false"),
            ("powell-singular(n=6)", "n must be a multiple of 4, got 6"),
            ("least-squares(samples=2,features=5)", "needs samples >= features, or lambda > 0"),
            ("logistic-data(lambda=0)", "lambda must be > 0 for a certified f*"),
            ("softmax-regression(lambda=0)", "lambda must be > 0 for a certified f*"),
            ("quadratic-deep(n=2001)", "n must be at most 2000"),
            ("mlp(hidden=0)", "hidden must be comma-separated widths from 1 to 100000 (hidden=64,32), got '0'"),
            ("quadratic(spectrum=flat)", "one of log, uniform, clustered"),
            ("diagonal-quadratic", "give the arrays: diagonal-quadratic(a=A.npy,b=B.npy[,x0=X0.npy])"),
        ] {
            let error = #expect(throws: SpecError.self) { try instance(spec) }
            #expect(error.map { "\($0)".contains(message) } == true, "\(spec): \(String(describing: error))")
        }
    }

    @Test("choice parameters reach the problem typed")
    func choices() throws {
        let q = try #require(try instance("quadratic(n=4,spectrum=uniform,rotated=false,linear=ones)").problem as? Quadratic)
        #expect(!q.isRotated && q.eigenvalues == [1, 34, 67, 100])
    }
}
