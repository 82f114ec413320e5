import WhyDeniedSession

extension AWSCommandRunner: SessionEffects {
    /// Existence on PATH only; nothing is run. A replay needs no tools.
    public func isToolAvailable(_ name: String) async -> Bool {
        if !needsExecutableForRuns { return true }
        if name == "aws" { return locateCLI() != nil }
        return ExecutableLocator.find(name, path: environmentPath) != nil
    }
}
