"""The studio's tables of names (variants, panels, form fields, paper, ...): message ids, shown in
the studio's language through the ``messages`` catalogue like every other word (see :mod:`.words`).
A template prints them as they are (the page translates every message); Python translates them."""

from types import SimpleNamespace

from leaflet_gen.i18n import msg

VARIANT = {"trifold": msg("print shop (tri-fold)"), "office": msg("office printer (tri-fold)"),
           "screen": msg("screen / e-mail"), "large-print": msg("large print")}
VARIANT_SHORT = {"trifold": msg("tri-fold"), "office": msg("tri-fold for the office printer"),
                 "screen": msg("screen version"), "large-print": msg("large print")}
PANEL = {"cover": msg("front"), "inside-left": msg("inside left"), "flap": msg("inside flap"),
         "inside-middle": msg("inside middle"), "tuck-in": msg("tuck-in flap"), "back": msg("back")}
# The practice editor's fields: (label, help).
FIELDS = {
    "id": (msg("Short name (folder name)"), msg("Lower-case letters, digits and hyphens, e.g. fysio-delinde. It "
                                                "becomes the folder's name; to change it later, use Rename under "
                                                "\"Manage this practice\".")),
    "name": (msg("Name of the practice"), msg("As it will appear on the leaflet.")),
    "logo": (msg("Logo"), None),  # its help has the logo check's own number: editor.logo_help()
    "logo_alt": (msg("Description of the logo (optional)"),
                 msg("For screen readers. Left empty: “Logo of <name>”.")),
    "colours.primary": (msg("Main colour"), msg("Front, headings and boxes. A colour code like #1B6E8C.")),
    "colours.accent": (msg("Accent colour (optional)"), msg("For small accents. Left empty: the main colour.")),
    "colours.cmyk.primary": (msg("Print colour of the main colour (CMYK, optional)"),
                             msg("Only fill in if your house-style manual gives exact CMYK values (0–100).")),
    "colours.cmyk.accent": (msg("Print colour of the accent colour (CMYK, optional)"),
                            msg("Only if the main colour has CMYK values too.")),
    "contact.address": (msg("Address"), msg("On one line: street and number, postcode, town.")),
    "contact.phone": (msg("Phone number"), msg("For example 030 123 45 67 or +31 30 123 45 67.")),
    "contact.email": (msg("E-mail address (optional)"), msg("For example info@praktijk.nl.")),
    "contact.website": (msg("Website (optional)"), msg("Starts with https://.")),
    "contact.opening_hours": (msg("Opening hours (optional)"), msg("On one line, for example Mon–Fri 8.00–17.00.")),
    "qr_url": (msg("Address for the QR code (optional)"),
               msg("The web page the QR code on the back opens, for example your appointments page.")),
    "audiences": (msg("Which leaflets do you hand out?"), msg("At least one.")),
    "topics": (msg("On which topics?"), msg("No tick: all topics of the project.")),
    "languages": (msg("In which languages?"), msg("Dutch and the languages a translation exists for. A translation "
                                                  "not yet approved gets the word CONCEPT.")),
    "print_shop.marks": (msg("Crop and fold marks on the print PDF"), msg("Leave on, unless your print shop does not "
                                                                          "want them.")),
    "print_shop.icc_profile": (msg("Colour profile of the print shop (optional)"),
                               msg("File name of the ICC profile in the practice's folder. Left empty: FOGRA39.")),
}
# The practice's own words in another language (translations.<code>.<key>): label, help (its %(language)s
# is the language's name).
TRANSLATED_FIELDS = {
    "opening_hours": (msg("Opening hours (optional)"),
                      msg("On one line, as the leaflets in %(language)s print them, for example Mon–Fri 8.00–17.00. "
                          "Without them those leaflets print the Dutch ones.")),
    "logo_alt": (msg("Description of the logo (optional)"),
                 msg("What a screen reader says of the logo in %(language)s. Without it: the words for “Logo of” "
                     "and the practice's name, in %(language)s.")),
}
GROUPS = {"practice": msg("Practice"), "colours": msg("House colours"), "contact": msg("Contact (back of the leaflet)"),
          "leaflets": msg("Leaflets"), "print_shop": msg("Printing"), "translations": msg("In other languages")}
PREVIEW_NAMES = {"panel-cover": msg("Front"), "panel-back": msg("Back"), "sheet-outside": msg("Outside (sheet 1)"),
                 "sheet-inside": msg("Inside (sheet 2)")}
PAPER = {"": msg("as agreed with the print shop"), "mc-135": msg("135 g/m² mc silk"),
         "mc-170": msg("170 g/m² mc silk"), "mat-150": msg("150 g/m² matt (reads well under lamplight)"),
         "recycled-160": msg("160 g/m² recycled matt")}
STATES = {"ok": msg("fine"), "failed": msg("error"), "concept": msg("draft"), "changed": msg("changed after approval"),
          "overdue": msg("review overdue"), "warnings": msg("with warnings"), "pending": msg("waiting to be built"),
          "building": msg("building…")}
STATUS = {"pass": msg("good"), "warn": msg("note"), "fail": msg("error")}  # a preflight check's outcome
CLAIM_KIND = {"fact": msg("fact"), "advice": msg("advice"), "possibility": msg("possibility"),
              "instruction": msg("instruction")}
CONTENT_PART = {"cover": msg("Front"), "flow": msg("Inside"), "back": msg("Back")}
REVIEW_STATE = {"approved": msg("approved"), "changed": msg("changed after approval"), "none": msg("not approved yet")}
REVIEW_DUE = {"ok": "", "soon": msg("soon"), "overdue": msg("overdue")}
BLOCK_TYPE = {"paragraph": msg("Paragraph"), "list": msg("List"), "summary": msg("In short"), "infobox": msg("Box"),
              "tip": msg("Tip"), "links": msg("Links"), "notes": msg("Writing rules")}
CMYK_PARTS = ("C", "M", "Y", "K")

# What the templates see as ``L``: the tables (their words are ``_("...")`` in the template itself).
L = SimpleNamespace(variant=VARIANT, variant_short=VARIANT_SHORT, panel=PANEL, paper=PAPER, status=STATUS,
                    claim_kind=CLAIM_KIND, content_part=CONTENT_PART, review_state=REVIEW_STATE,
                    review_due=REVIEW_DUE, block_type=BLOCK_TYPE, cmyk_parts=CMYK_PARTS)


def variant_name(variant_id: str) -> str:
    return VARIANT.get(variant_id, variant_id)


def panel_name(panel_id: str, fallback: str) -> str:
    return PANEL.get(panel_id, fallback)
