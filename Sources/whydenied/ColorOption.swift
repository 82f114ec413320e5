import ArgumentParser
import WhyDeniedTerminal

extension ColorChoice: ExpressibleByArgument {}

/// `--color auto|always|never`, for the commands that draw in colour (the terminal UI).
struct ColorOption: ParsableArguments {
    @Option(help: "Colour: auto (follows NO_COLOR, TERM=dumb and the terminal), always, or never.")
    var color: ColorChoice = .auto
}
