//! What can go wrong on a path of the fixture site, as the tests and `--fault` name it.

/// Something to go wrong on a path.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status (500, 503, 404 ...).
    Status(u16),
    /// 429 with `Retry-After: seconds`.
    TooMany {
        /// Seconds in the `Retry-After` header.
        retry_after: u64,
    },
    /// `status` with `Retry-After` as an HTTP date this many seconds from now (negative: past).
    RetryAt {
        /// The status (429 or 503).
        status: u16,
        /// Seconds from now of the date in `Retry-After`.
        offset_secs: i64,
    },
    /// 503 with `Retry-After: seconds`.
    Unavailable {
        /// Seconds in the `Retry-After` header.
        retry_after: u64,
    },
    /// A redirect (302) to this address, as given.
    Redirect(String),
    /// The article page with its canonical link naming another address.
    CanonicalElsewhere,
    /// An article page whose body nests this many elements.
    Deep(usize),
    /// A feed declaring an entity and referencing it thousands of times.
    Entities,
    /// Wait this long before answering.
    Slow {
        /// Milliseconds to wait.
        ms: u64,
    },
    /// Announce the full length, send half, hang up.
    Truncate,
    /// A 10 MB body.
    Huge,
    /// The page with kontan's usual markers gone (a redesign).
    LayoutChanged,
    /// The indicator bar with garbage numbers.
    GarbageBar,
    /// Close the connection without answering.
    Drop,
}

impl Fault {
    /// Parses `500`, `429:30`, `503:30` (with Retry-After), `429date:-60` (Retry-After as an HTTP
    /// date 60 s ago), `slow:20000`, `truncate`, `huge`, `layout`, `garbage`, `drop`,
    /// `redirect:URL`, `canonical`, `deep:100000`, `entities`.
    pub fn parse(kind: &str) -> Result<Fault, String> {
        let (name, arg) = kind.split_once(':').unwrap_or((kind, ""));
        let num = |default: u64| {
            if arg.is_empty() {
                Ok(default)
            } else {
                arg.parse().map_err(|_| format!("bad number in {kind}"))
            }
        };
        Ok(match name {
            "429" => Fault::TooMany {
                retry_after: num(30)?,
            },
            "503" if !arg.is_empty() => Fault::Unavailable {
                retry_after: num(30)?,
            },
            "429date" | "503date" => Fault::RetryAt {
                status: if name == "429date" { 429 } else { 503 },
                offset_secs: arg.parse().map_err(|_| format!("bad number in {kind}"))?,
            },
            "redirect" => Fault::Redirect(arg.to_string()),
            "canonical" => Fault::CanonicalElsewhere,
            "deep" => Fault::Deep(num(100_000)? as usize),
            "entities" => Fault::Entities,
            "slow" => Fault::Slow { ms: num(20_000)? },
            "truncate" => Fault::Truncate,
            "huge" => Fault::Huge,
            "layout" => Fault::LayoutChanged,
            "garbage" => Fault::GarbageBar,
            "drop" => Fault::Drop,
            n => Fault::Status(n.parse().map_err(|_| format!("unknown fault {kind}"))?),
        })
    }
}
