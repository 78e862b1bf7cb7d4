//! The wasm boundary: the only `#[wasm_bindgen]` code. Each function converts arguments,
//! calls the core, and converts the result back. No logic lives here.
//!
//! Three modules are built from it (Cargo features): `background` for the service worker or
//! event page, `rare` for its rare work (loaded on demand, src/background/rare.rs), `ui` for
//! the panel and the extension pages, so none loads the others' code.

mod convert;

#[cfg(any(feature = "background", feature = "rare"))]
mod background;
#[cfg(feature = "ui")]
mod pages;
#[cfg(feature = "ui")]
mod panel;
#[cfg(feature = "rare")]
mod rare;
#[cfg(feature = "test-trap")]
mod test_trap;

#[cfg(feature = "background")]
pub use background::BackgroundHandle;
#[cfg(feature = "ui")]
pub use pages::{AdminPageView, AuditView, OptionsView, SavedView, UnresolvedView, ValidationView};
#[cfg(feature = "ui")]
pub use panel::PanelView;
#[cfg(feature = "rare")]
pub use rare::RareHandle;
