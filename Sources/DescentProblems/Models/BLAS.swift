import DescentCore
import _DescentBLAS

/// OpenBLAS's row-major dgemm for the model problems (softmax regression, MLP), loaded on first use
/// (see `_DescentBLAS` for why it is opened rather than linked).
public enum BLAS {
    /// Loads OpenBLAS, or throws a message naming what is missing and how to install it.
    public static func load() throws(BLASUnavailable) {
        var message = [CChar](repeating: 0, count: 512)
        guard descent_blas_load(&message, Int32(message.count)) == 0 else {
            throw BLASUnavailable(message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    /// The number of threads OpenBLAS uses (1 unless `DESCENT_BLAS_THREADS` or ``setThreads(_:)`` says otherwise).
    public static var threads: Int { Int(descent_blas_threads()) }

    /// Sets OpenBLAS's thread count (after ``load()``).
    public static func setThreads(_ count: Int) { descent_blas_set_threads(Int32(count)) }

    /// OpenBLAS's build configuration and kernel family, for provenance.
    public static var configuration: String {
        String(cString: descent_blas_config()) + " (kernels: " + String(cString: descent_blas_core()) + ")"
    }

    /// C ← α·op(A)·op(B) + β·C with row-major m × k op(A), k × n op(B), m × n C; `lda`, `ldb`, `ldc` are
    /// the row strides of A, B and C as stored. Does not allocate.
    @inline(__always)
    static func gemm(_ transposeA: Bool, _ transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double = 1,
                     _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int,
                     beta: Double = 0, _ c: UnsafeMutablePointer<Double>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        descent_dgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda),
                      b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// OpenBLAS could not be loaded.
public struct BLASUnavailable: Error, CustomStringConvertible, Sendable {
    /// What is missing and how to install it.
    public let message: String
    public var description: String { message }
}
