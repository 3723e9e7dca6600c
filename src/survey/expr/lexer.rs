//! Tokenizer for survey expressions.

use std::ops::Range;

use super::ExprError;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    Ident(String),
    And,
    Or,
    Not,
    In,
    True,
    False,
    Dot,
    Comma,
    LParen,
    RParen,
    LBracket,
    RBracket,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    Slash,
}

impl Tok {
    pub fn describe(&self) -> String {
        match self {
            Tok::Num(n) => format!("number {n}"),
            Tok::Str(s) => format!("text '{s}'"),
            Tok::Ident(s) => format!("`{s}`"),
            Tok::And => "`and`".into(),
            Tok::Or => "`or`".into(),
            Tok::Not => "`not`".into(),
            Tok::In => "`in`".into(),
            Tok::True => "`true`".into(),
            Tok::False => "`false`".into(),
            Tok::Dot => "`.`".into(),
            Tok::Comma => "`,`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::EqEq => "`==`".into(),
            Tok::NotEq => "`!=`".into(),
            Tok::Lt => "`<`".into(),
            Tok::Le => "`<=`".into(),
            Tok::Gt => "`>`".into(),
            Tok::Ge => "`>=`".into(),
            Tok::Plus => "`+`".into(),
            Tok::Minus => "`-`".into(),
            Tok::Star => "`*`".into(),
            Tok::Slash => "`/`".into(),
        }
    }
}

pub type Token = (Tok, Range<usize>);

pub fn tokenize(src: &str) -> Result<Vec<Token>, ExprError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c.is_ascii_digit() {
            let mut end = start;
            while let Some(&(i, d)) = chars.peek() {
                if d.is_ascii_digit() || d == '.' || d == '_' {
                    end = i + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let text = src[start..end].replace('_', "");
            let n: f64 = text.parse().map_err(|_| {
                ExprError::new(
                    start..end,
                    format!("`{}` is not a number", &src[start..end]),
                )
            })?;
            out.push((Tok::Num(n), start..end));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut end = start;
            while let Some(&(i, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    end = i + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let word = &src[start..end];
            let tok = match word {
                "and" => Tok::And,
                "or" => Tok::Or,
                "not" => Tok::Not,
                "in" => Tok::In,
                "true" => Tok::True,
                "false" => Tok::False,
                "AND" | "OR" | "NOT" | "IN" | "TRUE" | "FALSE" => {
                    return Err(ExprError::new(start..end, format!("unknown word `{word}`"))
                        .with_help(format!(
                            "keywords are lower case: `{}`",
                            word.to_lowercase()
                        )));
                }
                _ => Tok::Ident(word.to_string()),
            };
            out.push((tok, start..end));
            continue;
        }
        if c == '\'' || c == '"' {
            chars.next();
            let mut value = String::new();
            let mut end = None;
            while let Some((i, d)) = chars.next() {
                if d == '\\' {
                    if let Some((_, e)) = chars.next() {
                        value.push(e);
                    }
                } else if d == c {
                    end = Some(i + 1);
                    break;
                } else {
                    value.push(d);
                }
            }
            let Some(end) = end else {
                return Err(
                    ExprError::new(start..src.len(), "text is missing its closing quote")
                        .with_help(format!("end the text with {c}")),
                );
            };
            out.push((Tok::Str(value), start..end));
            continue;
        }
        chars.next();
        let next = chars.peek().map(|&(_, d)| d);
        let (tok, len) = match (c, next) {
            ('=', Some('=')) => (Tok::EqEq, 2),
            ('!', Some('=')) => (Tok::NotEq, 2),
            ('<', Some('=')) => (Tok::Le, 2),
            ('>', Some('=')) => (Tok::Ge, 2),
            ('<', Some('>')) => {
                return Err(ExprError::new(start..start + 2, "`<>` is not an operator")
                    .with_help("write `!=` for \"not equal\""));
            }
            ('<', _) => (Tok::Lt, 1),
            ('>', _) => (Tok::Gt, 1),
            ('+', _) => (Tok::Plus, 1),
            ('-', _) => (Tok::Minus, 1),
            ('*', _) => (Tok::Star, 1),
            ('/', _) => (Tok::Slash, 1),
            ('.', _) => (Tok::Dot, 1),
            (',', _) => (Tok::Comma, 1),
            ('(', _) => (Tok::LParen, 1),
            (')', _) => (Tok::RParen, 1),
            ('[', _) => (Tok::LBracket, 1),
            (']', _) => (Tok::RBracket, 1),
            ('=', _) => {
                return Err(
                    ExprError::new(start..start + 1, "a single `=` is not a comparison")
                        .with_help("write `==` to compare, e.g. role == 'other'"),
                );
            }
            ('&', Some('&')) => {
                return Err(ExprError::new(start..start + 2, "`&&` is not an operator")
                    .with_help("write `and`"));
            }
            ('|', Some('|')) => {
                return Err(ExprError::new(start..start + 2, "`||` is not an operator")
                    .with_help("write `or`"));
            }
            ('!', _) => {
                return Err(ExprError::new(start..start + 1, "`!` is not an operator")
                    .with_help("write `not`, or `!=` for \"not equal\""));
            }
            _ => {
                return Err(ExprError::new(
                    start..start + c.len_utf8(),
                    format!("unexpected character `{c}`"),
                ));
            }
        };
        if len == 2 {
            chars.next();
        }
        out.push((tok, start..start + len));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn tokenizes_comparisons_keywords_and_literals() {
        assert_eq!(
            toks("role == 'other' and not x.a >= 2.5"),
            vec![
                Tok::Ident("role".into()),
                Tok::EqEq,
                Tok::Str("other".into()),
                Tok::And,
                Tok::Not,
                Tok::Ident("x".into()),
                Tok::Dot,
                Tok::Ident("a".into()),
                Tok::Ge,
                Tok::Num(2.5),
            ]
        );
    }

    #[test]
    fn string_spans_include_quotes_and_escapes_work() {
        let t = tokenize(r#"q == "a\"b""#).unwrap();
        assert_eq!(t[2], (Tok::Str("a\"b".into()), 5..11));
    }

    #[test]
    fn helpful_errors_for_operators_from_other_languages() {
        let e = tokenize("a = 1").unwrap_err();
        assert_eq!(e.span, 2..3);
        assert!(e.help.unwrap().contains("=="));
        assert!(
            tokenize("a && b")
                .unwrap_err()
                .help
                .unwrap()
                .contains("and")
        );
        assert!(tokenize("a <> b").unwrap_err().help.unwrap().contains("!="));
        assert!(
            tokenize("a AND b")
                .unwrap_err()
                .help
                .unwrap()
                .contains("and")
        );
    }

    #[test]
    fn unterminated_text_is_an_error() {
        let e = tokenize("role == 'oth").unwrap_err();
        assert_eq!(e.span, 8..12);
    }
}
