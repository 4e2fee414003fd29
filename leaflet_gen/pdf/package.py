"""The print shop's package: a practice's print PDFs, each with its job sheet, and a list, as one zip.

Made the same way by ``leaflet-gen build --practice P --zip FILE`` and by the studio
(``/practices/<id>/leaflets.zip``). The zip is deterministic: the same leaflets and order give the
same bytes (names sorted, every entry dated 1980-01-01 00:00, one file mode), so a package can be
compared or checked by its hash.

File names carry the practice (``fysio-delinde-lage-rugpijn-fysiotherapie-trifold.pdf``): two
practices' downloads of the same leaflet no longer collide in a downloads folder.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from leaflet_gen.pdf import jobsheet

LIST_NAME = "inhoud.txt"
_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no build time in the bytes
_VARIANTS_NL = {"trifold": "drieluik", "office": "drieluik (kantoorprinter)", "screen": "scherm",
                "large-print": "grote letter"}


def file_stem(practice_id: str, leaflet_slug: str) -> str:
    """The name of a leaflet's files outside its practice's folder: ``<practice>-<topic>-<audience>-<variant>``."""
    return f"{practice_id}-{leaflet_slug}"


@dataclass(frozen=True)
class Item:
    """One print leaflet of the package."""

    stem: str  # file_stem(): its files are <stem>.pdf, <stem>.job.txt and <stem>.job.json
    pdf: bytes
    sheet: dict  # its job sheet (pdf.jobsheet.job_sheet)


def package(items: list[Item], practice_name: str, order: dict[str, str] | None = None,
            missing: list[str] = ()) -> bytes:
    """The zip: per item its PDF and job sheet (text and JSON, with ``order`` on it), and the list
    (``inhoud.txt``) naming each leaflet with its version and date; ``missing`` names the leaflets
    that are not in it (not built without errors), so that nobody takes the package for complete."""
    files: dict[str, bytes] = {}
    sheets = []
    for item in items:
        sheet = jobsheet.with_order({**item.sheet, "file": f"{item.stem}.pdf"}, order or {})
        sheets.append(sheet)
        files[f"{item.stem}.pdf"] = item.pdf
        files[f"{item.stem}.job.txt"] = jobsheet.as_text(sheet).encode("utf-8")
        files[f"{item.stem}.job.json"] = jobsheet.as_json(sheet).encode("utf-8")
    files[LIST_NAME] = listing(sheets, practice_name, order or {}, missing).encode("utf-8")
    return zipped(files)


def listing(sheets: list[dict], practice_name: str, order: dict[str, str], missing: list[str] = ()) -> str:
    """The package's list, in Dutch: each leaflet with its content version, status and review date."""
    lines = [f"DRUKPAKKET {practice_name}", "",
             f"{len(sheets)} folder(s) om te drukken; bij elke PDF hoort een opdrachtbon (.job.txt om te lezen, "
             ".job.json voor een ordersysteem).", ""]
    given = [(label, order[key]) for key, label in jobsheet.ORDER_FIELDS if order.get(key)]
    if given:
        lines += ["BESTELLING"] + [f"  {label:<14}{value}" for label, value in given] + [""]
    lines.append("FOLDERS")
    for sheet in sorted(sheets, key=lambda s: s["file"]):
        leaflet = sheet["leaflet"]
        status = "goedgekeurd" if sheet["content_status"] == "approved" else "CONCEPT, niet goedgekeurd"
        lines += [f"- {leaflet['topic']} ({leaflet['audience']}, {_VARIANTS_NL.get(leaflet['variant'], leaflet['variant'])})",
                  f"    versie {sheet['content_version']}, {status}, herzien {sheet['last_review']}",
                  f"    {sheet['file']} ({sheet['pages']} pagina's, SHA-256 {sheet['sha256'][:16]}…)"]
    if missing:
        lines += ["", "NIET IN DIT PAKKET (nog niet zonder fouten opgebouwd)"] + [f"- {name}" for name in missing]
    return "\n".join(lines) + "\n"


def zipped(files: dict[str, bytes]) -> bytes:
    """``files`` (name -> bytes) as a zip with sorted names, fixed dates and one file mode."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever it is made
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return out.getvalue()
