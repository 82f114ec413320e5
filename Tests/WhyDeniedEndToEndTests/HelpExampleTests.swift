import Foundation
import Testing
import WhyDeniedTestSupport

/// Every subcommand's `--help` shows a worked example: an "Examples:" section with a command line
/// of that very subcommand. The subcommands are read off the help itself, so a new one is
/// checked without editing this test.
@Suite(.enabled(if: WhyDeniedBinary.exists, "the binary is not built"))
struct HelpExampleTests {
    /// The names listed under SUBCOMMANDS: ("  guide (default)   The guided…" → "guide").
    static func subcommands(inHelp help: String) -> [String] {
        guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        var names: [String] = []
        for line in help[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }
            // Names sit at two spaces; a wrapped abstract is indented further.
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else { continue }
            names.append(String(name))
        }
        return names
    }

    static func commandPaths() async throws -> [[String]] {
        var paths: [[String]] = []
        var pending: [[String]] = [[]]
        while let path = pending.popLast() {
            let help = try await WhyDeniedBinary.running(path + ["--help"]).stdout
            for name in subcommands(inHelp: help) where name != "help" {
                paths.append(path + [name])
                pending.append(path + [name])
            }
        }
        return paths
    }

    @Test func everySubcommandsHelpShowsAnExampleOfItself() async throws {
        let paths = try await Self.commandPaths()
        // The root lists eleven; runbook adds validate and plan.
        #expect(paths.count >= 13)
        #expect(paths.contains(["runbook", "plan"]))
        for path in paths {
            let run = try await WhyDeniedBinary.running(path + ["--help"])
            #expect(run.status == 0)
            let help = run.stdout
            let examples = help.range(of: "Examples:\n").map { String(help[$0.upperBound...]) } ?? ""
            let invocation = (["whydenied"] + path).joined(separator: " ")
            #expect(examples.contains("  " + invocation + " ") || examples.contains("  " + invocation + "\n"),
                    "\(invocation) --help has no example of itself:\n\(help)")
        }
    }

    @Test func subcommandNamesAreReadOffTheHelp() {
        let help = """
            SUBCOMMANDS:
              analyze                 Explain every denied event
              guide (default)         The guided session: parameters, then each command shown
                                      and confirmed before it runs.

              See 'whydenied help <subcommand>' for detailed help.
            """
        #expect(Self.subcommands(inHelp: help) == ["analyze", "guide"])
    }
}
