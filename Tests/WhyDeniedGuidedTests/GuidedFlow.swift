import Foundation
import WhyDeniedGuided
import WhyDeniedSession
import WhyDeniedTUI

/// The TUI's loop without a terminal: every message goes through `Guided.update`, the effects
/// it asks for are carried out by the session's loop (the model's work by the driver, awaited,
/// one after another, as the terminal's performer does) and its answers come back through
/// `update`.
///
/// ```swift
/// var flow = GuidedFlow(driver: driver)
/// await flow.perform(.startSession(parameters: parameters, origins: [:], denial: nil))
/// await flow.press(.enter)            // runs the command at the gate
/// flow.view.proposal?.argv            // the next one
/// ```
struct GuidedFlow {
    private(set) var state: GuidedState
    private(set) var loop: GuidedSessionLoop
    var driver: GuidedSessionDriver { loop.driver }
    /// Every effect the UI asked for, in order.
    private(set) var effects: [Effect] = []
    /// Every message the session's loop answered, in order.
    private(set) var answers: [Message] = []

    init(driver: GuidedSessionDriver, size: TerminalSize = TerminalSize(width: 120, height: 40)) {
        loop = GuidedSessionLoop(driver: driver)
        state = GuidedState(size: size, now: Date(timeIntervalSince1970: 1_795_395_600), environment: [:], sandbox: true)
    }

    mutating func send(_ message: Message) async {
        var queue = [message]
        while !queue.isEmpty {
            let (next, asked) = Guided.update(state, queue.removeFirst())
            state = next
            for effect in asked {
                effects.append(effect)
                let answered = await loop.perform(effect)
                answers += answered
                queue += answered
            }
        }
    }

    /// An effect the UI asks for outside a key (the form's start carries its values).
    mutating func perform(_ effect: Effect) async {
        effects.append(effect)
        let answered = await loop.perform(effect)
        answers += answered
        for message in answered { await send(message) }
    }

    mutating func press(_ keys: Key...) async {
        for key in keys { await send(.key(key)) }
    }

    mutating func type(_ text: String) async {
        for character in text { await send(.key(.character(character))) }
    }

    /// The session as the driver last reported it.
    var view: SessionView {
        guard let session = state.session else { fatalError("the session has not started: \(state.status ?? "")") }
        return session
    }

    var screen: String { Guided.view(state).text }

    func row(_ stepID: String) -> StepRow? { view.steps.first { $0.id == stepID } }

    /// What the operator does at the gate, command after command, until nothing waits: each
    /// read-only command runs (Enter); each change is declined (Esc) or applied (its word
    /// typed, then Enter). Returns the proposals met, in order.
    enum ChangeAnswer { case decline, apply }

    @discardableResult
    mutating func confirmEachCommand(changes: ChangeAnswer = .decline, limit: Int = 400) async -> [CommandProposal] {
        var met: [CommandProposal] = []
        while let proposal = state.session?.proposal, state.session?.credentials == nil, met.count < limit {
            met.append(proposal)
            if !proposal.mutates {
                await press(.enter)
            } else if changes == .decline {
                await press(.escape)
            } else {
                await type(proposal.confirmWord)
                await press(.enter)
            }
        }
        return met
    }
}
