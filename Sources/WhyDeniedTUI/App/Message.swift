import Foundation
import WhyDeniedEvidence
import WhyDeniedSession

/// Everything that can change the UI state: keys, the terminal size, the clock, and the results
/// of effects coming back from the session driver.
///
/// ```swift
/// Guided.update(state, .key(.function(2)))
/// ```
public enum Message: Hashable, Sendable {
    case key(Key)
    /// Text the terminal delivered as one paste (bracketed paste), newlines included.
    case paste(String)
    case resized(TerminalSize)
    /// A left press or a wheel turn at a screen cell.
    case mouse(MouseEvent)
    case tick(Date)
    /// Fields read off the pasted text (answer to `Effect.parsePastedText`), and the pasted
    /// denial as the parser read it, when the text was a message.
    case prefillReady([PrefilledParameter], denial: PastedDenial? = nil)
    /// The pasted text could not be read; the reason is shown and the text is kept.
    case prefillFailed(String)
    /// Fields read off a local event file (answer to `Effect.loadEventFile`), with the prefill's
    /// notes (several denied events: which one was used).
    case eventFileLoaded(path: String, [PrefilledParameter], notes: [String])
    /// The event file gave no evidence; the reason (path, line and column when the JSON is
    /// malformed) is shown and the typed path is kept.
    case eventFileFailed(path: String, String)
    /// The typed path completed (answer to `Effect.completePath`).
    case pathCompleted(typed: String, PathCompletion)
    /// The session's new state after it started, recorded a result or skipped a command.
    case sessionChanged(SessionView)
    /// The session could not start or continue (bad runbook, sandbox gone …).
    case sessionFailed(String)
    case commandFinished(CommandOutput)
    /// A line for the status bar from the outside world (e.g. where the report was written).
    case notice(String)
}

/// Work the UI asks the outside world to do; results come back as `Message`s. Commands are
/// argv arrays, never shell lines.
public enum Effect: Hashable, Sendable {
    case parsePastedText(String)
    /// Read the local event file at this typed path (relative to the working directory, `~` expanded).
    case loadEventFile(String)
    /// Complete this typed path against the file system.
    case completePath(String)
    /// Start with these values; `origins` says where each came from (typed values have none);
    /// `denial` is the pasted message as the parser read it, handed on as it is.
    case startSession(parameters: [String: String], origins: [String: ParameterOrigin], denial: PastedDenial?)
    case runCommand(CommandProposal)
    case skipCommand(CommandProposal, reason: String)
    case cancelRunningCommand
    case setChangesEnabled(Bool)
    /// Go back to the start of the step whose change was declined, so it is proposed again.
    case offerChangeAgain(stepID: String)
    /// After a failed step halted the session: propose its failed command again (the operator
    /// fixed the cause); it waits at the gate like any command, and on success the session goes on.
    /// A step that failed and let the session go on (`StepRow.retryable`) starts over: its failed
    /// commands come to the gate, and the later steps and analyses take the new outcome.
    case retryFailedStep(stepID: String)
    /// After a credentials failure: check again with this profile (nil: as before, once the
    /// operator refreshed them); the halted command runs again.
    case checkCredentials(profile: String?)
    /// Write the session report into the session folder (answered with `.notice`).
    case exportReport
    /// Put this text on the terminal's clipboard (OSC 52: works over SSH and through tmux).
    case copyToClipboard(String)
    case quit
}
