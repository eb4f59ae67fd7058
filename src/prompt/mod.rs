//! [`Prompter`](crate::session::Prompter) implementations: the interactive terminal (our
//! own widgets in `widgets.rs`, keys and drawing through console; dialoguer supplies only
//! the look, its `ColorfulTheme`), plain lines for pipes, scripts and screen readers, and a
//! scripted one for tests.

mod keyboard;
mod plain;
#[cfg(test)]
pub(crate) mod scripted;
mod terminal;
mod text;
mod visible;
mod widgets;

pub(crate) use plain::PlainPrompter;
pub(crate) use terminal::TerminalPrompter;
pub(crate) use visible::Visible;
