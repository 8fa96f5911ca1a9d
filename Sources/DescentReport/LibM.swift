// The few libm functions the report needs, in one place (Glibc on Linux, Darwin on macOS).
#if canImport(Glibc)
import Glibc
@inline(__always) func _log10(_ x: Double) -> Double { Glibc.log10(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
@inline(__always) func _erfc(_ x: Double) -> Double { Glibc.erfc(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func _log10(_ x: Double) -> Double { Darwin.log10(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
@inline(__always) func _erfc(_ x: Double) -> Double { Darwin.erfc(x) }
#endif

/// 10^k.
@inline(__always) func _pow10(_ k: Int) -> Double { _pow(10, Double(k)) }
