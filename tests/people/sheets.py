"""Build spreadsheets the way organisers' Excel produces them: CSV in UTF-8 or cp1252, or real .xlsx."""
from __future__ import annotations

import io

from openpyxl import Workbook

HEADER = ["Vorname", "Nachname", "E-Mail", "Telefon", "Sprache", "Art", "Beirat"]


def csv_bytes(rows: list[list[str]], header=HEADER, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list], header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
