fn main() -> std::process::ExitCode {
    suara::bootstrap::cli::main()
}
