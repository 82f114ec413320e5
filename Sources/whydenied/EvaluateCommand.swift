import ArgumentParser
import Foundation
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRedaction

/// `whydenied evaluate FILE`: decides one request against the policies given in a JSON file and
/// explains the verdict. Exit status: 0 allowed, 2 denied (explicit or implicit), 3 undecided,
/// 1 the input could not be read. The format is in docs/evaluate-format.md.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate one request against the policies in a JSON file and explain the decision.",
        discussion: """
        FILE holds {"request": {...}, "policies": {...}}; see docs/evaluate-format.md.
        Exit status: 0 allowed, 2 denied (explicit or implicit deny), 3 undecided (context keys \
        missing), 1 input error.

        Examples:
          whydenied evaluate request.json --json
          # request.json as in docs/evaluate-format.md: the decision and the
          # statement that decided it
        """
    )

    @Argument(help: "The evaluation input (JSON). Use - for standard input.")
    var file: String

    @Flag(name: .long, help: "Print the full result as JSON instead of text.")
    var json = false

    func run() throws {
        let data: Data
        var isDirectory: ObjCBool = false
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if !FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) {
            throw Self.failure("\(file): no such file")
        } else if isDirectory.boolValue {
            throw Self.failure("\(file) is a directory: give the JSON file that holds the request and the policies")
        } else if let contents = FileManager.default.contents(atPath: file) {
            data = contents
        } else {
            throw Self.failure("\(file): cannot read the file (permissions?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Self.failure("\(file): not UTF-8 text")
        }
        let input: EvaluationInput
        do {
            input = try EvaluationInput.parse(text)
        } catch {
            throw Self.failure("\(file): \(error.description)")
        }
        let result = PolicyEvaluator().evaluate(input.request, against: input.policies)
        if json {
            // Through JSONValue so the layout matches the rest of whydenied's JSON output.
            let data = try JSONEncoder().encode(result)
            print(Redactor().redact(try JSONDecoder().decode(JSONValue.self, from: data)).serialized(pretty: true))
        } else {
            print(Redactor().redact(result.explanationText), terminator: "")
        }
        switch result.decision {
        case .allowed: return
        case .explicitDeny, .implicitDeny: throw ExitCode(2)
        case .undecided: throw ExitCode(3)
        }
    }

    /// Says what is wrong on standard error; the caller throws the returned exit status 1.
    static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data(Redactor().redact("whydenied evaluate: \(message)\n").utf8))
        return ExitCode(1)
    }
}
