#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WhyDeniedEvidence

/// Reads a trail file whole into a buffer it keeps for the next file, and inflates it whole when
/// it is gzip. Trail files are small (KBs to a few MBs), so one read and one libdeflate call beat
/// streaming them. A file too large for that, one that is not a regular file, or gzip libdeflate
/// refuses is left to the streaming path (zlib then names what is wrong with the data).
/// One per worker thread.
final class WholeFileReader {
    enum Contents {
        /// The file's text (inflated when it was gzip), valid until the next read.
        case text(UnsafeBufferPointer<UInt8>)
        /// Read it in chunks instead.
        case stream
    }

    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Files up to this size on disk are read whole.
    let largestFile: Int
    /// Gzip files are inflated whole when their text is at most this long.
    let largestText: Int
    private let inflater: WholeGzipInflater?
    private var input: UnsafeMutableBufferPointer<UInt8>

    init(largestFile: Int = 16 << 20, largestText: Int = 64 << 20) {
        self.largestFile = largestFile
        self.largestText = largestText
        inflater = WholeGzipInflater(limit: largestText)
        input = .allocate(capacity: 64 << 10)
    }

    deinit { input.deallocate() }

    func read(_ path: String) throws(ReadError) -> Contents {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(description: "cannot open the file for reading") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ReadError(description: "cannot read the file: \(Self.lastError())") }
        let size = Int(status.st_size)
        guard status.st_mode & S_IFMT == S_IFREG, size <= largestFile else { return .stream }
        let bytes = try readAll(descriptor, size: size)
        guard GzipInflater.isGzip(bytes) else { return .text(bytes) }
        guard let inflater else { return .stream }
        do {
            return .text(try inflater.inflate(bytes))
        } catch {
            return .stream
        }
    }

    private func readAll(_ descriptor: Int32, size: Int) throws(ReadError) -> UnsafeBufferPointer<UInt8> {
        if input.count < size {
            // A quarter more, as the inflater's output: files of a trail are of similar sizes.
            input.deallocate()
            input = .allocate(capacity: size + size / 4)
        }
        var filled = 0
        while filled < size {
            let count = systemRead(descriptor, input.baseAddress! + filled, size - filled)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw ReadError(description: "cannot read the file: \(Self.lastError())") }
            if count == 0 { break } // shrank while being read: scan what is there
            filled += count
        }
        return UnsafeBufferPointer(rebasing: input[..<filled])
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

/// read(2), named apart from the methods called `read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
