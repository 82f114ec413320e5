import Foundation
import Testing
import WhyDeniedRunner
import WhyDeniedTestSupport

/// Which `aws` a session's resident driver may stand in for: only AWS CLI v1's own entry script,
/// found directly or behind a pyenv shim; never a wrapper, a binary or a script of another tool.
struct AWSCLIEntryPointTests {
    static let cliScript = """
        #!/opt/venv/bin/python3.11
        import sys
        import os

        if os.environ.get('LC_CTYPE', '') == 'UTF-8':
            os.environ['LC_CTYPE'] = 'en_US.UTF-8'
        import awscli.clidriver


        def main():
            return awscli.clidriver.main()

        """

    private func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("entry-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func theCLIsOwnScriptIsRunByItsPython() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let aws = folder.appendingPathComponent("aws")
        try ScenarioFakeCLI.writeExecutable(Self.cliScript, to: aws)
        let python = await AWSCLIEntryPoint.cliScriptPython(of: aws.path, environment: [:])
        #expect(python == "/opt/venv/bin/python3.11")
    }

    @Test func aWrapperAnotherPythonScriptOrABinaryIsNot() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wrapper = folder.appendingPathComponent("aws-vault-wrapper")
        try ScenarioFakeCLI.writeExecutable("#!/bin/sh\nexec aws-vault exec dev -- /usr/local/bin/aws \"$@\"\n", to: wrapper)
        let otherPython = folder.appendingPathComponent("aws-other")
        try ScenarioFakeCLI.writeExecutable("#!/usr/bin/python3\nprint('not the CLI')\n", to: otherPython)
        let wrapped = await AWSCLIEntryPoint.cliScriptPython(of: wrapper.path, environment: [:])
        let other = await AWSCLIEntryPoint.cliScriptPython(of: otherPython.path, environment: [:])
        let binary = await AWSCLIEntryPoint.cliScriptPython(of: "/bin/true", environment: [:])
        let missing = await AWSCLIEntryPoint.cliScriptPython(of: folder.appendingPathComponent("none").path, environment: [:])
        #expect(wrapped == nil && other == nil && binary == nil && missing == nil)
    }

    /// A pyenv shim (the text pyenv writes) is followed to the script `pyenv which` names.
    @Test func aPyenvShimIsFollowedToTheScript() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("versions-aws")
        try ScenarioFakeCLI.writeExecutable(Self.cliScript, to: script)
        let pyenv = folder.appendingPathComponent("pyenv")
        try ScenarioFakeCLI.writeExecutable("#!/bin/sh\n[ \"$1\" = which ] && [ \"$2\" = aws ] && [ \"$PYENV_ROOT\" = \(folder.path) ] && echo \(script.path)\n",
                                            to: pyenv)
        let shim = folder.appendingPathComponent("aws")
        try ScenarioFakeCLI.writeExecutable("""
            #!/usr/bin/env bash
            set -e
            [ -n "$PYENV_DEBUG" ] && set -x

            program="${0##*/}"

            export PYENV_ROOT="\(folder.path)"
            exec "\(pyenv.path)" exec "$program" "$@"

            """, to: shim)
        let python = await AWSCLIEntryPoint.cliScriptPython(of: shim.path, environment: ["PATH": "/usr/bin:/bin"])
        #expect(python == "/opt/venv/bin/python3.11")

        // A shim whose pyenv names a script that is not the CLI's: not admitted.
        try ScenarioFakeCLI.writeExecutable("#!/usr/bin/python3\nprint('not the CLI')\n", to: script)
        let notCLI = await AWSCLIEntryPoint.cliScriptPython(of: shim.path, environment: ["PATH": "/usr/bin:/bin"])
        #expect(notCLI == nil)
    }

    /// Seeding's rule: the script's Python, else python3 on PATH (a start without awscli falls back).
    @Test func theInterpreterIsTheScriptsPythonElsePython3() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pip = folder.appendingPathComponent("aws-pip")
        try "#!/opt/venv/bin/python3.11\nimport sys\n".write(to: pip, atomically: true, encoding: .utf8)
        #expect(AWSCLIEntryPoint.interpreter(of: pip.path, path: nil) == "/opt/venv/bin/python3.11")
        let shim = folder.appendingPathComponent("aws-shim")
        try "#!/usr/bin/env bash\nexec pyenv exec aws \"$@\"\n".write(to: shim, atomically: true, encoding: .utf8)
        #expect(AWSCLIEntryPoint.interpreter(of: shim.path, path: "/nonexistent") == "/usr/bin/python3")
    }

    /// The guess that lets the drivers start while `pyenv which` runs reads pyenv's own choice of
    /// version: `PYENV_VERSION` first, then the nearest `.python-version` from `PYENV_DIR` up,
    /// then the global `version` file; of several versions the first that has the CLI; nothing
    /// for `system`, a version not installed, or a script that is not the CLI's.
    @Test func theLikelyPythonOfAShimFollowsPyenvsChoiceOfVersion() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        for (version, python) in [("3.99.1", "/opt/a/python3"), ("3.99.2", "/opt/b/python3")] {
            let bin = root.appendingPathComponent("versions/\(version)/bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try ScenarioFakeCLI.writeExecutable(Self.cliScript.replacingOccurrences(of: "/opt/venv/bin/python3.11", with: python),
                                                to: bin.appendingPathComponent("aws"))
        }
        let shim = root.appendingPathComponent("shims/aws")
        try FileManager.default.createDirectory(at: shim.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ScenarioFakeCLI.writeExecutable("""
            #!/usr/bin/env bash
            set -e
            program="${0##*/}"
            export PYENV_ROOT="\(root.path)"
            exec "\(root.path)/libexec/pyenv" exec "$program" "$@"

            """, to: shim)
        let project = root.appendingPathComponent("project/sub")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        func likely(_ environment: [String: String] = [:], in folder: URL? = nil) -> String? {
            AWSCLIEntryPoint.likelyCLIScriptPython(of: shim.path, environment: environment, workingDirectory: (folder ?? project).path)
        }

        #expect(likely() == nil)   // no version chosen anywhere
        try "3.99.1\n".write(to: root.appendingPathComponent("version"), atomically: true, encoding: .utf8)
        #expect(likely() == "/opt/a/python3")
        try "# pinned\n3.99.2\n".write(to: root.appendingPathComponent("project/.python-version"), atomically: true, encoding: .utf8)
        #expect(likely() == "/opt/b/python3")
        #expect(likely(["PYENV_DIR": root.path]) == "/opt/a/python3")
        #expect(likely(["PYENV_VERSION": "3.99.1"]) == "/opt/a/python3")
        #expect(likely(["PYENV_VERSION": "3.98.0:3.99.2"]) == "/opt/b/python3")
        #expect(likely(["PYENV_VERSION": "system"]) == nil)
        #expect(likely(["PYENV_VERSION": "3.98.0"]) == nil)
        try ScenarioFakeCLI.writeExecutable("#!/usr/bin/python3\nprint('not the CLI')\n",
                                            to: root.appendingPathComponent("versions/3.99.2/bin/aws"))
        #expect(likely() == nil)
        #expect(AWSCLIEntryPoint.likelyCLIScriptPython(of: root.appendingPathComponent("versions/3.99.1/bin/aws").path, environment: [:]) == nil)
    }

    /// Where `aws` is a pyenv shim on this machine, the guess is what `pyenv which` decides.
    @Test func theLikelyPythonIsTheOnePyenvDecidesHere() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let aws = ExecutableLocator.find("aws", path: environment["PATH"]),
              let guess = AWSCLIEntryPoint.likelyCLIScriptPython(of: aws, environment: environment) else { return }
        let decided = await AWSCLIEntryPoint.cliScriptPython(of: aws, environment: environment)
        #expect(guess == decided)
    }
}
