//! The keyboard of an interactive session: keys read as keys (Ctrl-C and Ctrl-Z
//! included) for the whole session, Ctrl-Z suspending the process as a shell expects, Ctrl-C
//! ending the session with its summary, and the terminal's own mode given back however the
//! process ends. The widgets of `widgets.rs` read every key through [`read_press`].

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use console::{Key, Term};
use rustix::termios::{
    self, LocalModes, OptionalActions, QueueSelector, SpecialCodeIndex, Termios,
};

/// Ctrl-Z, as a key read in raw mode.
const CTRL_Z: char = '\u{1a}';

/// A key, or word that the process was suspended and has just been resumed.
pub(super) enum Press {
    Key(Key),
    /// The learner pressed Ctrl-Z, and the shell has now brought the session back: the
    /// screen has the shell's lines on it, so the widget draws itself anew below them.
    Resumed,
}

/// The terminal's mode before [`KeyboardGuard::engage`], to put back.
static SAVED_MODE: OnceLock<Termios> = OnceLock::new();

/// Keeps the terminal from turning Ctrl-C and Ctrl-Z into signals, and from echoing keys,
/// while an interactive session runs. console switches the terminal to raw mode only while
/// it reads a key; in between (while a widget draws, or while console itself waits for the
/// output to drain) a Ctrl-C would arrive as a signal that no read then notices, and the
/// session would hang until the next key, and typed-ahead keys would be echoed over the
/// drawing. With the guard, every key, Ctrl-C and Ctrl-Z included, is read as a key.
/// Dropping it (and Ctrl-Z, and SIGTERM, SIGHUP or SIGQUIT) gives the terminal its mode
/// back.
pub(super) struct KeyboardGuard {
    engaged: bool,
}

impl KeyboardGuard {
    pub(super) fn engage() -> KeyboardGuard {
        let stdin = io::stdin();
        let engaged = termios::isatty(&stdin)
            && termios::tcgetattr(&stdin).is_ok_and(|mode| {
                let _ = SAVED_MODE.set(mode);
                quiet_keyboard()
            });
        if engaged {
            restore_on_fatal_signals();
        }
        KeyboardGuard { engaged }
    }
}

impl Drop for KeyboardGuard {
    fn drop(&mut self) {
        if self.engaged {
            restore_keyboard();
        }
    }
}

/// Drops keys typed before the prompt now drawn appeared: they were meant for the screen
/// before it (a second Enter after the feedback), and must not answer a question the
/// learner has not seen yet.
pub(super) fn drop_typed_ahead() {
    let stdin = io::stdin();
    if termios::isatty(&stdin) {
        let _ = termios::tcflush(&stdin, QueueSelector::IFlush);
    }
}

/// Keys without echo, line editing or signals.
fn quiet_keyboard() -> bool {
    let Some(saved) = SAVED_MODE.get() else {
        return false;
    };
    let mut quiet = saved.clone();
    quiet.local_modes &=
        !(LocalModes::ISIG | LocalModes::ECHO | LocalModes::ICANON | LocalModes::IEXTEN);
    quiet.special_codes[SpecialCodeIndex::VMIN] = 1;
    quiet.special_codes[SpecialCodeIndex::VTIME] = 0;
    termios::tcsetattr(io::stdin(), OptionalActions::Now, &quiet).is_ok()
}

/// The terminal's own mode again.
fn restore_keyboard() {
    if let Some(saved) = SAVED_MODE.get() {
        let _ = termios::tcsetattr(io::stdin(), OptionalActions::Now, saved);
    }
}

/// Set (in the signal handler) by a signal that ends the process, once
/// [`restore_on_fatal_signals`] has been called.
static DYING: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// Set by the main thread once it has stopped touching the terminal because the process
/// is ending.
static STOPPED: AtomicBool = AtomicBool::new(false);

/// A `kill` (SIGTERM), a hang-up (SIGHUP: `kill -HUP` from another terminal, or the window
/// closed) or SIGQUIT (Ctrl-\\ is a key here, so only a `kill -QUIT`) ends the process
/// without running destructors: put the terminal's mode back first (a terminal left
/// without echo stays so until `stty sane`), then die of the signal as usual. A thread
/// waits for these signals, so that the work is done outside a signal handler; it lets the
/// main thread stop first (see [`stop_if_dying`]), since console sets the terminal's mode
/// again when a key read is interrupted, which would undo the restored mode.
fn restore_on_fatal_signals() {
    static REGISTERED: OnceLock<()> = OnceLock::new();
    REGISTERED.get_or_init(|| {
        use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM};
        let fatal = [SIGTERM, SIGHUP, SIGQUIT];
        let dying = DYING.get_or_init(|| Arc::new(AtomicBool::new(false)));
        for signal in fatal {
            let _ = signal_hook::flag::register(signal, Arc::clone(dying));
        }
        let Ok(mut signals) = signal_hook::iterator::Signals::new(fatal) else {
            return;
        };
        // This thread ends the process, once the terminal is restored.
        for signal in fatal {
            crate::temp_files::leave_signal_to_caller(signal);
        }
        let _ = std::thread::Builder::new()
            .name("terminal-mode-keeper".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // The main thread stops at its next key read, or is busy elsewhere
                    // (then it is not about to touch the terminal's mode).
                    let waited_since = std::time::Instant::now();
                    while !STOPPED.load(Ordering::SeqCst)
                        && waited_since.elapsed() < std::time::Duration::from_millis(200)
                    {
                        std::thread::sleep(std::time::Duration::from_millis(2));
                    }
                    restore_keyboard();
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                }
            });
    });
}

/// When a signal that ends the process has come, the main thread waits here, touching the
/// terminal no more, until the thread of [`restore_on_fatal_signals`] ends the process.
fn stop_if_dying() {
    if DYING
        .get()
        .is_some_and(|dying| dying.load(Ordering::SeqCst))
    {
        STOPPED.store(true, Ordering::SeqCst);
        loop {
            std::thread::park();
        }
    }
}

/// Set by a SIGINT, once [`catch_interrupts`] has been called.
static INTERRUPTED: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// Makes Ctrl-C end an interactive session with its summary instead of killing the
/// process: console turns the Ctrl-C key into a SIGINT raised at ourselves, and a Ctrl-C
/// pressed between two key reads (while a widget draws) comes as a SIGINT from the
/// terminal. Either one sets a flag that the next [`read_press`] reports as `Interrupted`.
/// Only the interactive prompter calls this: a plain session blocked on a line of stdin
/// could not notice the flag, so there the default (end the process) is right.
pub(super) fn catch_interrupts() {
    INTERRUPTED.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&flag));
        crate::temp_files::leave_signal_to_caller(signal_hook::consts::SIGINT);
        flag
    });
}

/// Whether a SIGINT came since the last look (and forgets it).
fn take_interrupt() -> bool {
    INTERRUPTED
        .get()
        .is_some_and(|flag| flag.swap(false, Ordering::SeqCst))
}

/// Reads one key as [`read_press`] does, a Ctrl-C as `None`: for a widget that quits on it
/// as on `q`, clearing what it drew.
pub(super) fn read_press_or_ctrl_c(term: &Term) -> io::Result<Option<Press>> {
    match read_press(term) {
        Ok(press) => Ok(Some(press)),
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(None),
        Err(e) => Err(e),
    }
}

/// Reads one key; Ctrl-Z suspends the process until the shell resumes it, and a Ctrl-C
/// pressed before or during the read is an `Interrupted` error.
pub(super) fn read_press(term: &Term) -> io::Result<Press> {
    stop_if_dying();
    if take_interrupt() {
        return Err(io::Error::from(io::ErrorKind::Interrupted));
    }
    let key = term.read_key().inspect_err(|e| {
        stop_if_dying();
        if e.kind() == io::ErrorKind::Interrupted {
            take_interrupt();
        }
    })?;
    match key {
        Key::Char(CTRL_Z) => {
            // The terminal is already back in its normal mode (console restores it after
            // each key); the cursor may be hidden by a menu.
            term.show_cursor()?;
            term.write_line("")?;
            term.flush()?;
            // The shell gets the terminal as it lent it to us.
            restore_keyboard();
            // The default action of SIGTSTP stops us, as the shell's own Ctrl-Z would;
            // the call returns when `fg` continues us. In a session without job control
            // (an orphaned process group) the signal is discarded, and we simply go on.
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
            if SAVED_MODE.get().is_some() {
                quiet_keyboard();
            }
            Ok(Press::Resumed)
        }
        key => Ok(Press::Key(key)),
    }
}
