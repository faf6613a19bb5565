"""Plain HTML tables for the notebooks: left-aligned, large enough for a projector."""
from __future__ import annotations


def html_table(headers: list[str], rows: list[list[str]], count_label: str) -> str:
    """An HTML table (cells are already-escaped HTML) followed by a line counting its rows."""
    head = "".join(f"<th style='text-align:left'>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left;vertical-align:top'>{cell}</td>" for cell in row)
                   + "</tr>" for row in rows)
    plural = "s" if len(rows) != 1 else ""
    return (f"<table style='font-size:1.05em'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p><i>{len(rows)} {count_label}{plural}.</i></p>")
