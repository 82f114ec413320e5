/// Word wrapping by display width: breaks at spaces, and inside a word only when the word
/// alone is wider than the line (long ARNs, argv elements).
///
/// ```swift
/// Wrap.lines("aws sts get-caller-identity", width: 10) // ["aws sts", "get-caller", "-identity"]
/// ```
public enum Wrap {
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var result: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
                var rest = word
                var restWidth = CharacterWidth.of(rest)
                let needed = lineWidth == 0 ? restWidth : lineWidth + 1 + restWidth
                if needed <= width {
                    line += (lineWidth == 0 ? "" : " ") + rest
                    lineWidth = needed
                    continue
                }
                if lineWidth > 0 {
                    result.append(line)
                    line = ""
                    lineWidth = 0
                }
                while restWidth > width {
                    let head = CharacterWidth.prefix(rest, fitting: width)
                    if head.text.isEmpty { break }
                    result.append(head.text)
                    rest = String(rest.dropFirst(head.text.count))
                    restWidth -= head.width
                }
                line = rest
                lineWidth = restWidth
            }
            result.append(line)
        }
        return result
    }
}
