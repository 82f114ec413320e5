import Foundation
import Testing
import WhyDeniedTUI

@Test func dumpScreens() {
    var ui = InMemoryScreen(state: Fixture.state())
    var out = "FORM\n" + ui.screen.text + "\n"
    ui.press(.function(6))
    ui.type(Fixture.seedError)
    out += "PASTE\n" + ui.screen.text + "\n"
    ui.press(.control("d"))
    out += "PARSING\n" + ui.screen.text + "\n"
    ui.send(.prefillReady(Fixture.seedPrefill))
    out += "REVIEW\n" + ui.screen.text + "\n"
    ui.press(.character("a"))
    out += "FILLED\n" + ui.screen.text + "\n"
    ui.send(.sessionChanged(Fixture.session(current: 0, proposal: Fixture.callerIdentity)))
    out += "GATE\n" + ui.screen.text + "\n"
    ui.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
    out += "MUTATION\n" + ui.screen.text + "\n"
    ui.resize(to: TerminalSize(width: 80, height: 24))
    out += "MUTATION80\n" + ui.screen.text + "\n"
    try? out.write(toFile: "/tmp/tui-screens.txt", atomically: true, encoding: .utf8)
}
