//! [`Prompter`](crate::session::Prompter) implementations: the interactive terminal (our
//! own widgets in `widgets.rs`, keys and drawing through console; dialoguer supplies only
//! the look, its `ColorfulTheme`), plain lines for pipes, scripts and screen readers, and a
//! scripted one for tests.

mod plain;
#[cfg(test)]
pub(crate) mod scripted;
mod terminal;
mod text;
mod visible;
mod widgets;

use std::io::IsTerminal;

pub(crate) use plain::PlainPrompter;
pub(crate) use terminal::TerminalPrompter;
pub(crate) use visible::Visible;

/// Whether the interactive terminal prompter can run: it reads keys from the terminal and
/// draws on stderr, so both must be a terminal. (Colours need no setting up: console
/// already leaves them out when the output is not a terminal or `NO_COLOR` is set.)
pub(crate) fn terminal_available() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}
