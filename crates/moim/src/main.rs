//! The `moim` binary: parse options, set up logging, serve until Ctrl-C or SIGTERM.

use std::io::IsTerminal;

use anyhow::Context;
use clap::Parser;
use moim::Config;
use moim::config::LogFormat;
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    init_logging(config.log_format);
    raise_open_files_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        moim::run(config, listener, shutdown_signal())
            .await
            .context("server failed")
    })
}

/// Every connection is a file descriptor, and Linux starts services with a
/// soft limit of 1,024: raise it to the hard limit, which the administrator
/// set (systemd's `LimitNOFILE=`). The server derives its connection cap
/// from whatever limit is in force.
fn raise_open_files_limit() {
    match moim::http::listen::nofile::raise() {
        Ok(raised) if raised.to > raised.from => tracing::info!(
            from = raised.from,
            to = raised.to,
            "open-files limit raised from {} to {}",
            raised.from,
            raised.to
        ),
        Ok(raised) => tracing::info!(limit = raised.to, "open-files limit: {}", raised.to),
        Err(e) => tracing::warn!(error = %e, "could not raise the open-files limit"),
    }
}

/// socketioxide and engineioxide print whole packets (chat text, the admin's
/// login) in their debug and trace logs; moim promises logs without message
/// contents, so they never go below `info`, whatever `RUST_LOG` says.
const QUIET_WIRE: [&str; 2] = ["socketioxide=info", "engineioxide=info"];

fn init_logging(format: LogFormat) {
    let mut filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    for directive in QUIET_WIRE {
        // Invariant: the directives above are valid filter syntax.
        filter = filter.add_directive(directive.parse().expect("a valid directive"));
    }
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Pretty => builder.with_ansi(std::io::stdout().is_terminal()).init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Completes on Ctrl-C or, on Unix, SIGTERM (what service managers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
