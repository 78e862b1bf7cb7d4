//! crmsync core: pure Rust, no I/O.
//!
//! Everything here compiles natively and to wasm. The browser-facing pieces live in
//! [`wasm`] (the only `#[wasm_bindgen]` code) and [`ui`] (DOM rendering with web-sys);
//! both exist only on `wasm32`.

pub mod matching;
