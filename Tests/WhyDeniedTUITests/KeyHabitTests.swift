import Foundation
import Testing
import WhyDeniedTUI

/// Issue 16 §3: keys that match k9s/lazygit habits, from one key table that both dispatch and
/// the footer/help read.
@Suite struct KeyHabitTests {
    func gate(_ size: TerminalSize = TerminalSize(width: 100, height: 30)) -> InMemoryScreen {
        var ui = InMemoryScreen(state: Fixture.state(size))
        ui.send(.sessionChanged(Fixture.session(current: 0, proposal: Fixture.callerIdentity)))
        return ui
    }

    @Test func everyFunctionKeyHasALetterOrControlTwinInTheSameBinding() {
        for binding in KeyMap.bindings where binding.keys.contains(where: { if case .function = $0 { true } else { false } }) {
            let twin = binding.keys.contains { key in
                switch key {
                case .character, .control, .enter: true
                default: false
                }
            }
            #expect(twin, "\(binding.label) has no letter or Ctrl-letter twin")
            #expect(binding.label.contains("/"), "\(binding.label) shows only one key")
        }
    }

    @Test func controlLettersDoWhatTheirFunctionKeysDo() {
        var form = InMemoryScreen(state: Fixture.state())
        form.press(.control("s"))
        #expect(form.state.status?.hasPrefix("Not started: principal") == true)
        form.press(.control("v"))
        #expect(form.state.paste != nil)

        var ui = gate()
        ui.press(.control("t"))
        #expect(ui.state.prompt == .enableChanges)
        ui.press(.character("n"), .control("r"))
        #expect(ui.effects == [.exportReport])
        ui.press(.control("g"))
        #expect(ui.state.helpVisible)
        ui.press(.escape, .control("q"))
        #expect(ui.state.prompt == .quit)
    }

    @Test func qGoesBackAndQuitsOnlyAtTheTop() {
        var ui = gate()
        ui.press(.character("o"))
        ui.send(.sessionChanged({
            var view = Fixture.session(current: 0, proposal: Fixture.callerIdentity)
            view.outputs = [CommandOutput(proposal: Fixture.callerIdentity, exitCode: 0, stdout: "{}", seconds: 0.1)]
            return view
        }()))
        ui.press(.character("o"))
        #expect(ui.state.pager != nil)
        ui.press(.character("?"))
        #expect(ui.state.helpVisible)
        ui.press(.character("q"))
        #expect(!ui.state.helpVisible && ui.state.pager != nil && ui.state.prompt == nil)
        ui.press(.character("q"))
        #expect(ui.state.pager == nil && ui.state.prompt == nil)
        ui.press(.character("q"))
        #expect(ui.state.prompt == .quit)
        ui.press(.character("n"))
        #expect(ui.effects.isEmpty)
    }

    @Test func controlCTwiceQuits() {
        var ui = gate()
        ui.press(.control("c"))
        #expect(ui.state.prompt == .quit)
        #expect(ui.screen.rowText(29) == " y yes · Ctrl-C again quits · any other key: no")
        ui.press(.control("c"))
        #expect(ui.effects == [.quit])
    }

    @Test func aKeyThatDoesNothingSaysSo() {
        var ui = gate()
        ui.press(.character("z"))
        #expect(ui.state.status == "z does nothing here · ? shows the keys")
        ui.press(.character("o"))
        #expect(ui.state.status == "No command output yet.")
        ui.press(.character("f"), .character("z"))
        #expect(ui.state.pager?.message == "z does nothing here · ? shows the keys")
        // In a text field the same key is text.
        ui.press(.escape, .character("s"), .character("z"))
        if case .skipReason(let field) = ui.state.gate { #expect(field.text == "z") } else { Issue.record("no skip reason") }
    }

    @Test func listsAndPagersTakeVimKeys() {
        var ui = gate(TerminalSize(width: 80, height: 24))
        ui.press(.character("f"))
        for key in [Key.character("j"), .character("k"), .character("g"), .character("G"), .control("d"), .control("u")] {
            #expect(KeyMap.action(for: key, in: ui.state) != nil, "\(key.name) in the pager")
        }
        ui.press(.escape, .character("?"))
        for key in [Key.character("j"), .character("k"), .character("g"), .character("G"), .control("d"), .control("u")] {
            #expect(KeyMap.action(for: key, in: ui.state) != nil, "\(key.name) in the help")
        }
    }

    @Test func yCopiesTheShownCommandWithOSC52() {
        var ui = gate()
        ui.press(.character("y"))
        #expect(ui.effects == [.copyToClipboard("aws sts get-caller-identity --output json")])
        #expect(ui.state.status == "Copied the command (41 characters) to the clipboard.")
        #expect(ui.state.running == nil)
        #expect(ClipboardSequence.osc52("aws sts") == "\u{1B}]52;c;YXdzIHN0cw==\u{07}")
    }

    @Test func theFooterAndTheHelpComeFromTheTable() {
        let ui = gate(TerminalSize(width: 200, height: 60))
        let footer = KeyMap.footer(ui.state)
        #expect(footer == ["Enter/F5 run", "s/F8 skip", "e edit", "Tab steps", "a run all read-only", "?/F1 help",
                           "q quit", "o output", "f findings", "y copy", "v fix as JSON/Terraform/CFN", "F4/Ctrl-T changes on/off",
                           "F9/Ctrl-R export"])
        for item in footer {
            let label = String(item.split(separator: " ")[0])
            #expect(KeyMap.bindings.contains { $0.label == label }, "\(label) is in the table")
        }
        let help = KeyMap.help(ui.state).flatMap(\.1).map(\.0)
        #expect(help.contains("F9/Ctrl-R") && help.contains("x/Ctrl-C") && help.contains("r"))
    }
}

/// The footer keeps the ways out whatever the width: at 80 columns the form lost "F10/Ctrl-Q
/// quit" to hints of higher rank. The help and the current screen's way out are pinned
/// (`FooterLayout`); lower hints make room, and never show while a higher one is left out.
@Suite struct FooterWaysOutTests {
    @Test func theFormAt80ColumnsKeepsQuitAndHelp() {
        let ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 80, height: 24)))
        #expect(ui.screen.rowText(23) == " F2/Ctrl-S start · F6/Ctrl-V paste · F1/Ctrl-G help · F10/Ctrl-Q quit")
    }

    @Test func everyScreenAt60ColumnsKeepsItsWayOut() {
        var form = InMemoryScreen(state: Fixture.state(TerminalSize(width: 60, height: 24)))
        #expect(form.screen.rowText(23).hasSuffix("F10/Ctrl-Q quit"), "\(form.screen.rowText(23))")
        form.press(.function(6))
        #expect(form.screen.rowText(23).contains("Esc back to form"), "\(form.screen.rowText(23))")
        var gate = InMemoryScreen(state: Fixture.state(TerminalSize(width: 60, height: 24)))
        gate.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        #expect(gate.screen.rowText(23).contains("Esc cancel"), "\(gate.screen.rowText(23))")
    }

    @Test func lowerHintsNeverShowWhileAHigherOneIsLeftOut() {
        let items: [FooterLayout.Item] = [.init(text: "aaaaaaaaaa"), .init(text: "bbbbbbbbbbbbbbbbbbbb"), .init(text: "c"),
                                          .init(text: "quit", pinned: true)]
        #expect(FooterLayout.fit(items, width: 30) == " aaaaaaaaaa · quit")
        #expect(FooterLayout.fit(items, width: 3) == " ", "too narrow even for the way out")
        #expect(FooterLayout.fit(items, width: 200) == " aaaaaaaaaa · bbbbbbbbbbbbbbbbbbbb · c · quit")
    }
}
