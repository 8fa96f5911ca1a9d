import _DescentMath

/// 10^k.
@inline(__always) func _pow10(_ k: Int) -> Double { _pow(10, Double(k)) }
