//! The `soundings` command, built inside the test crate so process-level tests (kill -9,
//! two copies) can find it as `CARGO_BIN_EXE_server`. Same code as backend/src/main.rs.

use clap::Parser;

fn main() -> anyhow::Result<()> {
    let cli = soundings::cli::Cli::parse();
    soundings::telemetry::init(cli.config.log_format);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(soundings::cli::run(cli))
}
