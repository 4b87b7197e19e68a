import Dispatch

/// Order-preserving parallel map over all cores, for row-wise work on a whole set of rows.
public enum Parallel {
    /// `items.map(transform)`, computed in one contiguous chunk per core; the result keeps the
    /// order, and the first error thrown (by chunk order) is rethrown. Small inputs run on the
    /// calling thread.
    public static func map<C: RandomAccessCollection, T>(_ items: C, minimumPerWorker: Int = 256,
                                                        _ transform: (C.Element) throws -> T) throws -> [T] where C.Index == Int {
        let n = items.count
        let workers = min(System.cores, max(1, n / minimumPerWorker))
        if workers <= 1 { return try items.map(transform) }
        return try withoutActuallyEscaping(transform) { transform in
            let parts = UnsafeMutableBufferPointer<Result<[T], any Error>>.allocate(capacity: workers)
            parts.initialize(repeating: .success([]))
            defer { _ = parts.deinitialize(); parts.deallocate() }
            // The caller's rows and closure are only read, from one chunk per worker.
            let box = Parts(parts, work: (items, transform))
            let chunk = (n + workers - 1) / workers
            let base = items.startIndex
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = w * chunk, hi = min(n, lo + chunk)
                guard lo < hi else { return }
                let (items, transform) = box.work
                box.buffer[w] = Result { try (lo..<hi).map { try transform(items[base + $0]) } }
            }
            var out: [T] = []
            out.reserveCapacity(n)
            for part in parts { out += try part.get() }
            return out
        }
    }

    private final class Parts<C: Collection, T>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Result<[T], any Error>>
        let work: (C, (C.Element) throws -> T)
        init(_ b: UnsafeMutableBufferPointer<Result<[T], any Error>>, work: (C, (C.Element) throws -> T)) { buffer = b; self.work = work }
    }
}
