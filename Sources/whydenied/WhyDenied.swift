import ArgumentParser

/// The `whydenied` command: from "AWS said AccessDenied" to the policy and statement that denied
/// it, and the smallest change that fixes it.
///
/// Each subcommand lives in its own file; add it to `subcommands` here, and give it a
/// `commandName`: the name argument parsing would otherwise derive from the type's name takes
/// runtime reflection that costs every start about a millisecond.
@main
struct WhyDenied: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whydenied",
        abstract: "Find which policy denied an AWS request, and the smallest fix.",
        // The commit is looked up only when asked: every other start skips the file reads.
        version: CommandLine.arguments.contains("--version") ? BuildInfo.versionLine : BuildInfo.version,
        subcommands: [
            AnalyzeCommand.self,
            EvaluateCommand.self,
            ParseCommand.self,
            ReportCommand.self,
            ResumeCommand.self,
            RunbookCommand.self,
            ScanCommand.self,
            SnapshotCommand.self,
            RunCommand.self,
            DemoCommand.self,
            GuidedCommand.self,
        ],
        defaultSubcommand: GuidedCommand.self
    )
}
