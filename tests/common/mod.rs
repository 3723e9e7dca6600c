//! Shared test harness: databases on both backends and a running app with a browser-like
//! HTTP client.
#![allow(dead_code)]

pub mod app;
pub mod db;
pub mod load;
pub mod pg_cluster;
pub mod server;
pub mod staff;
pub mod tools;
pub mod totp;
