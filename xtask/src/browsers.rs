//! Where the browsers and their drivers are, for the tests and the demo.

use crate::cmd::cargo_bin;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

pub fn geckodriver() -> String {
    cargo_bin("geckodriver")
}
