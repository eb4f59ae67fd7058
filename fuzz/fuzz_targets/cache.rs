//! Any bytes as a deck cache entry: decoded and validated into a deck that satisfies every
//! rule of the parser, or refused (a miss), and never a panic or a huge allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lupus_quiz::deck::decode_entry;

fuzz_target!(|bytes: &[u8]| {
    let _ = decode_entry(bytes);
});
