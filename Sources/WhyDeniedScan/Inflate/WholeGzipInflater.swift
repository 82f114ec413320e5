import CLibDeflate

/// Inflates a whole gzip file held in memory with libdeflate, every member of it (what
/// `cat a.gz b.gz` makes), into an output buffer it keeps for the next file. One per worker:
/// a libdeflate decompressor is not shared between threads.
///
/// libdeflate needs room for the whole output up front. The gzip trailer's ISIZE (the last
/// member's size mod 2^32) is the first guess; when the output does not fit, the buffer doubles
/// and the member is inflated again, up to `limit`.
///
/// ```swift
/// let inflater = WholeGzipInflater(limit: 64 << 20)!
/// let text = try inflater.inflate(compressed)   // valid until the next call
/// ```
final class WholeGzipInflater {
    enum Failure: Error, Equatable, CustomStringConvertible {
        /// libdeflate refused member `member` (counted from 1), `inflatedBefore` bytes into the text.
        case corrupt(member: Int, inflatedBefore: Int)
        /// The text is longer than `limit` bytes.
        case tooLarge(limit: Int)

        var description: String {
            switch self {
            case .corrupt(let member, let before):
                return "not valid gzip data (member \(member), after \(before) decompressed bytes)"
            case .tooLarge(let limit):
                return "decompresses to more than \(limit) bytes"
            }
        }
    }

    let limit: Int
    private let decompressor: OpaquePointer
    private var output: UnsafeMutableBufferPointer<UInt8>

    /// Nil when libdeflate cannot allocate a decompressor (out of memory).
    init?(limit: Int) {
        guard let decompressor = libdeflate_alloc_decompressor() else { return nil }
        self.decompressor = decompressor
        self.limit = max(1, limit)
        output = .allocate(capacity: min(self.limit, 64 << 10))
    }

    deinit {
        libdeflate_free_decompressor(decompressor)
        output.deallocate()
    }

    /// The text of every gzip member in `compressed`; zero bytes after the last member are
    /// padding. The buffer returned is reused by the next call.
    func inflate(_ compressed: UnsafeBufferPointer<UInt8>) throws(Failure) -> UnsafeBufferPointer<UInt8> {
        guard let input = compressed.baseAddress, !compressed.isEmpty else { throw .corrupt(member: 1, inflatedBefore: 0) }
        let guess = Self.trailerSize(compressed)
        guard guess <= limit else { throw .tooLarge(limit: limit) }
        reserve(guess, keeping: 0)
        var consumed = 0
        var produced = 0
        var member = 0
        while consumed < compressed.count {
            if member > 0, compressed[consumed...].allSatisfy({ $0 == 0 }) { break }
            member += 1
            while true {
                var memberIn = 0
                var memberOut = 0
                let status = libdeflate_gzip_decompress_ex(
                    decompressor, input + consumed, compressed.count - consumed,
                    output.baseAddress! + produced, output.count - produced, &memberIn, &memberOut)
                if status == LIBDEFLATE_SUCCESS {
                    consumed += memberIn
                    produced += memberOut
                    break
                }
                guard status == LIBDEFLATE_INSUFFICIENT_SPACE else {
                    throw .corrupt(member: member, inflatedBefore: produced)
                }
                guard output.count < limit else { throw .tooLarge(limit: limit) }
                reserve(output.count * 2, keeping: produced)
            }
        }
        return UnsafeBufferPointer(rebasing: output[..<produced])
    }

    /// The last four bytes read as a little-endian size: the ISIZE of a gzip file's last member.
    static func trailerSize(_ compressed: UnsafeBufferPointer<UInt8>) -> Int {
        guard compressed.count >= 4 else { return 0 }
        return compressed.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// Grows the output buffer to at least `capacity` bytes (at most `limit`), keeping its first
    /// `kept` bytes. A quarter more than asked: the next file, a little larger, fits without a
    /// new buffer (reallocating every file fragments the heap: +20 MiB peak on the benchmark).
    private func reserve(_ capacity: Int, keeping kept: Int) {
        guard capacity > output.count else { return }
        let wanted = min(limit, capacity + capacity / 4)
        guard wanted > output.count else { return }
        let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: wanted)
        if kept > 0 { grown.baseAddress!.initialize(from: output.baseAddress!, count: kept) }
        output.deallocate()
        output = grown
    }
}
