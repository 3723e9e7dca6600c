#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| anketa::fuzzing::expression(data));
