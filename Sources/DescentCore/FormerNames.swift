// Former names of #27's renames, kept only while the rules in DescentOptimizers (rewritten for
// #27's item 2) move to the new ones; delete this file once nothing uses them.

/// Former name of ``Coordinates`` (one or eight coordinates, not a state vector).
public typealias Lane = Coordinates
/// Former name of ``StateCursor``.
public typealias LaneCursor<V: Coordinates> = StateCursor<V>
/// Former name of ``StateVectors``.
public typealias StateLanes = StateVectors
/// Former name of ``VectorMath``.
public typealias Kernels = VectorMath
