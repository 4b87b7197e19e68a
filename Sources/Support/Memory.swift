import CMalloc
import Dispatch

/// The process's heap.
public enum Memory {
    /// Hands pages that freed memory left empty back to the system, as far as the allocator lets
    /// go of them: after a stage drops most rows (sampling 50k rows down to 16k) the heap would
    /// otherwise keep them until it needs them again. mimalloc returns only the calling thread's
    /// empty pages, and not all of them (in a fresh process, 22 MB of 51 MB freed; in a long-lived
    /// one, sometimes none). What bounds the peak is that the next rows reuse freed blocks: always
    /// when one thread made and freed them (`MemoryTests`), across threads only when the thread
    /// that made a block allocates again (not guaranteed: half of 51 MB in one test). The peak RSS figures of
    /// `bench/run.sh` are the measure. Costs a walk over the calling thread's pages (milliseconds).
    public static func releaseFreePages() {
        // mimalloc serves every allocation once linked (see CMalloc); its heaps are per thread. glibc's
        // heap is trimmed too, for anything allocated before mimalloc took over.
        mi_collect(true)
        _ = malloc_trim(0)
    }

    /// Lets go of `value` on a background thread: freeing the rows of a run (tens of thousands of
    /// records of a few strings each) held the main thread for tens of milliseconds at its end,
    /// with nothing left to overlap. The caller must hold no other reference for this to help.
    public static func releaseInBackground<T: Sendable>(_ value: consuming T) {
        let held = value
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(held) {} }
    }

    /// Whether mimalloc serves this process's `malloc` (its override took effect at link time).
    public static var usesMimalloc: Bool {
        let block = malloc(16)
        defer { free(block) }
        return mi_is_in_heap_region(block)
    }
}
