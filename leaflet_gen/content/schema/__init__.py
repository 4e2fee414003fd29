"""Typed schemas: one class per YAML file kind (settings, practice, topic, section, claims, variant,
catalogue), each in its own module, with what they share in :mod:`.common`; every name is
importable from here.

Validation happens once, here, at the front of the pipeline; everything downstream works on
these frozen objects, never on raw dicts. Formats that users get wrong by hand (colours, URLs,
e-mail, phone numbers, paths) are checked with messages that show a correct example.
"""

from leaflet_gen.content.schema.catalogue import Catalogue, CatalogueItem
from leaflet_gen.content.schema.claims import CLAIMS_FILE, Claim, ClaimKind, Claims
from leaflet_gen.content.schema.common import (
    ID_MAX,
    LANGUAGE_RE,
    SETTINGS_FILE,
    SLUG_RE,
    Audience,
    Email,
    HexColour,
    Language,
    Phone,
    RelativePath,
    Schema,
    ShortText,
    Slug,
    Text,
    Url,
)
from leaflet_gen.content.schema.descriptions import documented
from leaflet_gen.content.schema.practice import (
    Cmyk,
    CmykColours,
    Colours,
    Contact,
    Group,
    Practice,
    PracticeTexts,
    PrintShop,
)
from leaflet_gen.content.schema.section import (
    ICONS,
    Block,
    BulletList,
    ClaimedBlock,
    Icon,
    InfoBox,
    Link,
    Links,
    Notes,
    Paragraph,
    Section,
    Summary,
    Tip,
)
from leaflet_gen.content.schema.settings import DEFAULT_AUDIENCES, AudienceSettings, Settings
from leaflet_gen.content.schema.topic import AudienceContent, Topic
from leaflet_gen.content.schema.variant import Panel, Sheet, Spread, Variant

__all__ = [
    "CLAIMS_FILE", "DEFAULT_AUDIENCES", "ICONS", "ID_MAX", "LANGUAGE_RE", "SETTINGS_FILE", "SLUG_RE", "Audience",
    "AudienceContent", "AudienceSettings", "Block", "BulletList", "Catalogue", "CatalogueItem", "Claim", "ClaimKind",
    "ClaimedBlock", "Claims", "Cmyk", "CmykColours", "Colours", "Contact", "Email", "Group", "HexColour", "Icon",
    "InfoBox", "Language", "Link", "Links", "Notes", "Panel", "Paragraph", "Phone", "Practice", "PracticeTexts", "PrintShop",
    "RelativePath", "Schema", "Section", "Settings", "Sheet", "ShortText", "Slug", "Spread", "Summary", "Text", "Tip",
    "Topic", "Url", "Variant", "documented",
]
