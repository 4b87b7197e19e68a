extension String {
    /// Calls `body` with the string's UTF-8 bytes, without copying the string first.
    ///
    /// `withUTF8` is mutating, so a caller holding a `let` had to copy the string into a `var`:
    /// a retain and a release per call, on every field of every row. Summed over the writers,
    /// the refine rules and the key makers, that was a few percent of a `prep run` (a
    /// microbenchmark comparing 600-byte strings: 0.18 s against 0.11 s for 2 million calls).
    /// Native strings (all the runs make) give their bytes in place; any other string is made
    /// native on a copy, as `withUTF8` does.
    @inlinable
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self
        return try copy.withUTF8(body)
    }
}
