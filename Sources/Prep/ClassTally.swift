import Dispatch
import JSON
import Records

/// `ClassValues` filled on a queue of its own: the rows of a batch are handed over and the caller
/// goes on while their values are added, in the order the batches came. Counting the class values
/// of every row was a serial part of the main thread's work in the streamed stages, while the
/// other core waited for it.
///
///     let tally = ClassTally(columns: columns)
///     tally.add(batch)               // returns at once; the batch is read on the queue
///     let counts = tally.counts()    // waits for every batch added before
final class ClassTally: @unchecked Sendable {
    private var values: ClassValues
    private let queue = DispatchQueue(label: "harness.classtally")
    /// At most this many batches wait (each holds its rows), so memory stays bounded if the queue
    /// falls behind.
    private let waiting = DispatchSemaphore(value: 2)

    init(columns: [String]) { values = ClassValues(columns: columns) }

    /// Adds the rows' values after those of the rows added before.
    func add(_ rows: [Record]) {
        waiting.wait()
        queue.async {
            // By index: `for r in rows` copied every row (a retain per value).
            rows.withUnsafeBufferPointer { self.values.add($0) }
            self.waiting.signal()
        }
    }

    /// `ClassValues.counts(of:)` over every row added so far.
    func counts(of positions: [Int]? = nil) -> JSONValue {
        queue.sync { values.counts(of: positions) }
    }
}
