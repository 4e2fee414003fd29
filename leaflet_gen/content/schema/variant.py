"""The schema of ``variants/<id>.yaml``: an output variant's geometry, panels, template and PDF flavour."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from leaflet_gen.content.schema.common import RelativePath, Schema, ShortText, Slug


class Panel(Schema):
    id: Slug
    """The panel's id (a slug)."""
    label: ShortText
    """The panel's name in messages and job sheets, like "inside left"."""
    role: Literal["cover", "flow", "back"]
    """cover (the first page), flow (the text runs through these, in order) or back (the last page)."""
    sheet: Literal["outside", "inside"]
    """The sheet side the panel is printed on: outside or inside."""
    x: float = Field(ge=0)
    """Left edge on the sheet, mm from the left trim."""
    width: float = Field(gt=0)
    """Panel width in mm."""


class Sheet(Schema):
    id: Literal["outside", "inside"]
    """The sheet side: outside or inside."""
    folds: list[float] = Field(default_factory=list)
    """Fold positions in mm from the left trim (fold marks and previews)."""


class Spread(Schema):
    """What the reader sees at once in one state of the folded leaflet (closed, opened once, ...)."""

    id: Slug
    """Short name, e.g. opened-once."""
    label: ShortText
    """How messages name it, e.g. opened once."""
    panels: list[Slug] = Field(min_length=1)
    """Ids of the panels visible together, left to right."""


class Variant(Schema):
    """An output variant: page geometry, template, stylesheet and PDF flavour."""

    id: Slug
    """The variant's id: must equal the file name in variants/."""
    description: ShortText
    """What the variant is for, one line."""
    template: RelativePath
    """The Jinja2 template in templates/ that writes the leaflet's HTML."""
    stylesheet: RelativePath
    """The stylesheet in styles/ (base.css is always loaded first)."""
    font_family: ShortText
    """The typeface every text must be set in; a build that falls back to another font fails."""
    page_width: float = Field(gt=0)
    """Trim width of one sheet/page in mm."""
    page_height: float = Field(gt=0)
    """Trim height of one sheet/page in mm."""
    bleed: float = Field(ge=0, default=0)
    """Bleed beyond the trim on every side, in mm (print: 3)."""
    safe_margin: float = Field(ge=0, default=5)
    """Distance text keeps from the trim and folds, in mm (checked by preflight)."""
    sheets: list[Sheet] = Field(default_factory=list)
    """The sheet sides of a folded leaflet, with their folds (empty: pages as they come)."""
    panels: list[Panel] = Field(default_factory=list)
    """The panels of a folded leaflet (empty: a flowing variant)."""
    spreads: list[Spread] = Field(default_factory=list)
    """The views a reader has of the folded leaflet (closed, opened once, fully open). Text runs on
    inside a section from one flow panel to the next only where some spread shows both; otherwise
    the next panel starts with a section (empty: no such rule)."""
    print_hint: ShortText | None = None
    """A line said after the build on how to print the PDF (optional)."""
    colour: Literal["cmyk", "srgb"] = "srgb"
    """cmyk: print colours and a CMYK output intent; srgb: screen colours."""
    pdf_variant: Literal["pdf/x-4", "pdf/ua-1"] | None = None
    """PDF flavour: pdf/x-4 (print) or pdf/ua-1 (accessible screen), or none."""
    marks: bool = False
    """Crop and fold marks in the slug (print shops may switch them off)."""
    min_body_pt: float = Field(10, gt=0)
    """Smallest body text size in pt (checked by preflight)."""
    job_sheet: bool = False
    """Write a job sheet (text and JSON) next to the PDF."""
    preflight: bool = False
    """Preflight the finished PDF; a failed check means no PDF."""
    min_contrast: float = Field(4.5, ge=4.5, le=21)
    """Text contrast target (WCAG AA 4.5, AAA 7)."""
    omit_blocks: list[Literal["paragraph", "list", "summary", "infobox", "tip", "links", "notes"]] = Field(
        default_factory=list)
    """Block types this variant leaves out, e.g. notes (lines to write on) on a screen; a section left
    without blocks is left out too."""

    def sheet_panels(self, sheet_id: str) -> list[Panel]:
        """The panels of one sheet, left to right (as printed on it)."""
        return sorted((p for p in self.panels if p.sheet == sheet_id), key=lambda p: p.x)

    def mirrored(self) -> "Variant":
        """The same leaflet for a right-to-left language: every panel and fold mirrored on its
        sheet (the cover on the left of the outside sheet, the inside read from the right), the
        reading order of the panels unchanged; "left" and "right" swap in the panels' labels."""
        swap = {"left": "right", "right": "left"}

        def label(text: str) -> str:
            return " ".join(swap.get(word, word) for word in text.split(" "))

        panels = [p.model_copy(update={"x": round(self.page_width - p.x - p.width, 3), "label": label(p.label)})
                  for p in self.panels]
        sheets = [s.model_copy(update={"folds": sorted(round(self.page_width - f, 3) for f in s.folds)})
                  for s in self.sheets]
        return self.model_copy(update={"panels": panels, "sheets": sheets})

    def section_starts(self) -> tuple[str, ...]:
        """Flow panels a section may not run on into: no spread shows them with the panel before."""
        flow = [p.id for p in self.panels if p.role == "flow"]
        if not self.spreads:
            return ()
        return tuple(b for a, b in zip(flow, flow[1:])
                     if not any(a in s.panels and b in s.panels for s in self.spreads))

    @model_validator(mode="after")
    def _panels_tile_sheets(self) -> "Variant":
        for sheet in self.sheets:
            panels = self.sheet_panels(sheet.id)
            edge = 0.0
            for p in panels:
                if abs(p.x - edge) > 0.01:
                    raise ValueError(f"panel {p.id} starts at {p.x} mm but the previous one ends at {edge} mm")
                edge = p.x + p.width
            if panels and abs(edge - self.page_width) > 0.01:
                raise ValueError(f"the panels of sheet {sheet.id} end at {edge} mm, not at the page width")
        known = {p.id for p in self.panels}
        for spread in self.spreads:
            unknown = [pid for pid in spread.panels if pid not in known]
            if unknown:
                raise ValueError(f"spread {spread.id} names panels that do not exist: {', '.join(unknown)} "
                                 f"(panels: {', '.join(sorted(known))})")
        roles = [p.role for p in self.panels]
        if self.panels and (roles.count("cover") != 1 or roles.count("back") != 1 or "flow" not in roles):
            raise ValueError("a panel layout needs exactly one cover panel, one back panel and flow panels")
        return self
