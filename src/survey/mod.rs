//! The survey core: the model, loading and checking survey files, the expression
//! language, typed answers, form decoding and page flow. Pure Rust with no I/O
//! beyond reading survey files.

pub mod answer;
pub mod applies_when;
pub mod cells;
pub mod choice;
pub mod client;
pub mod diagnostic;
pub mod expr;
pub mod flow;
pub mod form;
pub mod input;
pub mod load;
pub mod model;
pub mod privacy;
pub mod reader;
pub mod response;
pub mod sample;
pub mod text;
pub mod types;
pub mod variables;

pub use answer::{Answer, Answers};
pub use diagnostic::Diagnostic;
pub use load::{Catalog, load_paths, load_str};
pub use model::{Question, QuestionKind, Survey};
pub use text::{Lang, Text};
