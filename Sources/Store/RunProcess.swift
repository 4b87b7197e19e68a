#if canImport(Glibc)
import Glibc
#endif
import JSON
import Support

/// The process that runs a run, recorded in the run's summary when it begins (the summary is
/// replaced when the run finishes). A run still marked `running` whose process is gone (killed,
/// crashed, the machine rebooted) reads as `interrupted` instead of running forever.
///
/// A process is named by the kernel's boot id, its pid and its start time in clock ticks since
/// boot (field 22 of /proc/PID/stat), so a pid reused by another process does not pass for it.
enum RunProcess {
    static func current() -> JSONValue {
        .object([("pid", .number(String(getpid()))), ("boot_id", .string(bootID() ?? "")),
                 ("start_ticks", .number(String(startTicks(pid: getpid()) ?? 0)))])
    }

    /// Whether the process recorded in `summary` is still alive; nil when nothing was recorded
    /// (runs of older versions) or it cannot be told (another machine's /proc).
    static func isAlive(_ summary: JSONValue) -> Bool? {
        guard let p = summary["process"], let pid = p["pid"]?.scalarText.flatMap(Int32.init),
              let boot = p["boot_id"]?.scalarText, !boot.isEmpty, let ticks = p["start_ticks"]?.scalarText.flatMap(UInt64.init),
              let now = bootID() else { return nil }
        guard boot == now else { return false }          // the machine rebooted since
        return startTicks(pid: pid) == ticks
    }

    static func bootID() -> String? {
        guard let bytes = try? FileSystem.read("/proc/sys/kernel/random/boot_id", limit: 64) else { return nil }
        let s = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        return s.isEmpty ? nil : s
    }

    /// Field 22 of /proc/PID/stat: after the command name in parentheses, the 20th field.
    static func startTicks(pid: Int32) -> UInt64? {
        guard let bytes = try? FileSystem.read("/proc/\(pid)/stat", limit: 4096),
              let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 19 else { return nil }
        return UInt64(String(decoding: fields[19], as: UTF8.self))
    }
}
