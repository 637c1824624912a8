//! A deliberately small HTTP/1.1 server: one request per connection, full control over what
//! goes on the wire (so bodies can be cut short, stalled or oversized on purpose).

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A parsed request head.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `HEAD`, ...
    pub method: String,
    /// Path and query as sent.
    pub target: String,
    /// Header names and values, as sent.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("/")
    }

    /// A query parameter's value.
    pub fn query(&self, key: &str) -> Option<String> {
        let q = self.target.split_once('?')?.1;
        q.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == key).then(|| percent_decode(v))
        })
    }
}

/// Decodes `%XX` escapes and `+`.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                Ok(b) => {
                    out.push(b);
                    i += 3;
                    continue;
                }
                Err(_) => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads a request head (up to 16 KiB).
pub async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            buf.truncate(end);
            break;
        }
        if buf.len() > 16 * 1024 {
            return None;
        }
    }
    let head = String::from_utf8_lossy(&buf);
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split_whitespace();
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Request {
        method,
        target,
        headers,
    })
}

/// A response to write.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body and content type.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// The body gzip-compressed, as a server does for a client that accepts it.
    pub fn gzipped(mut self) -> Response {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        if encoder.write_all(&self.body).is_err() {
            return self;
        }
        match encoder.finish() {
            Ok(compressed) => {
                self.body = compressed;
                self.headers
                    .push(("Content-Encoding".into(), "gzip".into()));
                self
            }
            Err(_) => self,
        }
    }

    /// Adds a header.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn head(&self, content_length: usize) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {content_length}\r\nConnection: close\r\n\r\n"
        ));
        head.into_bytes()
    }

    /// Writes the whole response; returns the bytes sent.
    pub async fn write(&self, stream: &mut TcpStream) -> std::io::Result<usize> {
        let head = self.head(self.body.len());
        stream.write_all(&head).await?;
        stream.write_all(&self.body).await?;
        stream.flush().await?;
        Ok(head.len() + self.body.len())
    }

    /// Announces the full length but sends only half the body, then hangs up.
    pub async fn write_truncated(&self, stream: &mut TcpStream) -> std::io::Result<usize> {
        let head = self.head(self.body.len());
        stream.write_all(&head).await?;
        stream.write_all(&self.body[..self.body.len() / 2]).await?;
        stream.flush().await?;
        stream.shutdown().await?;
        Ok(head.len() + self.body.len() / 2)
    }

    /// Sends a body of `size` bytes of filler (an oversized page); returns the bytes sent.
    pub async fn write_huge(stream: &mut TcpStream, size: usize) -> std::io::Result<usize> {
        let r = Response::new(200, "text/html; charset=utf-8", Vec::new());
        let head = r.head(size);
        stream.write_all(&head).await?;
        let filler = vec![b' '; 64 * 1024];
        let mut sent = 0;
        while sent < size {
            let n = filler.len().min(size - sent);
            stream.write_all(&filler[..n]).await?;
            sent += n;
        }
        stream.flush().await?;
        Ok(head.len() + sent)
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
