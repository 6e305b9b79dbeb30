//! `cargo +nightly fuzz run load`: arbitrary bytes as procedure and rules files; see
//! `paperwork_fuzz::check` for the contract checked on every input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| paperwork_fuzz::check(data));
