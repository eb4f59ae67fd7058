//! [`Prompter`](crate::session::Prompter) implementations: the interactive terminal
//! (dialoguer), plain lines for pipes, scripts and screen readers, and a scripted one for
//! tests.

mod plain;
#[cfg(test)]
pub mod scripted;
mod terminal;
mod text;
mod visible;
mod widgets;

use std::io::IsTerminal;

pub use plain::PlainPrompter;
pub use terminal::TerminalPrompter;
pub use visible::Visible;

/// Whether the interactive terminal prompter can run: dialoguer reads keys from the
/// terminal and draws on stderr, so both must be a terminal.
pub fn terminal_available() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Colours only on a terminal and when `NO_COLOR` is unset.
pub fn configure_colours() {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        console::set_colors_enabled(false);
        console::set_colors_enabled_stderr(false);
    }
}
