import CLlama
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The process-wide llama.cpp backend, initialised once.
///
/// llama.cpp's own log is dropped except errors; set `HARNESS_LLAMA_LOG=1` to see all of it.
/// The last few error lines are also kept, so that a failure can say why (`takeErrors`).
public enum LlamaBackend {
    private static let recentErrors = Mutex<[String]>([])

    private static let initialised: Bool = {
        llama_log_set({ level, text, _ in
            guard let text else { return }
            if level == GGML_LOG_LEVEL_ERROR || getenv("HARNESS_LLAMA_LOG") != nil {
                _ = write(2, text, strlen(text))
            }
            if level == GGML_LOG_LEVEL_ERROR {
                let line = String(cString: text)
                LlamaBackend.recentErrors.withLock { lines in
                    lines.append(line)
                    if lines.count > 8 { lines.removeFirst(lines.count - 8) }
                }
            }
        }, nil)
        llama_backend_init()
        return true
    }()

    /// Initialises llama.cpp's backend (idempotent).
    public static func ensure() { _ = initialised }

    /// The error lines llama.cpp logged since the last call (at most the last 8), oldest first.
    static func takeErrors() -> [String] {
        recentErrors.withLock { lines in
            defer { lines = [] }
            return lines
        }
    }

    /// Text describing the CPU features llama.cpp was built with.
    public static var systemInfo: String {
        ensure()
        return String(cString: llama_print_system_info())
    }
}
