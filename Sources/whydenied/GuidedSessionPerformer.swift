import Foundation
import WhyDeniedEvidence
import WhyDeniedTUI

/// Carries out the TUI's effects: reads pasted text into parameter values, and drives the
/// session. Each effect runs in its own task and answers with messages.
final class GuidedSessionPerformer: EffectPerformer, @unchecked Sendable {
    let options: GuidedSessionOptions
    let environment: [String: String]

    init(options: GuidedSessionOptions, environment: [String: String]) {
        self.options = options
        self.environment = environment
    }

    func perform(_ effect: Effect, send: @escaping @Sendable (Message) -> Void) {
        switch effect {
        case .parsePastedText(let text):
            Task.detached {
                send(PastedEvidence.read(text))
            }
        case .startSession, .runCommand, .skipCommand, .cancelRunningCommand, .setChangesEnabled:
            send(.sessionFailed("The guided runbook session is not wired in this build yet."))
        case .quit:
            break
        }
    }

    func shutdown() {}
}

/// Reads pasted text into parameter values with where each came from.
enum PastedEvidence {
    static func read(_ text: String) -> Message {
        switch AuthorizationErrorParser.parse(text) {
        case .success(let denied):
            var fields: [PrefillField] = []
            func add(_ name: String, _ value: String?, _ field: AuthorizationErrorField) {
                guard let value, !value.isEmpty else { return }
                let origin = denied.origins[field].map { "error message: \"\($0.snippet)\"" } ?? "error message"
                fields.append(PrefillField(name: name, value: value, origin: origin))
            }
            add("principal", denied.principal?.arn ?? denied.principalText, .principal)
            add("action", denied.action, .action)
            add("resource", denied.resource, .resource)
            add("account_id", denied.accountId, .accountId)
            let firstLine = denied.normalizedText.split(separator: "\n").first.map(String.init) ?? ""
            fields.append(PrefillField(name: "error_message", value: String(firstLine.prefix(500)), origin: "the pasted text"))
            return .prefillReady(fields)
        case .failure(let problem):
            return .prefillFailed("\(problem)")
        }
    }
}
