import DescentCore
import DescentProblems
import Foundation
import Testing

@Suite("Array files: NumPy .npy and raw float64 data for logistic-arrays")
struct ArrayFileTests {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "descent-arrays-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Bytes of `values` as little-endian float64.
    func raw(_ values: [Double]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } } }

    @Test("a .npy file written by numpy 2.x (header checked byte for byte) reads back with its shape")
    func npy() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // numpy.save of np.array([[1.5, -2.0], [0.25, 3.0], [4.0, -0.5]]): version 1.0, header padded to 128 bytes.
        let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }"
        let header = dict + String(repeating: " ", count: 128 - 10 - dict.count - 1) + "\n"
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
            + raw([1.5, -2.0, 0.25, 3.0, 4.0, -0.5])
        #expect((bytes.count - 6 * 8) % 64 == 0)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/x.npy"))
        let a = try ArrayFile(path: dir + "/x.npy")
        #expect(a.rows == 3 && a.columns == 2 && a.values == [1.5, -2.0, 0.25, 3.0, 4.0, -0.5])
        #expect(throws: DataError.self) { try ArrayFile(path: dir + "/x.npy", columns: 3) }
    }

    @Test("raw float64 needs the column count and a whole number of rows; logistic-arrays fits the data")
    func rawAndProblem() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let x: [Double] = [1, 2, -1, 0.5, 0.3, -2, 2, 1]
        try Data(raw(x)).write(to: URL(fileURLWithPath: dir + "/X.f64"))
        try Data(raw([1, -1, 1, -1])).write(to: URL(fileURLWithPath: dir + "/y.f64"))
        #expect(try ArrayFile(path: dir + "/X.f64", columns: 2).rows == 4)
        do {
            _ = try ArrayFile(path: dir + "/X.f64", columns: 3)
            Issue.record("a ragged raw file was accepted")
        } catch {
            #expect("\(error)".contains("is not a whole number of rows of 3 float64 values"))
        }
        let spec = try Spec(parsing: "logistic-arrays(x=\(dir)/X.f64,y=\(dir)/y.f64,features=2,lambda=0.1)")
        let instance = try BuiltinProblems.logisticArrays.instantiate(spec, seed: 0)
        let direct = LogisticRegression(features: x, labels: [1, -1, 1, -1], dimension: 2, regularization: 0.1)
        let w = Vector([0.3, -0.2])
        #expect(instance.problem.value(at: w) == direct.value(at: w))
        let missing = try Spec(parsing: "logistic-arrays(x=\(dir)/X.f64,y=\(dir)/y.f64)")
        do {
            _ = try BuiltinProblems.logisticArrays.instantiate(missing, seed: 0)
            Issue.record("a raw X without features= was accepted")
        } catch {
            #expect("\(error)".contains("needs its number of columns"))
        }
    }
}
