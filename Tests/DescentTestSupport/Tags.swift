import Testing

extension Tag {
    /// Slow tests that exercise the whole suite end to end: they start the `suite` binary as a child
    /// process (workers, signals, locks) or run whole selections and compare the folders written.
    /// `swift test --skip tag:endToEnd` runs the fast tests alone; `--filter tag:endToEnd` these.
    @Tag public static var endToEnd: Self
}
