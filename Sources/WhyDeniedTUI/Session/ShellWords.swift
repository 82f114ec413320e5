/// The reverse of `ArgvDisplay.line`, for the "edit arguments" field: a shell-quoted line back to
/// argv. Commands are never run through a shell.
///
/// ```swift
/// try ShellWords.split("aws s3 ls 'my bucket'")     // ["aws", "s3", "ls", "my bucket"]
/// ```
public enum ShellWords {
    /// Splits a line into words with POSIX-style quotes and backslashes; nothing is expanded.
    public static func split(_ line: String) throws(FieldProblem) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped {
                current.append(c)
                escaped = false
                continue
            }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { current.append(c) }
                continue
            }
            switch c {
            case "'", "\"":
                quote = c
                inWord = true
            case "\\":
                escaped = true
                inWord = true
            case " ", "\t":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(c)
                inWord = true
            }
        }
        if let q = quote { throw FieldProblem("unterminated \(q) quote") }
        if escaped { throw FieldProblem("line ends with a backslash") }
        if inWord { words.append(current) }
        return words
    }
}
