//! Any bytes as a progress file for `import` (JSON or CSV): read whole or refused, never a
//! panic. The database is opened only after this succeeds, so a refusal changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lupus_quiz::transfer::read_progress;

fuzz_target!(|bytes: &[u8]| {
    let _ = read_progress("fuzz.json", bytes, lupus_quiz::clock::Clock::system().now());
});
