import _CGSL

/// Owns a `gsl_vector`; freed in `deinit`. Internal: raw pointers never leave this module.
final class GSLVector {
    let raw: UnsafeMutablePointer<gsl_vector>
    let count: Int

    init(count: Int) {
        precondition(count > 0, "GSL vectors need at least one element")
        GSL.prepare()
        guard let v = gsl_vector_calloc(count) else { fatalError("gsl_vector_calloc(\(count)) failed: out of memory") }
        raw = v
        self.count = count
    }

    convenience init(_ values: [Double]) {
        self.init(count: values.count)
        for (i, v) in values.enumerated() { gsl_vector_set(raw, i, v) }
    }

    deinit { gsl_vector_free(raw) }

    var array: [Double] { (0..<count).map { gsl_vector_get(raw, $0) } }
}

/// Owns a `gsl_matrix` (row-major); freed in `deinit`.
final class GSLMatrix {
    let raw: UnsafeMutablePointer<gsl_matrix>
    let rows: Int
    let columns: Int

    init(rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0, "GSL matrices need at least one row and column")
        GSL.prepare()
        guard let m = gsl_matrix_calloc(rows, columns) else { fatalError("gsl_matrix_calloc(\(rows), \(columns)) failed: out of memory") }
        raw = m
        self.rows = rows
        self.columns = columns
    }

    /// Copies a row-major array of `rows × columns` values.
    convenience init(rows: Int, columns: Int, rowMajor values: [Double]) {
        precondition(values.count == rows * columns, "expected \(rows * columns) values, got \(values.count)")
        self.init(rows: rows, columns: columns)
        for i in 0..<rows {
            for j in 0..<columns { gsl_matrix_set(raw, i, j, values[i * columns + j]) }
        }
    }

    deinit { gsl_matrix_free(raw) }

    /// The matrix as a row-major array.
    var rowMajor: [Double] {
        var out = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns { out[i * columns + j] = gsl_matrix_get(raw, i, j) }
        }
        return out
    }
}
