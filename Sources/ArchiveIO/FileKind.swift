import Foundation
import Support

/// What a file is, judged by its first bytes rather than its name.
enum FileKind: Equatable {
    case zip, tar, compressed, text(String), unknown

    static func sniff(_ head: [UInt8]) -> FileKind {
        if head.starts(with: [0x50, 0x4B]) { return .zip }
        if head.count > 262, Array(head[257..<262]) == Array("ustar".utf8) { return .tar }
        if head.starts(with: [0x1F, 0x8B]) || head.starts(with: Array("BZh".utf8)) || head.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A]) {
            return .compressed
        }
        if !head.isEmpty, !head.contains(0),
           let text = String(validating: head, as: UTF8.self) ?? Charset.decode(head, from: "CP949") ?? tolerantCP949(head) {
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
            return .text(String(line.prefix(160)).trimmingCharacters(in: .whitespaces))
        }
        return .unknown
    }

    /// CP949 text whose last character may be cut by the sniff window.
    private static func tolerantCP949(_ head: [UInt8]) -> String? {
        for cut in 1...2 where head.count > cut {
            if let s = Charset.decode(Array(head.dropLast(cut)), from: "CP949") { return s }
        }
        return nil
    }

    /// Names that are opened as archives when they appear inside another archive.
    static func looksLikeArchive(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".zip") || lower.hasSuffix(".tar") || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz")
    }
}
