import Foundation
import WhyDeniedEvidence
import WhyDeniedRunbook
import WhyDeniedSession
import WhyDeniedTUI

/// What the guided session model hears: the operator's requests (the TUI's session effects),
/// and the answers to the work it asked for (a command's outcome, the tools missing from PATH,
/// the configured profiles, the runbook, the journal's folder, the report written).
///
/// ```swift
/// let work = model.update(.commandFinished(outcome))
/// ```
package enum GuidedSessionMessage: Sendable {
    // The operator's requests.
    /// `now`: when the session starts (the facts' "today").
    case start(parameters: [String: String], origins: [String: ParameterOrigin], denial: PastedDenial?, now: Date)
    case run(CommandProposal)
    case skip(CommandProposal, reason: String)
    case setChangesEnabled(Bool)
    case exportReport
    case offerChangeAgain(stepID: String)
    case checkCredentials(profile: String?)
    case retryFailedStep(stepID: String)
    /// The UI closed: the session ends here (once).
    case end(reason: String)
    /// A signal is ending the session: every end journaled from now on names it.
    case interrupted(endReason: String)

    // Answers to the work.
    case runbookLoaded(Runbook)
    case runbookFailed(String)
    case journalOpened(SessionFolder)
    case journalFailed(String)
    /// The journal's writes that failed, as notes.
    case journalProblems([String])
    case commandFinished(CommandOutcome)
    case toolsChecked(ToolCheckRequest, missing: [String])
    case profilesListed([String])
    /// What exporting the report said (where it went, or why it failed).
    case reportExported(String)

    /// The model's message for a TUI effect that concerns the session; nil for the others
    /// (the paste parser, the event file, the clipboard, quitting, cancelling).
    package init?(_ effect: Effect, now: Date) {
        switch effect {
        case .startSession(let parameters, let origins, let denial):
            self = .start(parameters: parameters, origins: origins, denial: denial, now: now)
        case .runCommand(let proposal): self = .run(proposal)
        case .skipCommand(let proposal, let reason): self = .skip(proposal, reason: reason)
        case .setChangesEnabled(let enabled): self = .setChangesEnabled(enabled)
        case .exportReport: self = .exportReport
        case .offerChangeAgain(let stepID): self = .offerChangeAgain(stepID: stepID)
        case .checkCredentials(let profile): self = .checkCredentials(profile: profile)
        case .retryFailedStep(let stepID): self = .retryFailedStep(stepID: stepID)
        case .parsePastedText, .loadEventFile, .completePath, .cancelRunningCommand, .quit, .copyToClipboard: return nil
        }
    }
}
