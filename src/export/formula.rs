//! Spreadsheet formula injection: a CSV cell that starts with `=`, `+`, `-`, `@`, a tab or
//! a carriage return is run as a formula by Excel and LibreOffice when the file is opened
//! (`=HYPERLINK(...)` typed by a respondent). Every CSV anketa writes prefixes such a cell
//! with an apostrophe (the OWASP advice), except numbers (`-3`, `+1.5` stay numbers);
//! `anketa import` takes the apostrophe off again, so an export imports unchanged.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

fn triggers(first: Option<&u8>) -> bool {
    first.is_some_and(|b| TRIGGERS.contains(b))
}

/// The cell as written to a CSV file. Text already starting with an apostrophe and a
/// formula character gets a second apostrophe, so that [`restore`] gives it back as typed.
pub fn neutralise(cell: &[u8]) -> Cow<'_, [u8]> {
    let typed_apostrophe = cell.first() == Some(&b'\'') && triggers(cell.get(1));
    if !triggers(cell.first()) && !typed_apostrophe {
        return Cow::Borrowed(cell);
    }
    // A number, also with a decimal comma (`-3,5` in the Excel variant): a spreadsheet
    // reads it as a number, never as a formula.
    let number = std::str::from_utf8(cell).ok().is_some_and(|s| {
        s.parse::<f64>().is_ok_and(f64::is_finite)
            || (!s.contains('.')
                && s.replacen(',', ".", 1)
                    .parse::<f64>()
                    .is_ok_and(f64::is_finite))
    });
    if number {
        return Cow::Borrowed(cell);
    }
    let mut out = Vec::with_capacity(cell.len() + 1);
    out.push(b'\'');
    out.extend_from_slice(cell);
    Cow::Owned(out)
}

/// A cell read from a CSV file anketa may have written: the apostrophe in front of a
/// formula character taken off.
pub fn restore(cell: &str) -> Cow<'_, str> {
    match cell.strip_prefix('\'') {
        Some(rest)
            if triggers(rest.as_bytes().first())
                || (rest.starts_with('\'') && triggers(rest.as_bytes().get(1))) =>
        {
            Cow::Borrowed(rest)
        }
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_an_apostrophe_and_numbers_do_not() {
        let cases: [(&str, &str); 13] = [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+420 777 888 999", "'+420 777 888 999"),
            ("-rm", "'-rm"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\r=1+1", "'\r=1+1"),
            ("-3", "-3"),
            ("+1.5", "+1.5"),
            // The Excel variant's decimal comma is a number too; two commas are text.
            ("-3,5", "-3,5"),
            ("-3,5,1", "'-3,5,1"),
            ("-1.5,2", "'-1.5,2"),
            ("Praha", "Praha"),
            ("", ""),
        ];
        for (cell, written) in cases {
            assert_eq!(
                neutralise(cell.as_bytes()).as_ref(),
                written.as_bytes(),
                "{cell:?}"
            );
            assert_eq!(restore(written), cell, "{written:?}");
        }
        // An apostrophe typed by a respondent before ordinary text stays; one typed before
        // a formula character survives the round trip too.
        assert_eq!(restore("'quoted'"), "'quoted'");
        assert_eq!(neutralise(b"'quoted'").as_ref(), b"'quoted'");
        assert_eq!(neutralise(b"'=x").as_ref(), b"''=x");
        assert_eq!(restore("''=x"), "'=x");
    }
}
