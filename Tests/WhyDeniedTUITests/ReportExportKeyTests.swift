import Foundation
import Testing
import WhyDeniedTUI

/// Exporting the report: `e` once no command waits (in the gate `e` edits), `F9` anywhere in
/// the session; the answer (where the report went) lands in the status line.
@Suite struct ReportExportKeyTests {
    @Test func eExportsOnceTheSessionIsDoneAndSaysWhere() {
        var ui = InMemoryScreen(state: Fixture.state()) { effect in
            effect == .exportReport ? [.notice("Report written to /tmp/s/report.md and report.json")] : []
        }
        var done = Fixture.session(current: 7, proposal: nil, done: 8)
        done.finished = true
        ui.send(.sessionChanged(done))
        ui.press(.character("e"))
        #expect(ui.effects == [.exportReport])
        #expect(ui.state.status == "Report written to /tmp/s/report.md and report.json")
        #expect(ui.screen.text.contains(" Report written to /tmp/s/report.md and report.json"))
        #expect(ui.screen.rowText(29) == " Tab steps · e export report · ?/F1 help · q quit · o output · f findings · y copy fix")
    }

    @Test func inTheGateEEditsAndF9Exports() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Fixture.session(current: 0, proposal: Fixture.callerIdentity)))
        ui.press(.character("e"))
        #expect(ui.effects.isEmpty)
        if case .editing = ui.state.gate {} else { Issue.record("e should edit the command in the gate") }
        ui.press(.escape, .function(9))
        #expect(ui.effects == [.exportReport])
        #expect(ui.state.status == "Exporting the report…")
    }

    @Test func noExportFromTheForm() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(9))
        #expect(ui.effects.isEmpty)
    }
}
