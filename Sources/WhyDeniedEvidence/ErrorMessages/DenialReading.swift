/// One pass of field extraction over cleaned text; fills an `AuthorizationError` and records
/// where each field came from.
struct DenialReading {
    private let text: PastedText
    private let scan: PhraseScanner
    private var result: AuthorizationError

    init(_ text: PastedText) {
        self.text = text
        scan = PhraseScanner(text)
        result = AuthorizationError(normalizedText: text.displayText)
    }

    mutating func read() -> Result<AuthorizationError, NotAnAuthorizationError> {
        readCode()
        readOperation()
        let sentenceEnd = readPrincipalActionResource()
        readDecision(after: sentenceEnd)
        readEncodedMessage()
        readAccountId()

        let hasDenialWording = denialWording()
        if let code = result.code, AuthorizationErrorCodes.isNotAuthorization(code), !hasDenialWording {
            return .failure(NotAnAuthorizationError(reason: .otherErrorCode(code)))
        }
        let authorizationCode = result.code.map(AuthorizationErrorCodes.isAuthorization) ?? false
        guard authorizationCode || hasDenialWording || result.action != nil else {
            return .failure(NotAnAuthorizationError(reason: .noDenialWording))
        }
        return .success(result)
    }

    // MARK: - Error code

    private mutating func readCode() {
        // Structured places first, in the order a CLI/SDK prints them.
        let delimited: [(open: String, close: UInt8)] = [
            ("error occurred (", UInt8(ascii: ")")),
            ("client error (", UInt8(ascii: ")")),
            ("<Code>", UInt8(ascii: "<")),
            ("Error Code: ", UInt8(ascii: ";")),
            ("\"__type\":\"", UInt8(ascii: "\"")),
            ("\"__type\": \"", UInt8(ascii: "\"")),
            ("api error ", UInt8(ascii: ":")),
            ("\"Code\":\"", UInt8(ascii: "\"")),
            ("\"Code\": \"", UInt8(ascii: "\"")),
            ("code: '", UInt8(ascii: "'")),
            ("ErrorCode: ", UInt8(ascii: " ")),
            ("\"errorCode\":\"", UInt8(ascii: "\"")),
            ("\"errorCode\": \"", UInt8(ascii: "\"")),
        ]
        var best: (value: Range<Int>, anchor: Range<Int>)?
        for (open, close) in delimited {
            guard let anchor = scan.find(open), best.map({ anchor.lowerBound < $0.anchor.lowerBound }) ?? true
            else { continue }
            let value = scan.token(from: anchor.upperBound, limit: 120) {
                $0 != close && PhraseScanner.isTokenByte($0)
            }
            var trimmed = value
            // "__type":"com.amazon…#AccessDeniedException" names the code after '#'.
            if let hash = scan.bytes[value].lastIndex(of: UInt8(ascii: "#")) { trimmed = (hash + 1)..<value.upperBound }
            guard !trimmed.isEmpty, isCodeLike(trimmed) else { continue }
            best = (trimmed, anchor.lowerBound..<min(scan.bytes.count, value.upperBound + 1))
        }
        if let best {
            result.code = take(.code, value: best.value, anchor: best.anchor)
            return
        }
        if let word = firstKnownCodeWord() {
            result.code = take(.code, value: word, anchor: word)
            return
        }
        if let bare = scan.find("Access Denied") {
            result.code = "AccessDenied"
            record(.code, value: bare, anchor: bare)
            return
        }
        for phrase in ["status code: 403", "StatusCode: 403", "403 Forbidden", "(403)"] {
            if let anchor = scan.find(phrase) {
                result.code = "403"
                record(.code, value: anchor, anchor: anchor)
                return
            }
        }
    }

    private func isCodeLike(_ range: Range<Int>) -> Bool {
        guard range.count <= 100, let first = scan.bytes[range].first, PhraseScanner.isAlphanumeric(first) else {
            return false
        }
        return scan.bytes[range].allSatisfy {
            PhraseScanner.isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }

    /// First whole word that is a known authorization code; generic words (`Forbidden`,
    /// `Unauthorized`) only when no specific code appears.
    private func firstKnownCodeWord() -> Range<Int>? {
        var generic: Range<Int>?
        let bytes = scan.bytes
        var i = 0
        while i < bytes.count {
            guard PhraseScanner.isAlphanumeric(bytes[i]), i == 0 || !PhraseScanner.isWordByte(bytes[i - 1]) else {
                i += 1
                continue
            }
            var j = i
            while j < bytes.count, PhraseScanner.isWordByte(bytes[j]) || bytes[j] == UInt8(ascii: ".") { j += 1 }
            var end = j
            while end > i, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            let word = String(decoding: bytes[i..<end], as: UTF8.self)
            if word.count >= 9, AuthorizationErrorCodes.isAuthorization(word) {
                let lowered = word.lowercased()
                if lowered == "forbidden" || lowered == "unauthorized" {
                    if generic == nil { generic = i..<end }
                } else {
                    return i..<end
                }
            }
            i = j + 1
        }
        return generic
    }

    // MARK: - Operation

    private mutating func readOperation() {
        guard let anchor = scan.find("when calling the ") else { return }
        let name = scan.token(from: anchor.upperBound, limit: 128, where: PhraseScanner.isWordByte)
        guard !name.isEmpty, let end = scan.match(" operation", at: name.upperBound) else { return }
        result.operation = take(.operation, value: name, anchor: anchor.lowerBound..<end)
    }

    // MARK: - "<principal> is not authorized to perform: <action> on resource: <resource>"

    /// Returns where the sentence's fixed part ends, so the decision tail is read after it.
    private mutating func readPrincipalActionResource() -> Int {
        guard let perform = scan.find("not authorized to perform") ?? scan.find("is not authorized") else { return 0 }
        readPrincipal(before: perform.lowerBound)
        var position = perform.upperBound
        position = skipping(":", from: position)
        let actionStart = scan.skippingSpaces(from: position)
        let actionRange = scan.token(from: actionStart, limit: 256, where: PhraseScanner.isTokenByte)
        let action = trimmedTrailingPunctuation(actionRange)
        guard isAction(action) else { return perform.upperBound }
        result.action = take(.action, value: action, anchor: perform.lowerBound..<action.upperBound)
        position = scan.skippingSpaces(from: actionRange.upperBound)
        guard let on = scan.match("on resource", at: position) else { return action.upperBound }
        var valueStart = on
        if valueStart < scan.bytes.count, scan.bytes[valueStart] == UInt8(ascii: "s") { valueStart += 1 }
        valueStart = scan.skippingSpaces(from: skipping(":", from: valueStart))
        guard let resource = resourceValue(at: valueStart) else { return valueStart }
        result.resource = take(.resource, value: resource.value, anchor: position..<resource.end)
        return resource.end
    }

    private mutating func readPrincipal(before anchorStart: Int) {
        let bytes = scan.bytes
        var i = anchorStart
        while i > 0, PastedText.isSpaceOrBreak(bytes[i - 1]) { i -= 1 }
        // "<principal> is not authorized"; "You are not authorized" names nobody.
        guard i >= 2, PhraseScanner.lowercased(bytes[i - 2]) == UInt8(ascii: "i"),
              PhraseScanner.lowercased(bytes[i - 1]) == UInt8(ascii: "s"),
              i == 2 || PastedText.isSpaceOrBreak(bytes[i - 3]) else { return }
        i -= 2
        while i > 0, PastedText.isSpaceOrBreak(bytes[i - 1]) { i -= 1 }
        let end = i
        var start = end
        while start > 0, end - start < 2048, PhraseScanner.isTokenByte(bytes[start - 1]) { start -= 1 }
        guard start < end else { return }
        let token = trimmedTrailingPunctuation(start..<end)
        let principalText = scan.text(token)
        let lowered = principalText.lowercased()
        guard !token.isEmpty, lowered != "user", lowered != "user:", lowered != "principal" else { return }
        var anchorStart = start
        if let user = userPrefix(endingAt: start) { anchorStart = user }
        result.principalText = principalText
        result.principal = PrincipalIdentity(arn: principalText)
        record(.principal, value: token, anchor: anchorStart..<token.upperBound)
    }

    /// Start of a "User: " label right before the principal, for a readable snippet.
    private func userPrefix(endingAt position: Int) -> Int? {
        let bytes = scan.bytes
        var i = position
        while i > 0, PastedText.isSpaceOrBreak(bytes[i - 1]) { i -= 1 }
        if i > 0, bytes[i - 1] == UInt8(ascii: ":") { i -= 1 }
        guard i >= 4 else { return nil }
        let word = String(decoding: bytes[(i - 4)..<i], as: UTF8.self).lowercased()
        return word == "user" ? i - 4 : nil
    }

    private func resourceValue(at start: Int) -> (value: Range<Int>, end: Int)? {
        let bytes = scan.bytes
        guard start < bytes.count else { return nil }
        let quote = bytes[start]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") || quote == UInt8(ascii: "`") {
            var i = start + 1
            while i < bytes.count, i - start < 4096, bytes[i] != quote { i += 1 }
            guard i < bytes.count, bytes[i] == quote, i > start + 1 else { return nil }
            return ((start + 1)..<i, i + 1)
        }
        let first = scan.token(from: start, limit: 4096, where: PhraseScanner.isTokenByte) { _, next in
            self.isFollowedByTail(next.upperBound)
        }
        let firstText = scan.text(first)
        if firstText.hasPrefix("arn:") || firstText == "*" || firstText.hasPrefix("https://") || isFollowedByTail(first.upperBound)
            || first.upperBound >= bytes.count || PastedText.isBreak(bytes[first.upperBound]) {
            let value = trimmedTrailingPunctuation(first)
            return value.isEmpty ? nil : (value, value.upperBound)
        }
        // Free text ("user rancher-cloud-credential-user"): up to the decision tail or line end.
        var i = first.upperBound
        while i < bytes.count, i - start < 1024, !PastedText.isBreak(bytes[i]), !isFollowedByTail(i) { i += 1 }
        let value = trimmedTrailingPunctuation(start..<i)
        return value.isEmpty ? nil : (value, value.upperBound)
    }

    /// Whether " because …" or " with an explicit deny" starts at `position`.
    private func isFollowedByTail(_ position: Int) -> Bool {
        scan.match(" because", at: position) != nil || scan.match(" with an explicit", at: position) != nil
            || scan.match(" with an implicit", at: position) != nil
    }

    // MARK: - Decision, policy type and policy ARN

    private static let policyPhrases: [(String, DenyingPolicyType)] = [
        ("identity-based polic", .identityBased),
        ("identity based polic", .identityBased),
        ("resource-based polic", .resourceBased),
        ("resource based polic", .resourceBased),
        ("permissions boundar", .permissionsBoundary),
        ("permission boundar", .permissionsBoundary),
        ("session polic", .sessionPolicy),
        ("service control polic", .serviceControlPolicy),
        ("resource control polic", .resourceControlPolicy),
        ("VPC endpoint polic", .vpcEndpointPolicy),
    ]

    private mutating func readDecision(after position: Int) {
        let explicit = scan.find("with an explicit deny", from: position)
        let implicit = scan.find("because no ", from: position)
        if let explicit, implicit.map({ explicit.lowerBound < $0.lowerBound }) ?? true {
            result.decision = .explicitDeny
            record(.decision, value: explicit, anchor: explicit)
            var at = scan.skippingSpaces(from: explicit.upperBound)
            if let inArticle = scan.match("in ", at: at) { at = skippingArticle(from: inArticle) }
            readPolicyType(at: at, decisionStart: explicit.lowerBound)
            return
        }
        if let implicit, let typeEnd = policyType(at: implicit.upperBound) {
            result.decision = .implicitDeny
            record(.decision, value: implicit.lowerBound..<typeEnd.end, anchor: implicit.lowerBound..<typeEnd.end)
            readPolicyType(at: implicit.upperBound, decisionStart: implicit.lowerBound)
            return
        }
        for (phrase, decision) in [("explicit deny", DenialDecision.explicitDeny), ("explicitly denied", .explicitDeny),
                                   ("implicit deny", .implicitDeny), ("implicitly denied", .implicitDeny)] {
            if let found = scan.find(phrase) {
                result.decision = decision
                record(.decision, value: found, anchor: found)
                return
            }
        }
        // "The request was denied due to a VPC endpoint policy": the type is named, the decision is not.
        if let dueTo = scan.find("denied due to ") {
            readPolicyType(at: skippingArticle(from: dueTo.upperBound), decisionStart: dueTo.lowerBound)
        }
    }

    private mutating func readPolicyType(at position: Int, decisionStart: Int) {
        guard let found = policyType(at: position) else { return }
        result.policyType = found.type
        record(.policyType, value: position..<found.end, anchor: decisionStart..<found.end)
        // Newer messages append the policy ARN: "… in a service control policy: arn:aws:organizations::…".
        var at = found.end
        while at < scan.bytes.count, PhraseScanner.isAlphanumeric(scan.bytes[at]) { at += 1 }  // "policy", "policies"
        at = scan.skippingSpaces(from: skipping(":", from: at))
        guard scan.match("arn:", at: at) != nil else { return }
        let arn = trimmedTrailingPunctuation(scan.token(from: at, limit: 2048, where: PhraseScanner.isTokenByte))
        result.policyArn = take(.policyArn, value: arn, anchor: position..<arn.upperBound)
    }

    private func policyType(at position: Int) -> (type: DenyingPolicyType, end: Int)? {
        for (phrase, type) in DenialReading.policyPhrases {
            if let end = scan.match(phrase, at: position) { return (type, end) }
        }
        return nil
    }

    private func skippingArticle(from position: Int) -> Int {
        for article in ["an ", "a ", "the "] {
            if let end = scan.match(article, at: position) { return end }
        }
        return position
    }

    // MARK: - Encoded authorization message

    private mutating func readEncodedMessage() {
        guard let anchor = scan.find("encoded authorization failure message") else { return }
        let start = scan.skippingSpaces(from: skipping(":", from: anchor.upperBound))
        let isBlobByte: (UInt8) -> Bool = {
            PhraseScanner.isWordByte($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+")
                || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "=")
        }
        let bytes = scan.bytes
        let blob = scan.token(from: start, limit: 1 << 16, where: isBlobByte) { first, next in
            // A terminal hard-wrapped the blob: long first part, next line all blob bytes to its end.
            first.count >= 20 && (next.upperBound >= bytes.count || PastedText.isBreak(bytes[next.upperBound])
                || bytes[next.upperBound] == UInt8(ascii: "."))
        }
        guard blob.count >= 8 else { return }
        result.encodedAuthorizationMessage = take(.encodedAuthorizationMessage, value: blob, anchor: anchor.lowerBound..<min(blob.upperBound, anchor.upperBound + 40))
    }

    // MARK: - Account

    private mutating func readAccountId() {
        if let account = result.principal?.accountId, isAccountId(account) {
            result.accountId = account
            if let origin = result.origins[.principal] { result.origins[.accountId] = origin }
            return
        }
        for (field, value) in [(AuthorizationErrorField.resource, result.resource), (.policyArn, result.policyArn)] {
            if let value, let arn = ARN(value), isAccountId(arn.account) {
                result.accountId = arn.account
                if let origin = result.origins[field] { result.origins[.accountId] = origin }
                return
            }
        }
    }

    private func isAccountId(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    // MARK: - Wording

    private func denialWording() -> Bool {
        ["not authorized", "access denied", "accessdenied", "explicit deny", "is denied", "denied due to",
         "unauthorized", "forbidden", "permission denied"].contains { scan.find($0) != nil }
    }

    // MARK: - Small helpers

    private func isAction(_ range: Range<Int>) -> Bool {
        let text = scan.text(range)
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let service = text[..<colon]
        let action = text[text.index(after: colon)...]
        return !action.isEmpty
            && service.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            && action.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "*" || $0 == "-" || $0 == "_") }
    }

    private func skipping(_ literal: String, from position: Int) -> Int {
        scan.match(literal, at: position) ?? position
    }

    /// Drops trailing `.`, `,`, `:`, `;` and an unbalanced `]` or `)`.
    private func trimmedTrailingPunctuation(_ range: Range<Int>) -> Range<Int> {
        var end = range.upperBound
        let bytes = scan.bytes
        while end > range.lowerBound {
            let last = bytes[end - 1]
            if last == UInt8(ascii: ".") || last == UInt8(ascii: ",") || last == UInt8(ascii: ":") || last == UInt8(ascii: ";") {
                end -= 1
            } else if last == UInt8(ascii: "]"), !bytes[range.lowerBound..<(end - 1)].contains(UInt8(ascii: "[")) {
                end -= 1
            } else {
                break
            }
        }
        return range.lowerBound..<end
    }

    /// The text of `value`, with its origin recorded under `field`.
    private mutating func take(_ field: AuthorizationErrorField, value: Range<Int>, anchor: Range<Int>) -> String {
        record(field, value: value, anchor: anchor)
        return scan.text(value)
    }

    private mutating func record(_ field: AuthorizationErrorField, value: Range<Int>, anchor: Range<Int>) {
        let lower = min(value.lowerBound, anchor.lowerBound)
        let upper = min(max(value.upperBound, anchor.upperBound), lower + 400, scan.bytes.count)
        result.origins[field] = FieldOrigin(utf8Range: value, snippet: PastedText.display(scan.bytes[lower..<upper]))
    }
}
