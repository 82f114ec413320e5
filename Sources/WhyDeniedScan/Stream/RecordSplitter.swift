/// Cuts a stream of JSON text into CloudTrail records without parsing them: the elements of a
/// `{"Records": [...]}` file, of a top-level array, or newline-delimited / concatenated objects.
///
/// It tracks only nesting depth and string state, so most records (the ones that are not
/// denials) are never turned into objects. Memory is bounded by the largest single record.
///
/// ```swift
/// var splitter = RecordSplitter()
/// splitter.feed(chunk) { record in ... }   // record: the bytes of one event object
/// try splitter.finish()
/// ```
public struct RecordSplitter {
    public struct SplitError: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    enum Layout { case unknown, recordsWrapper, array, objects }

    private var layout = Layout.unknown
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Bytes of the record being read, kept across chunk boundaries.
    private var pending: [UInt8] = []
    private var recording = false
    /// Text seen at the top level before the layout is known (`{"Records"` may be cut by a chunk edge).
    private var head: [UInt8] = []
    public private(set) var recordCount = 0

    public init() {}

    private var recordDepth: Int {
        switch layout {
        case .recordsWrapper: return 2
        case .array: return 1
        case .objects, .unknown: return 0
        }
    }

    public mutating func feed(_ chunk: ArraySlice<UInt8>, onRecord: (UnsafeBufferPointer<UInt8>) -> Void) {
        chunk.withUnsafeBufferPointer { buffer in
            feed(buffer, onRecord: onRecord)
        }
    }

    public mutating func feed(_ buffer: UnsafeBufferPointer<UInt8>, onRecord: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard buffer.baseAddress != nil, buffer.count > 0 else { return }
        if layout != .unknown {
            split(buffer, onRecord: onRecord)
            return
        }
        head.append(contentsOf: buffer)
        guard let decided = Self.layout(of: head) else { return }
        layout = decided
        let buffered = head
        head = []
        buffered.withUnsafeBufferPointer { split($0, onRecord: onRecord) }
    }

    /// Learns from the start of the text whether records sit in a `Records` array, a plain array,
    /// or stand alone one after another; nil while too little text has arrived to tell.
    static func layout(of head: [UInt8]) -> Layout? {
        let space: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF]
        guard let first = head.firstIndex(where: { !space.contains($0) }) else { return nil }
        switch head[first] {
        case 0x5B: return .array
        case 0x7B:
            let key = Array("\"Records\"".utf8)
            guard let keyStart = head[(first + 1)...].firstIndex(where: { !space.contains($0) }) else { return nil }
            if head.count - keyStart < key.count { return nil }
            return Array(head[keyStart..<keyStart + key.count]) == key ? .recordsWrapper : .objects
        default: return .objects
        }
    }

    private mutating func split(_ buffer: UnsafeBufferPointer<UInt8>, onRecord: (UnsafeBufferPointer<UInt8>) -> Void) {
        let base = buffer.baseAddress!
        let count = buffer.count
        let target = recordDepth
        var index = 0
        // Where the current record started inside this chunk (-1: none here yet).
        var recordStart = recording ? 0 : -1
        while index < count {
            let byte = base[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                index += 1
                continue
            }
            switch byte {
            case 0x22:
                inString = true
            case 0x7B, 0x5B: // { [
                if depth == target && byte == 0x7B && !recording {
                    recording = true
                    recordStart = index
                }
                depth += 1
            case 0x7D, 0x5D: // } ]
                depth -= 1
                if depth == target && recording && byte == 0x7D {
                    recording = false
                    recordCount += 1
                    if pending.isEmpty {
                        onRecord(UnsafeBufferPointer(start: base + recordStart, count: index + 1 - recordStart))
                    } else {
                        pending.append(contentsOf: UnsafeBufferPointer(start: base, count: index + 1))
                        pending.withUnsafeBufferPointer { onRecord($0) }
                        pending.removeAll(keepingCapacity: true)
                    }
                    recordStart = -1
                }
                if depth < 0 { depth = 0 }
            default:
                break
            }
            index += 1
        }
        if recording {
            let start = max(recordStart, 0)
            pending.append(contentsOf: UnsafeBufferPointer(start: base + start, count: count - start))
        }
    }

    /// Call at the end of the stream. A record still open means the text was cut off; a tiny
    /// text whose layout could not be told yet is read as stand-alone objects.
    public mutating func finish(onRecord: (UnsafeBufferPointer<UInt8>) -> Void) throws(SplitError) {
        if layout == .unknown, !head.isEmpty {
            layout = .objects
            let buffered = head
            head = []
            buffered.withUnsafeBufferPointer { split($0, onRecord: onRecord) }
        }
        if recording || inString {
            throw SplitError(reason: "the text ends inside record \(recordCount + 1) (truncated file?)")
        }
    }
}
