import Testing
import WhyDeniedTerminal

/// `--color`: `never` and `always` override NO_COLOR and TERM=dumb; only a terminal without
/// colours keeps `always` monochrome (ncurses cannot draw what the terminal lacks).
@Suite struct ColorChoiceTests {
    @Test(arguments: [["NO_COLOR": "1"], ["TERM": "dumb"], [:]])
    func neverIsMonochromeWhateverTheEnvironment(_ environment: [String: String]) {
        #expect(Palette.choose(.never, environment: environment, terminalHasColors: true) == .monochrome)
    }

    @Test func alwaysIgnoresNoColorButNotATerminalWithoutColours() {
        #expect(Palette.choose(.always, environment: ["NO_COLOR": "1"], terminalHasColors: true) == .colour)
        #expect(Palette.choose(.always, environment: ["TERM": "dumb"], terminalHasColors: true) == .colour)
        #expect(Palette.choose(.always, environment: [:], terminalHasColors: false) == .monochrome)
    }

    @Test func autoFollowsNoColorAndTheTerminal() {
        #expect(Palette.choose(.auto, environment: ["NO_COLOR": "1"], terminalHasColors: true) == .monochrome)
        #expect(Palette.choose(.auto, environment: [:], terminalHasColors: true) == .colour)
        #expect(Palette.choose(.auto, environment: [:], terminalHasColors: false) == .monochrome)
    }

    @Test func theOptionValuesAreTheDocumentedOnes() {
        #expect(ColorChoice.allCases.map(\.rawValue) == ["auto", "always", "never"])
    }
}
