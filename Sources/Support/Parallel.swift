import Dispatch

/// Order-preserving parallel map over all cores, for row-wise work on a whole set of rows.
public enum Parallel {
    /// `items.map(transform)`, computed in one contiguous chunk per core; the result keeps the
    /// order, and the first error thrown (by chunk order) is rethrown. Small inputs run on the
    /// calling thread.
    ///
    /// Each worker writes its results straight into their places in the result array, so no result
    /// is copied (or retained and released again) after it is made. Inlinable, so that callers get
    /// a version specialised to their types rather than one copying through runtime witnesses.
    @inlinable
    public static func map<C: RandomAccessCollection, T>(_ items: C, minimumPerWorker: Int = 256,
                                                        _ transform: (C.Element) throws -> T) throws -> [T] where C.Index == Int {
        let n = items.count
        let workers = min(System.cores, max(1, n / minimumPerWorker))
        if workers <= 1 { return try items.map(transform) }
        return try withoutActuallyEscaping(transform) { transform in
            let chunk = (n + workers - 1) / workers
            let base = items.startIndex
            let chunks = Chunks(workers)
            let result = [T](unsafeUninitializedCapacity: n) { buffer, count in
                // The caller's rows and closure are only read, from one chunk per worker; each
                // worker initialises only its own slots.
                let work = Shared((items, transform, buffer.baseAddress!))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    let (items, transform, start) = work.value
                    let lo = min(n, w * chunk), hi = min(n, lo + chunk)
                    var i = lo
                    do {
                        while i < hi {
                            (start + i).initialize(to: try transform(items[base + i]))
                            i += 1
                        }
                    } catch {
                        chunks.errors[w] = error
                    }
                    chunks.made[w] = i - lo
                }
                if chunks.errors.allSatisfy({ $0 == nil }) {
                    count = n
                } else {
                    // Results made before an error are dropped again; the array stays empty.
                    for w in 0..<workers { (buffer.baseAddress! + min(n, w * chunk)).deinitialize(count: chunks.made[w]) }
                    count = 0
                }
            }
            if let error = chunks.errors.lazy.compactMap({ $0 }).first { throw error }
            return result
        }
    }

    /// What each worker made: results initialised, and the error that stopped it (one slot per
    /// worker, written only by that worker).
    @usableFromInline
    final class Chunks: @unchecked Sendable {
        @usableFromInline let made: UnsafeMutableBufferPointer<Int>
        @usableFromInline let errors: UnsafeMutableBufferPointer<(any Error)?>
        @usableFromInline init(_ workers: Int) {
            made = .allocate(capacity: workers)
            made.initialize(repeating: 0)
            errors = .allocate(capacity: workers)
            errors.initialize(repeating: nil)
        }
        deinit {
            made.deallocate()
            _ = errors.deinitialize()
            errors.deallocate()
        }
    }

    /// Hands values to the workers of one `concurrentPerform`, which only read them.
    @usableFromInline
    struct Shared<Value>: @unchecked Sendable {
        @usableFromInline let value: Value
        @usableFromInline init(_ value: Value) { self.value = value }
    }
}
