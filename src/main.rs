//! The `suara` binary: the command line in `bootstrap::cli`.
fn main() -> std::process::ExitCode {
    suara::bootstrap::cli::main()
}
