//! crmsync core: pure Rust, no I/O.
//!
//! Everything outside [`wasm`] and [`ui`] compiles natively and to wasm and does no I/O: it
//! describes requests and reads responses. [`wasm`] is the only `#[wasm_bindgen]` code and
//! holds no logic; [`ui`] renders extension pages with web-sys. Both exist only on `wasm32`.

pub mod activity_model;
pub mod answer;
pub mod background;
pub mod case;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod crm;
pub mod escape;
pub mod host;
pub mod linking;
pub mod matching;
pub mod message;
#[cfg(not(target_arch = "wasm32"))]
pub mod orgwide;
pub mod page;
pub mod page_dom;
pub mod pages;
pub mod panel_model;
#[cfg(not(target_arch = "wasm32"))]
pub mod parallel;
pub mod pipeline;
pub mod profiles;
pub mod record_copy;
pub mod record_fetch;
pub mod salesforce_id;
pub mod settings;
pub mod sort;
pub mod store;
pub mod sync;
pub mod utc;
pub mod validation;
pub mod weburl;
pub mod writeback;

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
