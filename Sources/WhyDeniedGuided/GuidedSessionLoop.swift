import Foundation
import WhyDeniedSession
import WhyDeniedTUI

/// One guided session's loop: the TUI's session effect becomes the model's message; the
/// model's work is carried out by the driver, in order, and the driver's answers go back to the
/// model until it waits for the operator again; what the model shows is returned for the UI.
/// The state is the model's, a value here; the driver holds only resources.
///
/// ```swift
/// var loop = GuidedSessionLoop(driver: driver)
/// let messages = await loop.perform(.runCommand(proposal))   // [.commandFinished(…), .sessionChanged(…)]
/// ```
package struct GuidedSessionLoop: Sendable {
    package private(set) var model: GuidedSessionModel
    package let driver: GuidedSessionDriver

    package init(driver: GuidedSessionDriver) {
        self.driver = driver
        model = GuidedSessionModel(options: driver.options, environment: driver.environment)
    }

    /// A TUI effect, carried out; effects that are not the session's answer nothing.
    package mutating func perform(_ effect: Effect, now: Date = Date()) async -> [Message] {
        guard let message = GuidedSessionMessage(effect, now: now) else { return [] }
        return await send(message)
    }

    /// Feeds `message` to the model and carries out its work until nothing is left to answer.
    package mutating func send(_ message: GuidedSessionMessage) async -> [Message] {
        var queue = [message]
        var shown: [Message] = []
        while !queue.isEmpty {
            let next = queue.removeFirst()
            // A signal that arrived meanwhile names every end journaled from now on.
            if let reason = driver.options.interruption?.endReason { _ = model.update(.interrupted(endReason: reason)) }
            for work in model.update(next) {
                if case .show(let messages) = work {
                    shown += messages
                } else {
                    queue += await driver.perform(work)
                }
            }
        }
        return shown
    }

    /// The UI closed: the journal says how the session ended (once).
    package mutating func end(reason: String) async {
        _ = await send(.end(reason: reason))
    }
}
