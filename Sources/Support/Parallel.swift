import Dispatch
import Synchronization

/// Order-preserving parallel map over all cores, for row-wise work on a whole set of rows.
public enum Parallel {
    /// `items.map(transform)` on all cores; the result keeps the order, and the first error thrown
    /// (the one a sequential map would throw) is rethrown. Small inputs run on the calling thread.
    ///
    /// The workers claim blocks of items in order from a shared counter rather than one fixed share
    /// each: other threads of the run (the ingest's conversions, the file writers) take turns on the
    /// same cores, and a fixed share left one core idle while the other finished a late half.
    ///
    /// Each worker writes its results straight into their places in the result array, so no result
    /// is copied (or retained and released again) after it is made. Inlinable, so that callers get
    /// a version specialised to their types rather than one copying through runtime witnesses.
    @inlinable
    public static func map<C: RandomAccessCollection, T>(_ items: C, minimumPerWorker: Int = 256,
                                                        _ transform: (C.Element) throws -> T) throws -> [T] where C.Index == Int {
        // Items in one buffer (arrays, slices) are handed to `transform` in place: an array's
        // element read for a call was a copy, a retain and a release of every string of a row.
        if let mapped = try items.withContiguousStorageIfAvailable({ try inOrder($0, minimumPerWorker: minimumPerWorker, transform) }) { return mapped }
        return try inOrder(items, minimumPerWorker: minimumPerWorker, transform)
    }

    @inlinable
    static func inOrder<C: RandomAccessCollection, T>(_ items: C, minimumPerWorker: Int,
                                                      _ transform: (C.Element) throws -> T) throws -> [T] where C.Index == Int {
        let n = items.count
        let workers = min(System.cores, max(1, n / minimumPerWorker))
        if workers <= 1 { return try items.map(transform) }
        return try withoutActuallyEscaping(transform) { transform in
            // About 16 blocks per worker, of at least 8 items: few claims, small tails.
            let block = max(8, n / (workers * 16))
            let blocks = Blocks(count: (n + block - 1) / block)
            let base = items.startIndex
            let result = [T](unsafeUninitializedCapacity: n) { buffer, count in
                // The caller's rows and closure are only read; each block's slots are initialised
                // by the one worker that claimed it.
                let work = Shared((items, transform, buffer.baseAddress!))
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    let (items, transform, start) = work.value
                    while let b = blocks.claim() {
                        let lo = b * block, hi = min(n, lo + block)
                        var i = lo
                        do {
                            while i < hi {
                                (start + i).initialize(to: try transform(items[base + i]))
                                i += 1
                            }
                        } catch {
                            blocks.fail(b, error)
                        }
                        blocks.made[b] = i - lo
                    }
                }
                if blocks.firstError == nil {
                    count = n
                } else {
                    // Results made before an error are dropped again; the array stays empty.
                    for b in 0..<blocks.made.count { (buffer.baseAddress! + b * block).deinitialize(count: blocks.made[b]) }
                    count = 0
                }
            }
            if let error = blocks.firstError { throw error }
            return result
        }
    }

    /// The blocks of one `map`: the next one to claim, what each made, and the error of the
    /// earliest block that threw. Once a block throws no new block is claimed; every earlier block
    /// was claimed before it and runs to its end, so the error kept is the sequential map's.
    @usableFromInline
    final class Blocks: @unchecked Sendable {
        @usableFromInline let made: UnsafeMutableBufferPointer<Int>
        private let next = Atomic<Int>(0)
        private let lock = Mutex<(block: Int, error: (any Error)?)>((Int.max, nil))
        @usableFromInline init(count: Int) {
            made = .allocate(capacity: count)
            made.initialize(repeating: 0)
        }
        deinit { made.deallocate() }

        /// The next block to work on, or nil when all are taken or one has thrown.
        @usableFromInline func claim() -> Int? {
            let b = next.wrappingAdd(1, ordering: .relaxed).oldValue
            return b < made.count ? b : nil
        }

        @usableFromInline func fail(_ block: Int, _ error: any Error) {
            next.store(made.count, ordering: .relaxed)
            lock.withLock { if block < $0.block { $0 = (block, error) } }
        }

        @usableFromInline var firstError: (any Error)? { lock.withLock { $0.error } }
    }

    /// Hands values to the workers of one `concurrentPerform`, which only read them.
    @usableFromInline
    struct Shared<Value>: @unchecked Sendable {
        @usableFromInline let value: Value
        @usableFromInline init(_ value: Value) { self.value = value }
    }
}
