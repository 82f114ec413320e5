import CZlib
import Foundation

/// Why gzip data could not be inflated.
public struct GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A streaming gzip (or zlib) inflater: feed compressed bytes in any chunk sizes, receive the
/// decompressed bytes as they come. Concatenated gzip members (what `cat a.gz b.gz` makes) are
/// read one after another. Used by the CloudTrail reader for `.json.gz` trail files and by the
/// scanner that streams whole trail archives without holding them in memory.
///
/// ```swift
/// let inflater = try GzipInflater()
/// try inflater.feed(chunk) { bytes in output.append(contentsOf: bytes) }
/// try inflater.finish()   // throws when the data ended early
/// ```
public final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    /// True once a complete gzip member has been read and no further input started another.
    public private(set) var isAtMemberEnd = false
    /// Decompressed bytes produced so far.
    public private(set) var totalOut = 0

    public init(outputChunkSize: Int = 256 * 1024) throws(GzipError) {
        // zlib keeps a pointer back to the z_stream, so it needs a stable address.
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = [UInt8](repeating: 0, count: max(1024, outputChunkSize))
        let status = wd_inflate_init_gzip(stream)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw GzipError("zlib could not start (code \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates `input`, calling `deliver` with each piece of output (the buffer is reused
    /// after `deliver` returns).
    public func feed(_ input: [UInt8], deliver: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard !input.isEmpty else { return }
        try input.withUnsafeBufferPointer { inputBuffer in
            var consumed = 0
            while consumed < inputBuffer.count {
                if isAtMemberEnd {
                    // Another member follows, or padding: zero bytes after the last member are ignored.
                    let rest = inputBuffer[consumed...]
                    if rest.allSatisfy({ $0 == 0 }) { return }
                    guard inflateReset(stream) == Z_OK else { throw GzipError("zlib could not start the next gzip member") }
                    isAtMemberEnd = false
                }
                stream.pointee.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress! + consumed)
                stream.pointee.avail_in = UInt32(inputBuffer.count - consumed)
                let status: Int32 = try output.withUnsafeMutableBufferPointer { outputBuffer in
                    stream.pointee.next_out = outputBuffer.baseAddress
                    stream.pointee.avail_out = UInt32(outputBuffer.count)
                    let status = inflate(stream, Z_NO_FLUSH)
                    let produced = outputBuffer.count - Int(stream.pointee.avail_out)
                    if produced > 0 {
                        totalOut += produced
                        try deliver(UnsafeBufferPointer(rebasing: outputBuffer[0..<produced]))
                    }
                    return status
                }
                consumed = inputBuffer.count - Int(stream.pointee.avail_in)
                switch status {
                case Z_OK, Z_BUF_ERROR:
                    continue
                case Z_STREAM_END:
                    isAtMemberEnd = true
                case Z_DATA_ERROR:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "corrupt data"
                    throw GzipError("not valid gzip data (\(reason)) after \(totalOut) decompressed bytes")
                case Z_MEM_ERROR:
                    throw GzipError("zlib ran out of memory")
                default:
                    throw GzipError("zlib failed (code \(status))")
                }
            }
        }
    }

    /// Call after the last input: throws when the data stopped in the middle of a member.
    public func finish() throws(GzipError) {
        guard isAtMemberEnd else { throw GzipError("gzip data ends early (truncated file?) after \(totalOut) decompressed bytes") }
    }

    /// True when `bytes` start with the gzip magic number.
    public static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1F && iterator.next() == 0x8B
    }

    /// Inflates a whole buffer. `limit` guards against decompression bombs.
    public static func decompress(_ bytes: [UInt8], limit: Int = 1 << 30) throws -> [UInt8] {
        let inflater = try GzipInflater()
        var result: [UInt8] = []
        result.reserveCapacity(min(limit, bytes.count * 8))
        try inflater.feed(bytes) { piece in
            guard result.count + piece.count <= limit else {
                throw GzipError("decompressed data exceeds \(limit) bytes; refusing to read further")
            }
            result.append(contentsOf: piece)
        }
        try inflater.finish()
        return result
    }
}

/// Reads a gzip file in chunks and hands out decompressed chunks, so a large trail file can
/// be scanned without loading it whole.
///
/// ```swift
/// let reader = try GzipFileReader(path: "trail.json.gz")
/// while let chunk = try reader.nextChunk() { scan(chunk) }
/// ```
public final class GzipFileReader {
    private let handle: FileHandle
    private let inflater: GzipInflater
    private let inputChunkSize: Int
    private var pending: [[UInt8]] = []
    private var reachedEnd = false
    public let path: String

    public init(path: String, inputChunkSize: Int = 128 * 1024) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw GzipError("cannot open \(path)") }
        self.handle = handle
        self.path = path
        self.inputChunkSize = inputChunkSize
        inflater = try GzipInflater()
    }

    deinit { try? handle.close() }

    /// The next piece of decompressed data, or nil at the end of the file.
    public func nextChunk() throws -> [UInt8]? {
        while pending.isEmpty {
            if reachedEnd { return nil }
            let input = try handle.read(upToCount: inputChunkSize) ?? Data()
            if input.isEmpty {
                reachedEnd = true
                do { try inflater.finish() } catch { throw GzipError("\(path): \(error.message)") }
                return nil
            }
            do {
                try inflater.feed([UInt8](input)) { piece in pending.append(Array(piece)) }
            } catch let error as GzipError {
                throw GzipError("\(path): \(error.message)")
            }
        }
        return pending.removeFirst()
    }
}
