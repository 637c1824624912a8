//! `kontan-fixture --port 8080`: a local kontan.co.id for demos and manual testing.

use kontan_fixture::{series::Series, Fault, FixtureSite, SiteConfig};

const USAGE: &str = "usage: kontan-fixture [--port N] [--pages DIR] [--series FILE] [--speed X] [--headline-every SECONDS] [--fault PATH=KIND]... [--releases DIR] [--quiet]";

fn main() {
    let mut config = SiteConfig::from_repo();
    config.speed = 1.0;
    config.headline_every = 120.0;
    config.log_to_stdout = true;
    let mut port = 8080u16;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| die(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--port" => port = value().parse().unwrap_or_else(|_| die("bad --port")),
            "--pages" => config.pages_dir = value().into(),
            "--series" => {
                let path = value();
                let csv =
                    std::fs::read_to_string(&path).unwrap_or_else(|e| die(&format!("{path}: {e}")));
                config.series =
                    Series::parse(&csv).unwrap_or_else(|e| die(&format!("{path}: {e}")));
            }
            "--speed" => config.speed = value().parse().unwrap_or_else(|_| die("bad --speed")),
            "--headline-every" => {
                config.headline_every = value()
                    .parse()
                    .unwrap_or_else(|_| die("bad --headline-every"))
            }
            "--fault" => {
                let spec = value();
                let (path, kind) = spec
                    .split_once('=')
                    .unwrap_or_else(|| die("--fault wants PATH=KIND"));
                config.faults.push((
                    path.to_string(),
                    Fault::parse(kind).unwrap_or_else(|e| die(&e)),
                ));
            }
            "--releases" => config.releases_dir = Some(value().into()),
            "--quiet" => config.log_to_stdout = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => die(&format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let site = FixtureSite::spawn(config, port)
        .unwrap_or_else(|e| die(&format!("cannot listen on port {port}: {e}")));
    eprintln!(
        "kontan-fixture: serving on {} (PANTAU_KONTAN_ORIGIN={})",
        site.addr(),
        site.origin()
    );
    loop {
        std::thread::park();
    }
}

fn die(msg: &str) -> ! {
    eprintln!("kontan-fixture: {msg}");
    std::process::exit(2);
}
