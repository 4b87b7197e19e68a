import Foundation

/// libarchive converts every zip entry's DOS time with `mktime`. With `TZ` unset, glibc's `mktime`
/// stats `/etc/localtime` on each call to see whether it changed: two `stat` calls per entry, about
/// a tenth of an ingest's wall time on 50k entries. Naming the same zone explicitly lets glibc load it
/// once. The zone does not change: `:/etc/localtime` is what glibc reads when `TZ` is unset.
enum LocalTimeZone {
    static let pinned: Void = {
        if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 0) }
    }()

    /// Pins the zone once per process; later calls do nothing.
    static func pin() { _ = pinned }
}
