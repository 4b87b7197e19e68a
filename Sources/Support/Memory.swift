import CMalloc

/// The process's heap.
public enum Memory {
    /// Hands the pages that freed memory left empty back to the system, in every allocator arena.
    /// After a stage drops most rows (sampling 50k rows down to 16k) the heap keeps their pages
    /// otherwise, and the next stage's new rows land beside them: peak memory then grows stage by
    /// stage. Costs a walk over the free lists (a few milliseconds).
    public static func releaseFreePages() {
        _ = malloc_trim(0)
    }
}
