#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C handling for long work (scoring, generating paraphrases): the first SIGINT sets a flag
/// the loop checks between items (so what was done is saved); a second one exits at once.
public enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    public static func install() {
        signal(SIGINT) { _ in
            if Interrupt.flag != 0 { _exit(130) }
            Interrupt.flag = 1
        }
    }

    /// Ctrl-C stops the process again (after the long work), and the flag is cleared.
    public static func restore() {
        signal(SIGINT, SIG_DFL)
        flag = 0
    }

    public static var requested: Bool { flag != 0 }
}
