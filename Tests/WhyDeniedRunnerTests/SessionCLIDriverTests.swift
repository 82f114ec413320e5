import Testing
import WhyDeniedRunner

/// `WHYDENIED_AWS_DRIVER` chooses how a session's commands start; a value it does not know is an
/// error that names the variable and the choices, never a silent default.
struct SessionCLIDriverTests {
    @Test func unsetOrEmptyIsProcesses() throws {
        #expect(try SessionCLIDriver(environment: [:]) == .processes)
        #expect(try SessionCLIDriver(environment: ["WHYDENIED_AWS_DRIVER": ""]) == .processes)
        #expect(try SessionCLIDriver(environment: ["WHYDENIED_AWS_DRIVER": "resident"]) == .resident)
        #expect(try SessionCLIDriver(environment: ["WHYDENIED_AWS_DRIVER": "processes"]) == .processes)
    }

    /// A batch's default is the resident driver; the variable still chooses either way.
    @Test func aBatchsUnsetIsResident() throws {
        #expect(try SessionCLIDriver(environment: [:], unset: .resident) == .resident)
        #expect(try SessionCLIDriver(environment: ["WHYDENIED_AWS_DRIVER": ""], unset: .resident) == .resident)
        #expect(try SessionCLIDriver(environment: ["WHYDENIED_AWS_DRIVER": "processes"], unset: .resident) == .processes)
    }

    @Test func anUnknownValueIsNamed() {
        #expect {
            try SessionCLIDriver(environment: ["WHYDENIED_AWS_DRIVER": "fast"])
        } throws: { error in
            "\(error)" == "WHYDENIED_AWS_DRIVER=fast: expected one of processes, resident"
        }
    }

    @Test func eachChoiceHasItsLauncher() {
        #expect(SessionCLIDriver.processes.launcher() is ChildProcess)
        #expect(SessionCLIDriver.resident.launcher() is ResidentAWSCLI)
    }
}
