/// Word wrapping by display width: breaks at spaces, and inside a word only when the word
/// alone is wider than the line (long ARNs, argv elements), then after a separator if it has one.
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
                    let head = breakPoint(CharacterWidth.prefix(rest, fitting: width).text, width: width)
                    if head.isEmpty { break }
                    result.append(head)
                    rest = String(rest.dropFirst(head.count))
                    restWidth -= CharacterWidth.of(head)
                }
                line = rest
                lineWidth = restWidth
            }
            result.append(line)
        }
        return result
    }

    /// Where a word too long for a line breaks: after its last separator (`/` `:` `-` `,` `=` `&`)
    /// in the second half of the line, so an ARN or a path breaks between its parts; anywhere
    /// only when it has none.
    static func breakPoint(_ head: String, width: Int) -> String {
        let separators: Set<Character> = ["/", ":", "-", ",", "=", "&"]
        var kept = head
        while let last = kept.last, !separators.contains(last) { kept.removeLast() }
        return CharacterWidth.of(kept) > width / 2 ? kept : head
    }
}
