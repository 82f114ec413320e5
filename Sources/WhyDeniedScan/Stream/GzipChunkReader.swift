import CZlib
import Foundation

/// Reads a file as a stream of bytes, inflating it on the way when it is gzip
/// (`.json.gz` trail files) and passing it through otherwise. Memory stays at two fixed buffers
/// whatever the file size.
///
/// ```swift
/// let reader = try GzipChunkReader(path: "AWSLogs/…/2024/07/30/x.json.gz")
/// while let chunk = try reader.nextChunk() { consume(chunk) }
/// ```
public final class GzipChunkReader {
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    private let path: String
    private let handle: FileHandle
    private let isCompressed: Bool
    private var stream = z_stream()
    private var streamOpen = false
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var output: [UInt8]
    private var finished = false
    private let chunkSize: Int

    public init(path: String, chunkSize: Int = 1 << 20) throws(ReadError) {
        self.path = path
        self.chunkSize = chunkSize
        output = [UInt8](repeating: 0, count: chunkSize)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReadError(path: path, reason: "cannot open the file for reading")
        }
        self.handle = handle
        let magic = (try? handle.read(upToCount: 2)) ?? Data()
        isCompressed = magic.count == 2 && magic[magic.startIndex] == 0x1F && magic[magic.startIndex + 1] == 0x8B
        try? handle.seek(toOffset: 0)
        if isCompressed {
            guard wd_inflate_init_gzip(&stream) == Z_OK else {
                throw ReadError(path: path, reason: "zlib could not start inflating")
            }
            streamOpen = true
        }
    }

    deinit {
        if streamOpen { inflateEnd(&stream) }
        try? handle.close()
    }

    /// The next piece of plain bytes, or nil at the end of the file.
    public func nextChunk() throws(ReadError) -> ArraySlice<UInt8>? {
        if finished { return nil }
        if !isCompressed {
            let data = (try? handle.read(upToCount: chunkSize)) ?? Data()
            if data.isEmpty { finished = true; return nil }
            return ArraySlice(data)
        }
        while true {
            if inputOffset >= input.count {
                let data = (try? handle.read(upToCount: chunkSize)) ?? Data()
                if data.isEmpty {
                    finished = true
                    // A stream that stops before its end marker is a truncated download.
                    throw ReadError(path: path, reason: "the gzip stream ends early (truncated file?)")
                }
                input = [UInt8](data)
                inputOffset = 0
            }
            let (status, produced, consumed) = inflateStep()
            inputOffset += consumed
            if status == Z_STREAM_END {
                // Concatenated gzip members (as `cat a.gz b.gz` makes) continue after a reset.
                if inputOffset < input.count || !atEndOfFile() {
                    inflateReset(&stream)
                } else {
                    finished = true
                }
                if produced > 0 { return output[0..<produced] }
                if finished { return nil }
                continue
            }
            if status != Z_OK && status != Z_BUF_ERROR {
                finished = true
                throw ReadError(path: path, reason: "not valid gzip data (zlib status \(status))")
            }
            if produced > 0 { return output[0..<produced] }
        }
    }

    private func atEndOfFile() -> Bool {
        let data = (try? handle.read(upToCount: chunkSize)) ?? Data()
        if data.isEmpty { return true }
        input = [UInt8](data)
        inputOffset = 0
        return false
    }

    private func inflateStep() -> (status: Int32, produced: Int, consumed: Int) {
        let available = input.count - inputOffset
        let capacity = output.count
        return input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress! + inputOffset
                stream.avail_in = UInt32(available)
                stream.next_out = outBuffer.baseAddress!
                stream.avail_out = UInt32(capacity)
                let status = inflate(&stream, Z_NO_FLUSH)
                let produced = capacity - Int(stream.avail_out)
                let consumed = available - Int(stream.avail_in)
                return (status, produced, consumed)
            }
        }
    }
}
