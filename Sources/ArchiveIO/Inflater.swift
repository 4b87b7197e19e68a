import CDeflate

/// One libdeflate decompressor, made once and used for many members. Making one clears about 30 KB
/// of tables (a tenth of the instructions of inflating a typical 2 KB AI Hub label file), so each
/// thread keeps its own for a whole batch. Not for two threads at once.
///
///     let inflater = Inflater()
///     for pending in batch { let entry = pending.load(using: inflater) }
public final class Inflater {
    let decompressor: OpaquePointer?

    public init() { decompressor = libdeflate_alloc_decompressor() }

    deinit { if let decompressor { libdeflate_free_decompressor(decompressor) } }

    /// Raw deflate of exactly `size` bytes that ends where the input does; nil otherwise.
    /// libdeflate inflates a whole buffer at once, about twice as fast as zlib's streaming inflate.
    func inflate(_ compressed: [UInt8], size: Int) -> [UInt8]? {
        guard let decompressor else { return nil }
        var ok = false
        let out = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            compressed.withUnsafeBufferPointer { input in
                var read = 0, written = 0
                // A stream that inflates to more than `size` stops with "insufficient space".
                let r = libdeflate_deflate_decompress_ex(decompressor, input.baseAddress, input.count, buffer.baseAddress, size, &read, &written)
                ok = r == LIBDEFLATE_SUCCESS && read == input.count && written == size
            }
            count = ok ? size : 0
        }
        return ok ? out : nil
    }
}

@available(*, unavailable)
extension Inflater: Sendable {}
