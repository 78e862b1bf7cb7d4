//! One port for everything. Browsers reach the emulator as an HTTP proxy (`CONNECT host:443`),
//! so pages keep their real hostnames and cookies; API clients may also connect directly with
//! TLS or plain HTTP. The first bytes of a connection tell which.

use std::sync::Arc;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// Put into each request: notifying it closes the connection unanswered (a fault that drops
/// the connection).
#[derive(Clone)]
pub struct ConnectionKill(pub Arc<Notify>);

/// How the request arrived (`https` or `http`), for absolute links such as `@odata.nextLink`.
#[derive(Debug, Clone, Copy)]
pub struct Scheme(pub &'static str);

const TLS_HANDSHAKE: u8 = 0x16;
const MAX_CONNECT_HEAD: usize = 8192;

pub async fn serve(listener: TcpListener, app: Router, tls: Arc<rustls::ServerConfig>) {
    let acceptor = TlsAcceptor::from(tls);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (app, acceptor) = (app.clone(), acceptor.clone());
        tokio::spawn(async move {
            if let Err(e) = handle(stream, app, acceptor).await {
                eprintln!("connection: {e}");
            }
        });
    }
}

async fn handle(
    mut stream: TcpStream,
    app: Router,
    acceptor: TlsAcceptor,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let _ = stream.set_nodelay(true);
    let mut first = [0u8; 8];
    let n = stream.peek(&mut first).await?;
    if first[..n].starts_with(b"CONNECT ") {
        read_connect_head(&mut stream).await?;
        stream
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await?;
        let tls = acceptor.accept(stream).await?;
        return serve_http(TokioIo::new(tls), app, "https").await;
    }
    if n > 0 && first[0] == TLS_HANDSHAKE {
        let tls = acceptor.accept(stream).await?;
        return serve_http(TokioIo::new(tls), app, "https").await;
    }
    serve_http(TokioIo::new(stream), app, "http").await
}

/// Consumes the proxy request head; the tunnel's target does not matter because the Host
/// header of each tunnelled request routes it.
async fn read_connect_head(stream: &mut TcpStream) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(256);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > MAX_CONNECT_HEAD || stream.read(&mut byte).await? == 0 {
            return Err(std::io::Error::other("incomplete CONNECT request"));
        }
        head.push(byte[0]);
    }
    Ok(())
}

async fn serve_http<I>(
    io: TokioIo<I>,
    app: Router,
    scheme: &'static str,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>>
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    // A fault may ask to drop this connection unanswered (see `middleware::faults`).
    let kill = Arc::new(Notify::new());
    let tagged = {
        let kill = ConnectionKill(kill.clone());
        app.map_request(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(kill.clone());
            req.extensions_mut().insert(Scheme(scheme));
            req
        })
    };
    let builder = Builder::new(TokioExecutor::new());
    let connection = builder.serve_connection_with_upgrades(io, TowerToHyperService::new(tagged));
    tokio::select! {
        result = connection => result,
        _ = kill.notified() => Ok(()),
    }
}
