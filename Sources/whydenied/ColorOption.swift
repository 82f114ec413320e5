import ArgumentParser
import WhyDeniedTerminal

// Spelled out as the defaults would give them: the defaults build a key path and reflect on
// the type, about 0.7 M instructions at every start (the default subcommand's options are read
// even for `--version`).
extension ColorChoice: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
    public static var allValueDescriptions: [String: String] { [:] }
}

/// `--color auto|always|never`, for the commands that draw in colour (the terminal UI).
struct ColorOption: ParsableArguments {
    @Option(help: "Colour: auto (follows NO_COLOR, TERM=dumb and the terminal), always, or never.")
    var color: ColorChoice = .auto
}
