import Synchronization

/// Scratch buffers a model problem reuses across gradient calls, so no call allocates: allocated
/// once when the problem is built, freed with it. Calls take a lock, so a problem shared between
/// threads stays correct (they take turns; the harness runs one problem per thread anyway).
final class ScratchBuffers: Sendable {
    private let lock = Mutex(())
    /// The buffers, with the sizes given at creation.
    nonisolated(unsafe) private let buffers: [UnsafeMutablePointer<Double>]

    /// Allocates one zeroed buffer per entry of `sizes`.
    init(sizes: [Int]) {
        buffers = sizes.map { size in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(size, 1))
            p.initialize(repeating: 0, count: Swift.max(size, 1))
            return p
        }
    }

    deinit { for p in buffers { p.deallocate() } }

    /// Runs `body` with the buffers, holding the lock.
    func with<R: Sendable>(_ body: ([UnsafeMutablePointer<Double>]) -> R) -> R {
        lock.withLock { _ in body(buffers) }
    }
}

/// Rows of a row-major matrix for a batch of sample indices (nil: every row): a pointer into the
/// matrix itself when the batch is a run of consecutive rows in order (full-batch and unshuffled
/// runs), else the rows gathered into `scratch` in batch order.
@inline(__always)
func batchRows(_ matrix: UnsafePointer<Double>, columns: Int, batch: ArraySlice<Int>?,
               scratch: UnsafeMutablePointer<Double>) -> UnsafePointer<Double> {
    guard let batch else { return matrix }
    guard let first = batch.first else { return matrix }
    var consecutive = true
    var expected = first
    for i in batch {
        if i != expected { consecutive = false; break }
        expected += 1
    }
    if consecutive { return matrix + first * columns }
    var row = 0
    for i in batch {
        (scratch + row * columns).update(from: matrix + i * columns, count: columns)
        row += 1
    }
    return UnsafePointer(scratch)
}

/// Mean loss and accuracy (argmax of the row, first maximum on ties) of `count` rows of `classes`
/// outputs against `labels`, with `loss(row, label)` the loss of one row.
@inline(__always)
func classificationScore(_ outputs: UnsafeMutablePointer<Double>, count: Int, classes k: Int, labels: [Int],
                         loss: (UnsafeMutablePointer<Double>, Int) -> Double) -> (loss: Double, accuracy: Double?) {
    var total = 0.0, correct = 0
    for i in 0..<count {
        let row = outputs + i * k
        var best = 0
        for c in 1..<Swift.max(k, 1) where row[c] > row[best] { best = c }
        if best == labels[i] { correct += 1 }
        total += loss(row, labels[i])
    }
    return (total / Double(count), Double(correct) / Double(count))
}

/// Calls `body` with each sample index of `batch` in order, or of 0..<count when `batch` is nil (the
/// full objective). Concrete types rather than a generic collection: the debug build's optimized
/// modules did not specialize the generic form, and it allocated 238 times a step.
@inline(__always)
func forEachRow(_ batch: ArraySlice<Int>?, count: Int, _ body: (Int) -> Void) {
    if let batch { for i in batch { body(i) } } else { for i in 0..<count { body(i) } }
}
