#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| anketa::fuzzing::survey_toml(data));
