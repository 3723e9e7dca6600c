//! Shared test harness: databases on both backends and a running app with a browser-like
//! HTTP client.
#![allow(dead_code)]

pub mod app;
pub mod db;
pub mod staff;
