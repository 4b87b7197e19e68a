import CLlama

/// The process-wide llama.cpp backend, initialised once.
public enum LlamaBackend {
    private static let initialised: Bool = {
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
