import DescentCore
import _DescentMath

// Test problems from J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing Unconstrained
// Optimization Software", ACM Transactions on Mathematical Software 7(1):17–41, 1981 (MGH).
// Each is f = Σ rᵢ² with the paper's residuals, standard starting point and stated minimum.
// Problem numbers are the paper's. Rosenbrock (#1) and extended Rosenbrock (#21) are in
// Rosenbrock.swift.

/// MGH #2, Freudenstein and Roth (n = 2, m = 2). x₀ = (0.5, −2). f* = 0 at (5, 4); descent methods
/// from x₀ usually stop at the local minimum f = 48.9842… near (11.41, −0.8968).
public struct FreudensteinRoth: Residuals {
    public init() {}
    public var dimension: Int { 2 }
    public var count: Int { 2 }
    public func start() -> [Double] { [0.5, -2] }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        let a = x[0], b = x[1]
        if i == 0 {
            if let row = row.cleared() { row[0] = 1; row[1] = (10 - 3 * b) * b - 2 }
            return -13 + a + ((5 - b) * b - 2) * b
        }
        if let row = row.cleared() { row[0] = 1; row[1] = (3 * b + 2) * b - 14 }
        return -29 + a + ((b + 1) * b - 14) * b
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        h[3] += weight * (i == 0 ? 10 - 6 * x[1] : 6 * x[1] + 2)
    }
    public var analyticOptimum: Optimum? { Optimum(value: 0, point: [5, 4], source: .analytic) }
}

/// MGH #3, Powell badly scaled (n = 2, m = 2). x₀ = (0, 1). f* = 0 at (1.098…e-5, 9.106…).
public struct PowellBadlyScaled: Residuals {
    public init() {}
    public var dimension: Int { 2 }
    public var count: Int { 2 }
    public func start() -> [Double] { [0, 1] }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        if i == 0 {
            if let row = row.cleared() { row[0] = 1e4 * x[1]; row[1] = 1e4 * x[0] }
            return 1e4 * x[0] * x[1] - 1
        }
        let e0 = _exp(-x[0]), e1 = _exp(-x[1])
        if let row = row.cleared() { row[0] = -e0; row[1] = -e1 }
        return e0 + e1 - 1.0001
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        if i == 0 {
            h[1] += weight * 1e4
            h[2] += weight * 1e4
        } else {
            h[0] += weight * _exp(-x[0])
            h[3] += weight * _exp(-x[1])
        }
    }
}

/// MGH #4, Brown badly scaled (n = 2, m = 3). x₀ = (1, 1). f* = 0 at (10⁶, 2·10⁻⁶).
public struct BrownBadlyScaled: Residuals {
    public init() {}
    public var dimension: Int { 2 }
    public var count: Int { 3 }
    public func start() -> [Double] { [1, 1] }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        switch i {
        case 0:
            if let row = row.cleared() { row[0] = 1 }
            return x[0] - 1e6
        case 1:
            if let row = row.cleared() { row[1] = 1 }
            return x[1] - 2e-6
        default:
            if let row = row.cleared() { row[0] = x[1]; row[1] = x[0] }
            return x[0] * x[1] - 2
        }
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        if i == 2 {
            h[1] += weight
            h[2] += weight
        }
    }
    public var analyticOptimum: Optimum? { Optimum(value: 0, point: [1e6, 2e-6], source: .analytic) }
}

/// MGH #5, Beale (n = 2, m = 3): rᵢ = yᵢ − x₁(1 − x₂ⁱ), y = (1.5, 2.25, 2.625). x₀ = (1, 1). f* = 0 at (3, 0.5).
public struct Beale: Residuals {
    static let y = [1.5, 2.25, 2.625]
    public init() {}
    public var dimension: Int { 2 }
    public var count: Int { 3 }
    public func start() -> [Double] { [1, 1] }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        let k = Double(i + 1)
        let p = _pow(x[1], k)
        if let row = row.cleared() { row[0] = p - 1; row[1] = k * x[0] * _pow(x[1], k - 1) }
        return Self.y[i] - x[0] * (1 - p)
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        let k = Double(i + 1)
        let cross = k * _pow(x[1], k - 1)
        h[1] += weight * cross
        h[2] += weight * cross
        if k >= 2 { h[3] += weight * k * (k - 1) * x[0] * _pow(x[1], k - 2) }
    }
    public var analyticOptimum: Optimum? { Optimum(value: 0, point: [3, 0.5], source: .analytic) }
}

/// MGH #6, Jennrich and Sampson (n = 2, m = 10): rᵢ = 2 + 2i − (e^{i x₁} + e^{i x₂}), i = 1…10.
/// x₀ = (0.3, 0.4). f* = 124.362… at x₁ = x₂ = 0.2578 (literature, 6 digits).
public struct JennrichSampson: Residuals {
    public init() {}
    public var dimension: Int { 2 }
    public var count: Int { 10 }
    public func start() -> [Double] { [0.3, 0.4] }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        let k = Double(i + 1)
        let e0 = _exp(k * x[0]), e1 = _exp(k * x[1])
        if let row = row.cleared() { row[0] = -k * e0; row[1] = -k * e1 }
        return 2 + 2 * k - (e0 + e1)
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        let k = Double(i + 1)
        h[0] -= weight * k * k * _exp(k * x[0])
        h[3] -= weight * k * k * _exp(k * x[1])
    }
}

/// MGH #7, helical valley (n = 3, m = 3): r = (10(x₃ − 10θ), 10(√(x₁² + x₂²) − 1), x₃),
/// 2πθ = arctan(x₂/x₁) (+π when x₁ < 0). x₀ = (−1, 0, 0). f* = 0 at (1, 0, 0).
public struct HelicalValley: Residuals {
    public init() {}
    public var dimension: Int { 3 }
    public var count: Int { 3 }
    public func start() -> [Double] { [-1, 0, 0] }
    static func theta(_ a: Double, _ b: Double) -> Double {
        if a > 0 { return _atan(b / a) / (2 * Double.pi) }
        if a < 0 { return _atan(b / a) / (2 * Double.pi) + 0.5 }
        return b >= 0 ? 0.25 : -0.25
    }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        let a = x[0], b = x[1], rho = a * a + b * b
        switch i {
        case 0:
            if let row = row.cleared() {
                row[0] = 100 * b / (2 * Double.pi * rho)
                row[1] = -100 * a / (2 * Double.pi * rho)
                row[2] = 10
            }
            return 10 * (x[2] - 10 * Self.theta(a, b))
        case 1:
            let s = rho.squareRoot()
            if let row = row.cleared() { row[0] = 10 * a / s; row[1] = 10 * b / s }
            return 10 * (s - 1)
        default:
            if let row = row.cleared() { row[2] = 1 }
            return x[2]
        }
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        let a = x[0], b = x[1], rho = a * a + b * b
        if i == 0 {
            // r₀ = 10x₃ − 100θ; ∂²θ: θ₁₁ = 2ab/(2πρ²), θ₂₂ = −2ab/(2πρ²), θ₁₂ = (b² − a²)/(2πρ²)
            let c = -100 / (2 * Double.pi * rho * rho)
            h[0] += weight * c * 2 * a * b
            h[4] += weight * c * -2 * a * b
            h[1] += weight * c * (b * b - a * a)
            h[3] += weight * c * (b * b - a * a)
        } else if i == 1 {
            let c = 10 / (rho * rho.squareRoot())
            h[0] += weight * c * b * b
            h[4] += weight * c * a * a
            h[1] -= weight * c * a * b
            h[3] -= weight * c * a * b
        }
    }
    public var analyticOptimum: Optimum? { Optimum(value: 0, point: [1, 0, 0], source: .analytic) }
}

/// MGH #8, Bard (n = 3, m = 15): rᵢ = yᵢ − (x₁ + uᵢ/(vᵢx₂ + wᵢx₃)), uᵢ = i, vᵢ = 16 − i, wᵢ = min(uᵢ, vᵢ).
/// x₀ = (1, 1, 1). f* = 8.21487…e-3 (literature).
public struct Bard: Residuals {
    static let y = [0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39]
    public init() {}
    public var dimension: Int { 3 }
    public var count: Int { 15 }
    public func start() -> [Double] { [1, 1, 1] }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        let u = Double(i + 1), v = 16 - u, w = Swift.min(u, v)
        let d = v * x[1] + w * x[2]
        if let row = row.cleared() { row[0] = -1; row[1] = u * v / (d * d); row[2] = u * w / (d * d) }
        return Self.y[i] - (x[0] + u / d)
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        let u = Double(i + 1), v = 16 - u, w = Swift.min(u, v)
        let d = v * x[1] + w * x[2]
        let c = -2 * u / (d * d * d)
        h[4] += weight * c * v * v
        h[5] += weight * c * v * w
        h[7] += weight * c * v * w
        h[8] += weight * c * w * w
    }
}

/// MGH #12, Box three-dimensional (n = 3, m = 10): rᵢ = e^{−tᵢx₁} − e^{−tᵢx₂} − x₃(e^{−tᵢ} − e^{−10tᵢ}),
/// tᵢ = 0.1i. x₀ = (0, 10, 20). f* = 0 at (1, 10, 1) (also (10, 1, −1) and x₁ = x₂, x₃ = 0).
public struct BoxThreeDimensional: Residuals {
    public init() {}
    public var dimension: Int { 3 }
    public var count: Int { 10 }
    public func start() -> [Double] { [0, 10, 20] }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        let t = 0.1 * Double(i + 1)
        let e0 = _exp(-t * x[0]), e1 = _exp(-t * x[1]), c = _exp(-t) - _exp(-10 * t)
        if let row = row.cleared() { row[0] = -t * e0; row[1] = t * e1; row[2] = -c }
        return e0 - e1 - x[2] * c
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        let t = 0.1 * Double(i + 1)
        h[0] += weight * t * t * _exp(-t * x[0])
        h[4] -= weight * t * t * _exp(-t * x[1])
    }
    public var analyticOptimum: Optimum? { Optimum(value: 0, point: [1, 10, 1], source: .analytic) }
}

/// MGH #13 and #22, (extended) Powell singular (n a multiple of 4, m = n): per block of four,
/// (x₁ + 10x₂, √5(x₃ − x₄), (x₂ − 2x₃)², √10(x₁ − x₄)²). x₀ = (3, −1, 0, 1, …). f* = 0 at 0,
/// where the Hessian is singular.
public struct PowellSingular: Residuals {
    public let dimension: Int
    /// n = 4 is MGH #13; larger multiples of 4 are #22.
    public init(dimension: Int = 4) {
        precondition(dimension >= 4 && dimension % 4 == 0, "Powell singular needs n a multiple of 4")
        self.dimension = dimension
    }
    public var count: Int { dimension }
    public func start() -> [Double] { (0..<dimension).map { [3.0, -1, 0, 1][$0 % 4] } }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        let b = i - i % 4
        let row = row.cleared()
        switch i % 4 {
        case 0:
            row?[b] = 1; row?[b + 1] = 10
            return x[b] + 10 * x[b + 1]
        case 1:
            let s = 5.0.squareRoot()
            row?[b + 2] = s; row?[b + 3] = -s
            return s * (x[b + 2] - x[b + 3])
        case 2:
            let d = x[b + 1] - 2 * x[b + 2]
            row?[b + 1] = 2 * d; row?[b + 2] = -4 * d
            return d * d
        default:
            let s = 10.0.squareRoot(), d = x[b] - x[b + 3]
            row?[b] = 2 * s * d; row?[b + 3] = -2 * s * d
            return s * d * d
        }
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        let n = dimension, b = i - i % 4
        if i % 4 == 2 {
            // ∇²(x₂ − 2x₃)² = 2 (0, 1, −2, 0)(0, 1, −2, 0)ᵀ
            h[(b + 1) * n + b + 1] += 2 * weight
            h[(b + 1) * n + b + 2] -= 4 * weight
            h[(b + 2) * n + b + 1] -= 4 * weight
            h[(b + 2) * n + b + 2] += 8 * weight
        } else if i % 4 == 3 {
            let c = 2 * 10.0.squareRoot() * weight
            h[b * n + b] += c
            h[b * n + b + 3] -= c
            h[(b + 3) * n + b] -= c
            h[(b + 3) * n + b + 3] += c
        }
    }
    public var analyticOptimum: Optimum? {
        Optimum(value: 0, point: [Double](repeating: 0, count: dimension), source: .analytic)
    }
}

/// MGH #14, Wood (n = 4, m = 6): (10(x₂ − x₁²), 1 − x₁, √90(x₄ − x₃²), 1 − x₃, √10(x₂ + x₄ − 2),
/// (x₂ − x₄)/√10). x₀ = (−3, −1, −3, −1). f* = 0 at (1, 1, 1, 1).
public struct Wood: Residuals {
    public init() {}
    public var dimension: Int { 4 }
    public var count: Int { 6 }
    public func start() -> [Double] { [-3, -1, -3, -1] }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        let row = row.cleared()
        let s90 = 90.0.squareRoot(), s10 = 10.0.squareRoot()
        switch i {
        case 0:
            row?[0] = -20 * x[0]; row?[1] = 10
            return 10 * (x[1] - x[0] * x[0])
        case 1:
            row?[0] = -1
            return 1 - x[0]
        case 2:
            row?[2] = -2 * s90 * x[2]; row?[3] = s90
            return s90 * (x[3] - x[2] * x[2])
        case 3:
            row?[2] = -1
            return 1 - x[2]
        case 4:
            row?[1] = s10; row?[3] = s10
            return s10 * (x[1] + x[3] - 2)
        default:
            row?[1] = 1 / s10; row?[3] = -1 / s10
            return (x[1] - x[3]) / s10
        }
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        if i == 0 { h[0] -= 20 * weight }
        if i == 2 { h[10] -= 2 * 90.0.squareRoot() * weight }
    }
    public var analyticOptimum: Optimum? { Optimum(value: 0, point: [1, 1, 1, 1], source: .analytic) }
}

/// MGH #23, penalty function I (n variable, m = n + 1): rᵢ = √a(xᵢ − 1), r_{n+1} = Σxⱼ² − ¼, a = 10⁻⁵.
/// x₀ⱼ = j. f* = 2.24997…e-5 (n = 4), 7.08765…e-5 (n = 10) (literature).
public struct PenaltyI: Residuals {
    public let dimension: Int
    public init(dimension: Int = 4) { self.dimension = dimension }
    public var count: Int { dimension + 1 }
    public func start() -> [Double] { (1...dimension).map(Double.init) }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        let a = 1e-5.squareRoot()
        if i < dimension {
            if let row = row.cleared() { row[i] = a }
            return a * (x[i] - 1)
        }
        var s = 0.0
        for j in 0..<dimension { s += x[j] * x[j] }
        if let row { for j in 0..<dimension { row[j] = 2 * x[j] } }
        return s - 0.25
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        if i == dimension { for j in 0..<dimension { h[j * dimension + j] += 2 * weight } }
    }
}

/// MGH #25, variably dimensioned (n variable, m = n + 2): rᵢ = xᵢ − 1, r_{n+1} = Σ j(xⱼ − 1),
/// r_{n+2} = (Σ j(xⱼ − 1))². x₀ⱼ = 1 − j/n. f* = 0 at (1, …, 1).
public struct VariablyDimensioned: Residuals {
    public let dimension: Int
    public init(dimension: Int = 10) { self.dimension = dimension }
    public var count: Int { dimension + 2 }
    public func start() -> [Double] { (1...dimension).map { 1 - Double($0) / Double(dimension) } }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        if i < dimension {
            if let row = row.cleared() { row[i] = 1 }
            return x[i] - 1
        }
        var s = 0.0
        for j in 0..<dimension { s += Double(j + 1) * (x[j] - 1) }
        let scale = i == dimension ? 1 : 2 * s
        if let row { for j in 0..<dimension { row[j] = scale * Double(j + 1) } }
        return i == dimension ? s : s * s
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        guard i == dimension + 1 else { return }
        let n = dimension
        // The integer product (j+1)(k+1) is exact, so H stays exactly symmetric.
        for j in 0..<n { for k in 0..<n { h[j * n + k] += 2 * weight * Double((j + 1) * (k + 1)) } }
    }
    public var analyticOptimum: Optimum? {
        Optimum(value: 0, point: [Double](repeating: 1, count: dimension), source: .analytic)
    }
}

/// MGH #26, trigonometric (n variable, m = n): rᵢ = n − Σⱼ cos xⱼ + i(1 − cos xᵢ) − sin xᵢ.
/// x₀ⱼ = 1/n. The global minimum is f* = 0 at x = 0; descent from x₀ usually ends at a local minimum.
public struct Trigonometric: Residuals {
    public let dimension: Int
    public init(dimension: Int = 10) { self.dimension = dimension }
    public var count: Int { dimension }
    public func start() -> [Double] { [Double](repeating: 1 / Double(dimension), count: dimension) }
    public func residual(_ i: Int, at x: Vector, gradient row: GradientRow?) -> Double {
        var s = 0.0
        for j in 0..<dimension { s += _cos(x[j]) }
        let k = Double(i + 1)
        if let row {
            for j in 0..<dimension { row[j] = _sin(x[j]) }
            row[i] += k * _sin(x[i]) - _cos(x[i])
        }
        return Double(dimension) - s + k * (1 - _cos(x[i])) - _sin(x[i])
    }
    public func addHessian(of i: Int, at x: Vector, weight: Double, into h: Vector) {
        let n = dimension, k = Double(i + 1)
        for j in 0..<n { h[j * n + j] += weight * _cos(x[j]) }
        h[i * n + i] += weight * (k * _cos(x[i]) + _sin(x[i]))
    }
    public var analyticOptimum: Optimum? {
        Optimum(value: 0, point: [Double](repeating: 0, count: dimension), source: .analytic)
    }
}
