/// An argv shown as one line a person can copy into a POSIX shell: every screen, report and
/// printout shows commands through it. Display only: whydenied never runs commands through a shell.
///
/// ```swift
/// ArgvDisplay.line(["aws", "s3api", "get-object", "--key", "q3 report.csv"])
/// // aws s3api get-object --key 'q3 report.csv'
/// ```
public enum ArgvDisplay {
    public static func line(_ argv: [String]) -> String {
        argv.map(quote).joined(separator: " ")
    }

    public static func quote(_ argument: String) -> String {
        let plain = argument.unicodeScalars.allSatisfy { scalar in
            CharacterSetOfPlainShellText.contains(scalar)
        }
        if plain && !argument.isEmpty { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    private enum CharacterSetOfPlainShellText {
        static func contains(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9": true
            case "-", "_", ".", "/", ":", "=", ",", "@", "+", "%": true
            default: false
            }
        }
    }
}
