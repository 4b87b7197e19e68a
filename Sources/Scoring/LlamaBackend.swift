import CLlama
#if canImport(Glibc)
import Glibc
#endif

/// The process-wide llama.cpp backend, initialised once.
///
/// llama.cpp's own log is dropped except errors; set `HARNESS_LLAMA_LOG=1` to see all of it.
public enum LlamaBackend {
    private static let initialised: Bool = {
        llama_log_set({ level, text, _ in
            guard let text else { return }
            if level == GGML_LOG_LEVEL_ERROR || getenv("HARNESS_LLAMA_LOG") != nil {
                _ = write(2, text, strlen(text))
            }
        }, nil)
        llama_backend_init()
        return true
    }()

    /// Initialises llama.cpp's backend (idempotent).
    public static func ensure() { _ = initialised }

    /// Text describing the CPU features llama.cpp was built with.
    public static var systemInfo: String {
        ensure()
        return String(cString: llama_print_system_info())
    }
}
