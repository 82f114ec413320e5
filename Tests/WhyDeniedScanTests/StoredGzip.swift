/// Builds gzip members by hand (stored deflate blocks, no compression), so a test can write any
/// trailer it wants, a wrong ISIZE or CRC included.
enum StoredGzip {
    static func member(_ text: [UInt8], isize: UInt32? = nil, crc: UInt32? = nil) -> [UInt8] {
        var bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
        var offset = 0
        repeat {
            let length = min(65_535, text.count - offset)
            let isLast = offset + length == text.count
            bytes.append(isLast ? 1 : 0)
            bytes += littleEndian(UInt16(length)) + littleEndian(~UInt16(length))
            bytes += text[offset..<offset + length]
            offset += length
        } while offset < text.count
        bytes += littleEndian(crc ?? crc32(text))
        bytes += littleEndian(isize ?? UInt32(truncatingIfNeeded: text.count))
        return bytes
    }

    static func member(_ text: String) -> [UInt8] { member(Array(text.utf8)) }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
