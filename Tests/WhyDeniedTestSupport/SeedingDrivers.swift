import Foundation
import WhyDeniedRunner

/// The CLI drivers every sandbox of this test process seeds through: a driver's start (importing
/// botocore and awscli) is about 0.4 s of CPU, paid once per process instead of once per sandbox.
/// Each command still carries its own sandbox's environment (endpoint, config and credential
/// files); the drivers end with the process (their sockets close).
public enum SeedingDrivers {
    public static let shared = ResidentAWSCLI(workers: max(1, ProcessInfo.processInfo.activeProcessorCount))
}
