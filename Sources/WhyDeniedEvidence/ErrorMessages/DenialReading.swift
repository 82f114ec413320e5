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
        if result.resource == nil { readDeniedResource() }
        if result.action == nil { readConsoleAction() }
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

    /// A code found in the text, with its rank: lower ranks are more reliable places.
    private struct CodeCandidate {
        var rank: Int
        var value: Range<Int>
        var anchor: Range<Int>
    }

    /// Places a CLI or SDK prints the code, most reliable first; `stops` end the value.
    private static let codePlaces: [(open: String, stops: [UInt8])] = [
        ("error occurred (", [UInt8(ascii: ")")]),
        ("client error (", [UInt8(ascii: ")")]),
        ("<Code>", [UInt8(ascii: "<")]),
        ("\"__type\":\"", [UInt8(ascii: "\"")]),
        ("\"__type\": \"", [UInt8(ascii: "\"")]),
        ("\"Code\":\"", [UInt8(ascii: "\"")]),
        ("\"Code\": \"", [UInt8(ascii: "\"")]),
        ("\"code\": \"", [UInt8(ascii: "\"")]),
        ("code: '", [UInt8(ascii: "'")]),
        ("Error Code: ", [UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: ")")]),
        ("ErrorCode: ", [UInt8(ascii: ","), UInt8(ascii: ";")]),
        ("api error ", [UInt8(ascii: ":")]),
        ("\"errorCode\":\"", [UInt8(ascii: "\"")]),
        ("\"errorCode\": \"", [UInt8(ascii: "\"")]),
    ]

    private mutating func readCode() {
        var candidates: [CodeCandidate] = []
        for (rank, place) in DenialReading.codePlaces.enumerated() {
            guard let anchor = scan.find(place.open) else { continue }
            let value = codeValue(from: anchor.upperBound, stops: place.stops)
            guard !value.isEmpty else { continue }
            candidates.append(CodeCandidate(rank: rank, value: value, anchor: anchor.lowerBound..<value.upperBound))
        }
        let afterPlaces = DenialReading.codePlaces.count
        if let labelled = codeBeforeMessage() {
            candidates.append(CodeCandidate(rank: afterPlaces, value: labelled, anchor: labelled))
        }
        if let word = firstKnownCodeWord() {
            candidates.append(CodeCandidate(rank: afterPlaces + 1, value: word, anchor: word))
        }
        // Prefer a code that means "denied"; a wrapper's code (CloudFormation's ValidationError) only if alone.
        let ordered = candidates.sorted { $0.rank < $1.rank }
        let chosen = ordered.first { AuthorizationErrorCodes.isAuthorization(scan.text($0.value)) } ?? ordered.first
        if let chosen {
            result.code = take(.code, value: chosen.value, anchor: chosen.anchor)
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

    /// The code after a label: a code-like word, `"403 Forbidden"` kept whole, `"__type"` values cut after `#`.
    private func codeValue(from start: Int, stops: [UInt8]) -> Range<Int> {
        let position = scan.skippingSpaces(from: start)
        let bytes = scan.bytes
        // A code hard-wrapped mid-word ("(AccessDe" / "nied)") continues when the closing delimiter follows.
        var value = scan.token(from: position, limit: 120, where: { byte in
            !stops.contains(byte) && PhraseScanner.isTokenByte(byte)
        }, continueWrap: { _, next in
            next.upperBound < bytes.count && stops.contains(bytes[next.upperBound])
        })
        value = trimmedTrailingPunctuation(value)
        if let hash = scan.bytes[value].lastIndex(of: UInt8(ascii: "#")) { value = (hash + 1)..<value.upperBound }
        guard isCodeLike(value) else { return position..<position }
        let text = scan.text(value)
        if text.allSatisfy(\.isNumber), let end = scan.match(" Forbidden", at: value.upperBound) {
            return value.lowerBound..<end
        }
        return value
    }

    private func isCodeLike(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty, range.count <= 100, let first = scan.bytes[range].first,
              PhraseScanner.isAlphanumeric(first) else { return false }
        return scan.bytes[range].allSatisfy {
            PhraseScanner.isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || PastedText.isBreak($0)
        }
    }

    /// SDK wrapper classes that print before the real message but are not AWS error codes.
    private static let wrapperNames: Set<String> = [
        "error", "customerror", "clienterror", "serviceerror", "exception", "runtimeerror", "awserror",
    ]

    /// `ValidationError: User: …` / `AccessDenied: Access Denied`: the code a log prints right before the message.
    private func codeBeforeMessage() -> Range<Int>? {
        let bytes = scan.bytes
        for message in ["User: ", "User ", "You are not authorized", "Access Denied", "Access to the resource"] {
            guard let found = scan.find(message), found.lowerBound >= 3 else { continue }
            var end = found.lowerBound
            while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
            guard end > 0, bytes[end - 1] == UInt8(ascii: ":") else { continue }
            end -= 1
            var start = end
            while start > 0, PhraseScanner.isWordByte(bytes[start - 1]) { start -= 1 }
            guard start < end, start == 0 || bytes[start - 1] != UInt8(ascii: ".") else { continue }
            let word = String(decoding: bytes[start..<end], as: UTF8.self)
            let lowered = word.lowercased()
            let codeSuffixes = ["error", "exception", "denied", "operation", "unauthorized", "forbidden"]
            guard codeSuffixes.contains(where: { lowered.hasSuffix($0) }), !DenialReading.wrapperNames.contains(lowered),
                  word.first?.isUppercase == true else { continue }
            return start..<end
        }
        return nil
    }

    /// First whole word that is a known authorization code (for dotted names like
    /// `software…sns.model.AuthorizationErrorException`, the last part); generic words
    /// (`Forbidden`, `Unauthorized`) only when no specific code appears.
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
            for candidate in wordCandidates(i..<end) {
                let word = String(decoding: bytes[candidate], as: UTF8.self)
                guard word.count >= 9, AuthorizationErrorCodes.isAuthorization(word) else { continue }
                let lowered = word.lowercased()
                if lowered == "forbidden" || lowered == "unauthorized" {
                    if generic == nil { generic = candidate }
                } else {
                    return candidate
                }
            }
            i = j + 1
        }
        return generic
    }

    /// The whole word, its last dotted part, and a glued-on `AccessDeniedException` prefix
    /// (`AccessDeniedExceptionKMS Message:` as Lambda prints it).
    private func wordCandidates(_ word: Range<Int>) -> [Range<Int>] {
        var candidates = [word]
        if let dot = scan.bytes[word].lastIndex(of: UInt8(ascii: ".")), dot + 1 < word.upperBound {
            candidates.append((dot + 1)..<word.upperBound)
        }
        let glued = "AccessDeniedException"
        if word.count > glued.utf8.count, scan.match(glued, at: word.lowerBound) != nil {
            candidates.append(word.lowerBound..<(word.lowerBound + glued.utf8.count))
        }
        return candidates
    }

    // MARK: - Operation

    private mutating func readOperation() {
        // AWS CLI / boto: "when calling the GetObject operation".
        if let anchor = scan.find("when calling the ") {
            let name = scan.token(from: anchor.upperBound, limit: 128, where: PhraseScanner.isWordByte)
            if !name.isEmpty, let end = scan.match(" operation", at: name.upperBound) {
                result.operation = take(.operation, value: name, anchor: anchor.lowerBound..<end)
                return
            }
        }
        // AWS SDK for Go v2: "operation error KMS: Decrypt, https response error …".
        if let anchor = scan.find("operation error ") {
            let service = scan.token(from: anchor.upperBound, limit: 64) { PhraseScanner.isWordByte($0) || $0 == UInt8(ascii: "-") }
            if !service.isEmpty, let colon = scan.match(": ", at: service.upperBound) {
                let name = scan.token(from: colon, limit: 128, where: PhraseScanner.isWordByte)
                if !name.isEmpty {
                    result.operation = take(.operation, value: name, anchor: anchor.lowerBound..<name.upperBound)
                    return
                }
            }
        }
        // AWS SDK for PHP: 'Error executing "AssumeRole" on "https://sts…"'.
        if let anchor = scan.find("Error executing \"") {
            let name = scan.token(from: anchor.upperBound, limit: 128, where: PhraseScanner.isWordByte)
            if !name.isEmpty, scan.match("\"", at: name.upperBound) != nil {
                result.operation = take(.operation, value: name, anchor: anchor.lowerBound..<(name.upperBound + 1))
            }
        }
    }

    // MARK: - "<principal> is not authorized to perform: <action> on resource: <resource>"

    /// Returns where the sentence's fixed part ends, so the decision tail is read after it.
    private mutating func readPrincipalActionResource() -> Int {
        // EC2 says "You are not authorized to perform this operation. User: … is not authorized to
        // perform: ec2:…": use the first occurrence that names an action.
        var occurrences: [Range<Int>] = []
        var from = 0
        while occurrences.count < 8, let found = scan.find("not authorized to perform", from: from) {
            occurrences.append(found)
            from = found.upperBound
        }
        if occurrences.isEmpty, let found = scan.find("is not authorized") { occurrences.append(found) }
        guard let first = occurrences.first else { return 0 }
        let perform = occurrences.first { actionRange(after: $0) != nil } ?? first
        readPrincipal(before: perform.lowerBound)
        guard let actionRange = actionRange(after: perform) else { return perform.upperBound }
        let action = trimmedTrailingPunctuation(actionRange)
        result.action = take(.action, value: action, anchor: perform.lowerBound..<action.upperBound)
        let position = scan.skippingSpaces(from: actionRange.upperBound)
        guard let on = scan.match("on resource", at: position) else { return action.upperBound }
        var valueStart = on
        if valueStart < scan.bytes.count, scan.bytes[valueStart] == UInt8(ascii: "s") { valueStart += 1 }
        valueStart = scan.skippingSpaces(from: skipping(":", from: valueStart))
        if let length = overlongValue(at: valueStart) {
            result.notes.append("the resource after \"on resource:\" is \(length) characters long, more than the \(Self.longestValue) that are read, so it was not read (an IAM ARN is at most 2048 characters)")
            return valueStart
        }
        guard let resource = resourceValue(at: valueStart) else { return valueStart }
        result.resource = take(.resource, value: resource.value, anchor: position..<resource.end)
        return resource.end
    }

    /// The `service:Action` token after "not authorized to perform[:]", if it is one.
    private func actionRange(after perform: Range<Int>) -> Range<Int>? {
        let start = scan.skippingSpaces(from: skipping(":", from: perform.upperBound))
        let range = scan.token(from: start, limit: 256, where: PhraseScanner.isTokenByte)
        return isAction(trimmedTrailingPunctuation(range)) ? range : nil
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
        let whole = tokenBackward(endingAt: i)
        if whole.count >= Self.longestPrincipal, whole.lowerBound > 0, PhraseScanner.isTokenByte(bytes[whole.lowerBound - 1]) {
            // Cut by the bound: a tail of the principal would be a wrong principal, not a short one.
            var start = whole.lowerBound
            while start > 0, PhraseScanner.isTokenByte(bytes[start - 1]) { start -= 1 }
            result.notes.append("the principal before \"is not authorized\" is \(whole.upperBound - start) characters long, more than the \(Self.longestPrincipal) that are read, so it was not read (an IAM ARN is at most 2048 characters)")
            return
        }
        let token = trimmedTrailingPunctuation(whole)
        guard !token.isEmpty else { return }
        let principalText = scan.text(token)
        let lowered = principalText.lowercased()
        guard lowered != "user", lowered != "user:", lowered != "principal" else { return }
        var anchorStart = token.lowerBound
        if let user = userPrefix(endingAt: token.lowerBound) { anchorStart = user }
        result.principalText = principalText
        result.principal = PrincipalIdentity(arn: principalText)
        record(.principal, value: token, anchor: anchorStart..<token.upperBound)
    }

    /// Bounds on how far a principal (read backwards) and a resource are read. A value past its
    /// bound is not read at all, with a note: a cut ARN would name another principal or resource.
    static let longestPrincipal = 2048
    static let longestValue = 4096

    /// The length of the resource value at `start` when it is longer than `longestValue`
    /// (quoted: up to its closing quote; bare: up to the next space or line break), else nil.
    private func overlongValue(at start: Int) -> Int? {
        let bytes = scan.bytes
        guard start < bytes.count else { return nil }
        let quote = bytes[start]
        var i = start
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") || quote == UInt8(ascii: "`") {
            i += 1
            while i < bytes.count, bytes[i] != quote, !PastedText.isBreak(bytes[i]) { i += 1 }
            return i - start - 1 > Self.longestValue ? i - start - 1 : nil
        }
        while i < bytes.count, PhraseScanner.isTokenByte(bytes[i]) { i += 1 }
        return i - start > Self.longestValue ? i - start : nil
    }

    /// Reads a principal backwards from `end`: through placeholders with spaces the reporter put in
    /// (`[account id]`, `<account id>`), and back over a hard wrap into an `arn:` on the line before.
    private func tokenBackward(endingAt end: Int) -> Range<Int> {
        let bytes = scan.bytes
        var start = end
        func readBack() {
            while start > 0, end - start < Self.longestPrincipal, PhraseScanner.isTokenByte(bytes[start - 1]) { start -= 1 }
        }
        readBack()
        while start > 1, end - start < Self.longestPrincipal, bytes[start - 1] == 0x20, let opener = unmatchedCloserOpener(start..<end) {
            start = opener
            readBack()
        }
        if start > 1, start < end, bytes[start - 1] == PastedText.flushBreak, scan.match("arn:", at: start) == nil {
            let lineEnd = start - 1
            var previous = lineEnd
            while previous > 0, lineEnd - previous < 2048, PhraseScanner.isTokenByte(bytes[previous - 1]) { previous -= 1 }
            if previous < lineEnd, scan.match("arn:", at: previous) != nil { start = previous }
        }
        return start..<end
    }

    /// When `range` closes a `]`, `>` or `}` it never opened, the position of the opener on the
    /// same line within 64 bytes before it.
    private func unmatchedCloserOpener(_ range: Range<Int>) -> Int? {
        let bytes = scan.bytes
        for (open, close) in [(UInt8(ascii: "["), UInt8(ascii: "]")), (UInt8(ascii: "<"), UInt8(ascii: ">")),
                              (UInt8(ascii: "{"), UInt8(ascii: "}"))] {
            let slice = bytes[range]
            guard slice.filter({ $0 == close }).count > slice.filter({ $0 == open }).count else { continue }
            var i = range.lowerBound - 1
            while i > 0, range.lowerBound - i < 64, !PastedText.isBreak(bytes[i - 1]) {
                i -= 1
                if bytes[i] == open { return i }
            }
        }
        return nil
    }

    /// When `range` opens a `[`, `<` or `{` it never closed, the position just after the closer
    /// on the same line within 64 bytes.
    private func unmatchedOpenerCloser(_ range: Range<Int>) -> Int? {
        let bytes = scan.bytes
        for (open, close) in [(UInt8(ascii: "["), UInt8(ascii: "]")), (UInt8(ascii: "<"), UInt8(ascii: ">")),
                              (UInt8(ascii: "{"), UInt8(ascii: "}"))] {
            let slice = bytes[range]
            guard slice.filter({ $0 == open }).count > slice.filter({ $0 == close }).count else { continue }
            var i = range.upperBound
            while i < bytes.count, i - range.upperBound < 64, !PastedText.isBreak(bytes[i]) {
                if bytes[i] == close { return i + 1 }
                i += 1
            }
        }
        return nil
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

    /// A token read forwards, through placeholders with spaces and, for an ARN cut short by a
    /// hard wrap (fewer than five colons), on into the next line.
    private func tokenForward(from start: Int) -> Range<Int> {
        let bytes = scan.bytes
        var range = scan.token(from: start, limit: 4096, where: PhraseScanner.isTokenByte) { first, next in
            let text = self.scan.text(first.lowerBound..<first.upperBound)
            let incompleteARN = text.hasPrefix("arn:") && text.filter { $0 == ":" }.count < 5
            return incompleteARN || self.isFollowedByTail(next.upperBound)
        }
        while range.upperBound < bytes.count, range.count < 4096, bytes[range.upperBound] == 0x20,
              let closer = unmatchedOpenerCloser(range) {
            let rest = scan.token(from: closer, limit: 4096, where: PhraseScanner.isTokenByte)
            range = range.lowerBound..<rest.upperBound
        }
        return range
    }

    private func resourceValue(at start: Int) -> (value: Range<Int>, end: Int)? {
        let bytes = scan.bytes
        guard start < bytes.count else { return nil }
        let quote = bytes[start]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") || quote == UInt8(ascii: "`") {
            var i = start + 1
            while i < bytes.count, i - start < Self.longestValue, bytes[i] != quote { i += 1 }
            guard i < bytes.count, bytes[i] == quote, i > start + 1 else { return nil }
            return ((start + 1)..<i, i + 1)
        }
        let first = tokenForward(from: start)
        let firstText = scan.text(first)
        let endsHere = first.upperBound >= bytes.count || PastedText.isBreak(bytes[first.upperBound])
            || isFollowedByTail(first.upperBound)
        if firstText.hasPrefix("arn:") || firstText.hasPrefix("aws:") || firstText == "*"
            || firstText.hasPrefix("https://") || endsHere || !isFreeTextContinuation(first.upperBound) {
            let value = trimmedTrailingPunctuation(first)
            return value.isEmpty ? nil : (value, value.upperBound)
        }
        // Free text ("user rancher-cloud-credential-user"): up to the decision tail or the line's end.
        var i = first.upperBound
        while i < bytes.count, i - start < 1024, !PastedText.isBreak(bytes[i]), !isFollowedByTail(i),
              isFreeTextContinuation(i) || bytes[i] != 0x20 { i += 1 }
        let value = trimmedTrailingPunctuation(start..<i)
        return value.isEmpty ? nil : (value, value.upperBound)
    }

    /// Whether a free-text resource may go on past the space at `position`: not into
    /// "(Service: …", "status code", ". Next sentence" or "- …".
    private func isFreeTextContinuation(_ position: Int) -> Bool {
        let bytes = scan.bytes
        guard position < bytes.count, bytes[position] == 0x20, position + 1 < bytes.count else { return false }
        let next = bytes[position + 1]
        if next == UInt8(ascii: "(") || next == UInt8(ascii: "-") || next == UInt8(ascii: "\"") { return false }
        if position > 0, bytes[position - 1] == UInt8(ascii: ".") || bytes[position - 1] == UInt8(ascii: ",") { return false }
        return scan.match(" status code", at: position) == nil && scan.match(" request id", at: position) == nil
    }

    /// Console banners: "…update your IAM permissions to allow s3:GetBucketVersioning."
    private mutating func readConsoleAction() {
        guard let anchor = scan.find("permissions to allow ") else { return }
        let action = trimmedTrailingPunctuation(scan.token(from: anchor.upperBound, limit: 256, where: PhraseScanner.isTokenByte))
        guard isAction(action) else { return }
        result.action = take(.action, value: action, anchor: anchor.lowerBound..<action.upperBound)
    }

    /// SQS: "Access to the resource https://sqs.us-east-1.amazonaws.com/ is denied."
    private mutating func readDeniedResource() {
        guard let anchor = scan.find("Access to the resource ") else { return }
        let value = trimmedTrailingPunctuation(scan.token(from: anchor.upperBound, limit: 2048, where: PhraseScanner.isTokenByte))
        guard !value.isEmpty, scan.match(" is", at: value.upperBound) != nil else { return }
        result.resource = take(.resource, value: value, anchor: anchor.lowerBound..<value.upperBound)
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
        ("sessions polic", .sessionPolicy),
        ("role trust polic", .resourceBased),
        ("trust polic", .resourceBased),
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
        // The IAM guide's trust-policy example reads "because the role trust policy allows the … action".
        if let because = scan.find("because the ", from: position), let typeEnd = policyType(at: because.upperBound),
           scan.find(" allows", from: typeEnd.end, before: typeEnd.end + 16) != nil {
            result.decision = .implicitDeny
            record(.decision, value: because.lowerBound..<typeEnd.end, anchor: because.lowerBound..<typeEnd.end)
            readPolicyType(at: because.upperBound, decisionStart: because.lowerBound)
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
