//! `soundings`: serve, migrate, seed the demo, administer. See `soundings --help`.

use clap::Parser;

fn main() -> anyhow::Result<()> {
    let cli = soundings::cli::Cli::parse();
    soundings::telemetry::init(cli.config.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(soundings::cli::run(cli))
}
