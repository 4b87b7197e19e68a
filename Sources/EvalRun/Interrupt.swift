#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C handling for long scoring: the first SIGINT sets a flag the loop checks between chunks
/// (so what was scored is saved); a second one exits at once.
public enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    public static func install() {
        signal(SIGINT) { _ in
            if Interrupt.flag != 0 { _exit(130) }
            Interrupt.flag = 1
        }
    }

    public static var requested: Bool { flag != 0 }
}
