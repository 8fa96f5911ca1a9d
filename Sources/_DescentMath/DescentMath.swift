// The C library's elementary functions, declared once for every module (Glibc on Linux, Darwin on
// macOS): the numeric modules import `_DescentMath` instead of each wrapping libm again. Each is
// inlined into its caller, a direct call of the C function, so results are the C library's bits.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// x to the power y (C `pow`).
@inlinable @inline(__always) public func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
/// e to the power x (C `exp`).
@inlinable @inline(__always) public func _exp(_ x: Double) -> Double { exp(x) }
/// ln x (C `log`).
@inlinable @inline(__always) public func _log(_ x: Double) -> Double { log(x) }
/// ln(1 + x) (C `log1p`).
@inlinable @inline(__always) public func _log1p(_ x: Double) -> Double { log1p(x) }
/// log₁₀ x (C `log10`).
@inlinable @inline(__always) public func _log10(_ x: Double) -> Double { log10(x) }
/// cos x (C `cos`).
@inlinable @inline(__always) public func _cos(_ x: Double) -> Double { cos(x) }
/// sin x (C `sin`).
@inlinable @inline(__always) public func _sin(_ x: Double) -> Double { sin(x) }
/// arctan x (C `atan`).
@inlinable @inline(__always) public func _atan(_ x: Double) -> Double { atan(x) }
/// tanh x (C `tanh`).
@inlinable @inline(__always) public func _tanh(_ x: Double) -> Double { tanh(x) }
/// erf x (C `erf`).
@inlinable @inline(__always) public func _erf(_ x: Double) -> Double { erf(x) }
/// erfc x (C `erfc`).
@inlinable @inline(__always) public func _erfc(_ x: Double) -> Double { erfc(x) }
