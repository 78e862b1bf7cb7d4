//! The wasm boundary: the only `#[wasm_bindgen]` code. Each function converts arguments,
//! calls the core, and converts the result back. No logic lives here.
//!
//! Two modules are built from it (Cargo features): `background` for the service worker or
//! event page, `ui` for the panel and the extension pages, so neither loads the other's code.

mod convert;

#[cfg(feature = "background")]
mod background;
#[cfg(feature = "ui")]
mod pages;
#[cfg(feature = "ui")]
mod panel;
#[cfg(feature = "test-trap")]
mod test_trap;

#[cfg(feature = "background")]
pub use background::BackgroundHandle;
#[cfg(feature = "ui")]
pub use pages::{AdminPageView, AuditView, OptionsView, UnresolvedView};
#[cfg(feature = "ui")]
pub use panel::PanelView;
