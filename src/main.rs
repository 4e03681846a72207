fn main() -> std::process::ExitCode {
    suara::cli::main()
}
