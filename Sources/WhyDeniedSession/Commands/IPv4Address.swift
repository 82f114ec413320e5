/// A dotted-quad IPv4 address (`127.0.0.1`): what the CLI cannot put a host prefix
/// (`{AccountId}.`) before, so both the runner's check before a call and the classifier of a
/// failed one ask it.
public enum IPv4Address {
    public static func isDottedQuad<Labels: Collection>(_ labels: Labels) -> Bool where Labels.Element: StringProtocol {
        labels.count == 4 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 3 && label.allSatisfy(\.isNumber) && Int(label).map { $0 <= 255 } == true
        }
    }

    public static func isDottedQuad(_ host: String) -> Bool {
        isDottedQuad(host.split(separator: ".", omittingEmptySubsequences: false))
    }
}
