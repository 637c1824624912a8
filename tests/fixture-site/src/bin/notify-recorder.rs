//! `notify-recorder --out FILE [--no-actions]`: a desktop notification server for tests and
//! demos. Owns `org.freedesktop.Notifications` on the session bus and appends every `Notify`
//! call to FILE as a JSON line.

use kontan_fixture::notifications::{serve, Recorder};
use std::path::PathBuf;

fn usage() -> ! {
    eprintln!("usage: notify-recorder --out FILE [--no-actions]");
    std::process::exit(2);
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> zbus::Result<()> {
    let mut out: Option<PathBuf> = None;
    let mut actions = true;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--no-actions" => actions = false,
            _ => usage(),
        }
    }
    let out = out.unwrap_or_else(|| usage());
    let recorder = Recorder::new(&out, actions).map_err(|e| zbus::Error::Failure(e.to_string()))?;
    let _conn = serve(None, recorder).await?;
    eprintln!("notify-recorder: serving org.freedesktop.Notifications");
    std::future::pending::<()>().await;
    Ok(())
}
