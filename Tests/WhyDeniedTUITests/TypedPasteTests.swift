import Foundation
import Testing
import WhyDeniedEvidence
import WhyDeniedSession
import WhyDeniedTUI

/// One typed denial from the paste to the session: the paste dialog's parser reading
/// (`PastedDenial`) and each value's typed origin (`ParameterOrigin`) go into the session start
/// as they are, not as strings the session parses again or an origin told by its wording.
struct TypedPasteTests {
    static func pasted() -> InMemoryScreen {
        var ui = InMemoryScreen(state: Fixture.state()) { effect in
            guard case .parsePastedText(let text) = effect else { return [] }
            return [PastedEvidence.read(text)]
        }
        ui.press(.function(6))
        ui.type(Fixture.seedError)
        ui.press(.function(2))
        ui.press(.character("a"))
        return ui
    }

    @Test func theParsedMessageAndTypedOriginsStartTheSession() throws {
        var ui = Self.pasted()
        ui.press(.function(2))
        guard case .startSession(let parameters, let origins, let denial)? = ui.effects.last else {
            Issue.record("no session start: \(ui.effects) \(ui.state.status ?? "")")
            return
        }
        let parsed = try AuthorizationErrorParser.parse(Fixture.seedError).get()
        #expect(denial == .errorMessage(parsed))
        #expect(parameters["error_message"] != nil)
        #expect(origins["principal"]?.source == .errorMessage)
        #expect(origins["action"]?.source == .errorMessage)
        #expect(origins["action"]?.detail?.contains("perform: s3:GetObject") == true)
        // The time frame the message could not give is a default, typed as one.
        #expect(origins["time_frame"]?.source == .defaultValue)
        #expect(origins["region"]?.source == .environment)
    }

    @Test func editingThePastedMessageMakesItTheOperatorsText() throws {
        var ui = Self.pasted()
        let index = try #require(ui.state.form.fields.firstIndex { $0.name == "error_message" })
        while ui.state.form.focus != index { ui.press(.tab) }
        ui.type(" (retyped)")
        ui.press(.function(2))
        guard case .startSession(_, let origins, let denial)? = ui.effects.last else {
            Issue.record("no session start: \(ui.effects)")
            return
        }
        #expect(denial == nil, "an edited message is parsed by the session, not taken from the paste")
        #expect(origins["error_message"] == nil)
    }
}
