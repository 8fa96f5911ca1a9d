import Testing

/// Expects `a` and `b` to agree elementwise to `relative` · max(1, |b|).
public func expectClose(_ a: [Double], _ b: [Double], relative: Double, _ comment: Comment? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, comment, sourceLocation: sourceLocation)
    for (u, v) in zip(a, b) {
        #expect(Swift.abs(u - v) <= relative * Swift.max(1, Swift.abs(v)), "\(u) vs \(v) \(comment.map { "\($0)" } ?? "")",
                sourceLocation: sourceLocation)
    }
}
