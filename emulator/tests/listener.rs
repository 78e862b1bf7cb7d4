//! The one port over real sockets: plain HTTP, the CONNECT answer browsers need, and faults
//! that delay or drop connections.

use std::time::{Duration, Instant};

use emulator::state::seed::Seed;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start() -> std::net::SocketAddr {
    let emu = emulator::build(None, Seed::None, Duration::from_secs(60)).unwrap();
    let tls = emulator::tls::generate().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(emulator::serve(listener, emu, tls.config));
    addr
}

/// Sends one request on a fresh connection and reads until the server closes or answers.
async fn exchange(addr: std::net::SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
        .await
        .unwrap()
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

fn post(path: &str, body: &str) -> String {
    format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
}

const VERSIONS: &str =
    "GET /services/data/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

#[tokio::test]
async fn plain_http_connect_and_faults() {
    let addr = start().await;
    assert!(exchange(addr, VERSIONS).await.starts_with("HTTP/1.1 200"));

    let connect = exchange(
        addr,
        "CONNECT acme.my.salesforce.com:443 HTTP/1.1\r\nHost: acme.my.salesforce.com:443\r\n\r\n",
    )
    .await;
    assert!(
        connect.starts_with("HTTP/1.1 200 Connection Established"),
        "{connect}"
    );

    let drop = post(
        "/_emulator/faults",
        r#"{"path": "/services/data/", "drop": true, "count": 1}"#,
    );
    assert!(exchange(addr, &drop).await.starts_with("HTTP/1.1 204"));
    assert_eq!(
        exchange(addr, VERSIONS).await,
        "",
        "the connection closes unanswered"
    );
    assert!(
        exchange(addr, VERSIONS).await.starts_with("HTTP/1.1 200"),
        "only once"
    );

    let slow = post(
        "/_emulator/faults",
        r#"{"path": "/services/data/", "latencyMs": 300, "count": 1}"#,
    );
    exchange(addr, &slow).await;
    let started = Instant::now();
    assert!(exchange(addr, VERSIONS).await.starts_with("HTTP/1.1 200"));
    assert!(started.elapsed() >= Duration::from_millis(300));

    let limited = post(
        "/_emulator/faults",
        r#"{"path": "/services/data/", "status": 503, "retryAfter": 7}"#,
    );
    exchange(addr, &limited).await;
    let answer = exchange(addr, VERSIONS).await;
    assert!(answer.starts_with("HTTP/1.1 503"));
    assert!(answer.to_ascii_lowercase().contains("retry-after: 7"));
    assert!(answer.contains("SERVER_UNAVAILABLE"));
}
