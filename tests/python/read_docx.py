"""Read an anketa report in Word format with python-docx and check it is a document.

Usage: read_docx.py FILE RESPONSES LANG
Checks: the title, Word heading styles (so Word's table of contents works) and a contents
field, the front matter's responses, tables and figures numbered 1, 2, 3... in the
"Caption" style, one embedded image per figure caption, A4 pages, page numbers in the
footer. Prints "ok" or fails with the first mismatch. Run by tests/analysis.rs.
"""

import re
import sys

import docx
from docx.shared import Mm


def style(p) -> str:
    """A paragraph's style name (unstyled paragraphs are Word's Normal)."""
    return p.style.name if p.style is not None else "Normal"


def main() -> None:
    path, responses, lang = sys.argv[1], sys.argv[2], sys.argv[3]
    document = docx.Document(path)
    styles = [style(p) for p in document.paragraphs]
    assert styles.count("Title") == 1, styles[:5]
    headings = [p.text for p in document.paragraphs if style(p) == "Heading 1"]
    assert len(headings) >= 2, headings
    assert any(style(p) == "Heading 2" for p in document.paragraphs)
    body = document.element.body.xml
    assert "TOC \\\\o" in body or 'TOC \\o' in body, "a table of contents field"

    table_word, figure_word, responses_label = {
        "cs": ("Tabulka", "Graf", "Dokončené odpovědi"),
        "en": ("Table", "Figure", "Complete responses"),
    }[lang]
    front = document.tables[0]
    facts = {row.cells[0].text: row.cells[1].text for row in front.rows}
    assert facts.get(responses_label) == responses, facts

    captions = [p.text for p in document.paragraphs if style(p) == "Caption"]
    tables = [c for c in captions if c.startswith(table_word + " ")]
    figures = [c for c in captions if c.startswith(figure_word + " ")]
    for word, found in [(table_word, tables), (figure_word, figures)]:
        numbers = [int(re.match(rf"{word} (\d+): ", c).group(1)) for c in found]
        assert numbers == list(range(1, len(found) + 1)), (word, numbers)
    assert tables and figures, captions[:5]
    # The front matter's table, then one table per table caption.
    assert len(document.tables) == len(tables) + 1, (len(document.tables), len(tables))
    images = len(document.inline_shapes)
    assert images == len(figures), (images, len(figures))

    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert "PAGE" in section.footer._element.xml, "page numbers in the footer"
    assert "analysis/plans" not in body
    print("ok")


if __name__ == "__main__":
    main()
