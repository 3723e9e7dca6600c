//! The options a question offers (a choice list with codes, labels and attributes) and
//! the rows or items a question is made of.

use super::text::{Lang, Text};

#[derive(Debug)]
pub struct ChoiceList {
    /// The name of a shared list (`[choices.agree5]`); `None` for inline `options`.
    pub name: Option<String>,
    /// Names of the attributes every option may carry (e.g. `region`).
    pub attributes: Vec<String>,
    pub options: Vec<Choice>,
}

#[derive(Debug)]
pub struct Choice {
    /// The stable code that goes into exports.
    pub value: String,
    pub label: Text,
    /// Attribute name -> value, e.g. `region = "Praha"`.
    pub attributes: Vec<(String, String)>,
}

impl ChoiceList {
    pub fn get(&self, value: &str) -> Option<&Choice> {
        self.options.iter().find(|c| c.value == value)
    }

    /// Each code with its label, as a codebook lists them: `1 = Ano`.
    pub fn value_labels(&self, lang: Lang) -> Vec<String> {
        self.options
            .iter()
            .map(|o| format!("{} = {}", o.value, o.label.get(lang)))
            .collect()
    }

    pub fn codes(&self) -> Vec<String> {
        self.options.iter().map(|c| c.value.clone()).collect()
    }
}

/// A row of a matrix, or an item of a constant sum: an id (the variable name's second
/// part) and its text.
#[derive(Debug)]
pub struct MatrixRow {
    pub id: String,
    pub text: Text,
}
