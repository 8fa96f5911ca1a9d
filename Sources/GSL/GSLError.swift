import _CGSL

/// A GSL status code turned into a Swift error.
///
/// GSL's default error handler calls `abort()`. Descent turns it off once, before the
/// first GSL call (see ``GSL/prepare()``), and converts every non-zero status into this error.
public struct GSLError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The GSL status code (`GSL_EDOM`, `GSL_ENOPROG`, ...).
    public let code: Int32
    /// The GSL function that reported it.
    public let function: String

    /// Creates an error for `code` reported by `function`.
    public init(code: Int32, function: String) {
        self.code = code
        self.function = function
    }

    /// GSL's own text for the code (`gsl_strerror`).
    public var reason: String { String(cString: gsl_strerror(code)) }

    public var description: String { "GSL error \(code) in \(function): \(reason)" }
}

/// Process-wide GSL set-up and version information.
public enum GSL {
    /// Turns off GSL's abort-on-error handler; runs once, thread-safely, on first use.
    private static let handlerOff: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// Ensures GSL reports errors as status codes instead of aborting. Idempotent.
    @inline(__always)
    public static func prepare() {
        _ = handlerOff
    }

    /// The GSL library version string, for example `2.7.1`.
    public static var version: String { String(cString: descent_gsl_version()) }

    /// Throws ``GSLError`` when `status` is not `GSL_SUCCESS`.
    @inline(__always)
    static func check(_ status: Int32, _ function: String) throws(GSLError) {
        if status != GSL_SUCCESS { throw GSLError(code: status, function: function) }
    }
}
