import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession
import WhyDeniedTUI

/// What the guided session model asks to be done, as data, in order. The performer
/// (`GuidedSessionDriver`) carries each out and answers with `GuidedSessionMessage`s; `show`
/// goes to the UI. The model waits for the answer of the last item it asked for.
///
/// ```swift
/// for work in model.update(.run(proposal)) {
///     if case .run(let request) = work { … }   // answered with .commandFinished(outcome)
/// }
/// ```
package enum GuidedSessionWork: Sendable {
    /// Answered with `runbookLoaded` or `runbookFailed`.
    case loadRunbook
    /// Every later command goes through an executor for this connection. No answer.
    case connect(AWSConnection)
    /// A new session folder with its journal; answered with `journalOpened` or `journalFailed`.
    case openJournal
    /// Carried out in order; answered with `journalProblems` when one failed.
    case journal([JournalWrite])
    /// Answered with `commandFinished`.
    case run(CommandRequest)
    /// Looked for on PATH, nothing run; answered with `toolsChecked`.
    case checkTools(ToolCheckRequest)
    /// The profiles the CLI knows, offered after a credentials failure; answered with `profilesListed`.
    case listProfiles(AWSConnection)
    /// The report (Markdown and JSON) written into the session folder; answered with `reportExported`.
    case exportReport(Runbook?)
    /// Messages for the UI.
    case show([Message])
}
