import DescentCore
import Testing

/// Writes, at each coordinate it is run on, how many coordinates that call covered (8 or 1).
private struct MarkWidth: CoordinateBody {
    let marks: UnsafeMutablePointer<Double>
    func run<V: Coordinates>(at i: Int, as width: V.Type) {
        V(lanes: Double(MemoryLayout<V>.size / MemoryLayout<Double>.size)).store(to: marks + i)
    }
}

/// The terms vᵢ and vᵢ² at one coordinate or eight.
private struct Squares: SummedCoordinateBody {
    let v: UnsafePointer<Double>
    func terms<V: Coordinates>(at i: Int, as width: V.Type) -> (V, V) {
        let x = V.load(v + i)
        return (x, x * x)
    }
}

@Suite("The eight-lanes-then-tail loop, written once")
struct CoordinateLoopsTests {
    @Test("forEachBlock covers each coordinate once: blocks of eight from the lower bound, then one by one",
          arguments: [0..<0, 3..<3, 5..<12, 16..<43, 0..<8, 7..<1_030])
    func blocks(range: Range<Int>) {
        let marks = UnsafeMutablePointer<Double>.allocate(capacity: 1_040)
        defer { marks.deallocate() }
        marks.initialize(repeating: 0, count: 1_040)
        VectorMath.forEachBlock(in: range, MarkWidth(marks: marks))
        let blocked = range.count / 8 * 8
        let expected = (0..<1_040).map { i -> Double in
            guard range.contains(i) else { return 0 }
            return i - range.lowerBound < blocked ? 8 : 1
        }
        #expect(Array(UnsafeBufferPointer(start: marks, count: 1_040)) == expected)
    }

    @Test("Sums fed by a loop body, in pieces, equal the sums of the terms one by one, bit for bit")
    func sums() {
        var rng = SeededGenerator(seed: 11)
        let n = 1_003
        let values = (0..<n).map { _ in rng.nextNormal() * 1e3 }
        values.withUnsafeBufferPointer { p in
            let v = p.baseAddress!
            var byTerm = VectorMath.Sums(), byBody = VectorMath.Sums()
            byTerm.add(0..<n) { (v[$0], v[$0] * v[$0]) }
            for piece in [0..<16, 16..<512, 512..<n] { byBody.add(piece, Squares(v: v)) }
            #expect(byBody.totals.0.bitPattern == byTerm.totals.0.bitPattern)
            #expect(byBody.totals.1.bitPattern == byTerm.totals.1.bitPattern)
            #expect(byBody.totals.1 == VectorMath.dot(v, v, n))
            // A ragged end alone (fewer than eight terms) is one block whose unused lanes add nothing.
            var tail = VectorMath.Sums(), tailByTerm = VectorMath.Sums()
            tail.add(0..<5, Squares(v: v))
            tailByTerm.add(0..<5) { (v[$0], v[$0] * v[$0]) }
            #expect(tail.totals.1.bitPattern == tailByTerm.totals.1.bitPattern)
        }
    }
}
