"""Every Dutch word the studio shows, in one place (for review by a native speaker, and to translate).

Messages that come from the build itself (validation, overflow, preflight details) stay in the
language the CLI prints them in: the studio shows them as they are, with their location.
"""

L = {
    "app": "Folderstudio",
    "catalogue": "Catalogus",
    "catalogue_intro": "Alle folders van dit project. Klik op een folder om hem te bekijken; "
                       "wijzigingen in de bestanden zijn hier binnen een seconde te zien.",
    "filter_practice": "Praktijk",
    "filter_topic": "Onderwerp",
    "filter_audience": "Doelgroep",
    "filter_variant": "Uitvoering",
    "filter_all": "alle",
    "filter_state": "Status",
    "shown": "getoond",
    "state_ok": "in orde",
    "state_failed": "fout",
    "state_concept": "concept",
    "state_overdue": "herziening verlopen",
    "state_warnings": "waarschuwingen",
    "state_pending": "wacht op opbouw",
    "state_building": "bezig met opbouwen…",
    "building": "Bezig met opbouwen…",
    "open": "Bekijken",
    "pdf": "PDF",
    "download_pdf": "PDF downloaden",
    "download_job_sheet": "Opdrachtbon voor de drukker",
    "rebuild": "Opnieuw opbouwen",
    "save": "Opslaan in out/",
    "saved": "Opgeslagen:",
    "read_only": "Alleen lezen: de studio schrijft niets.",
    "no_picture": "Nog geen afbeelding",
    "sheet_outside": "Buitenkant (vel 1)",
    "sheet_inside": "Binnenkant (vel 2)",
    "page": "Pagina",
    "sheet_text": "Tekst van dit vel",
    "mockups": "Gevouwen voorbeeld",
    "mockup_closed": "Dichtgevouwen",
    "mockup_half_open": "Half open",
    "mockup_open": "Helemaal open",
    "fit": "Past de tekst?",
    "fit_left": "mm over",
    "fit_over": "mm te lang",
    "fit_empty": "leeg",
    "fit_from_section": "vanaf sectie",
    "fit_flowing": "Deze uitvoering loopt door over zoveel pagina's als nodig: er is geen vaste ruimte per paneel.",
    "fit_pages": "pagina's",
    "lint": "Taal (B1)",
    "lint_section": "Sectie",
    "lint_sentences": "zinnen",
    "lint_average": "gem. woorden",
    "lint_longest": "langste",
    "lint_flesch": "Flesch-Douma",
    "lint_none": "Geen taalopmerkingen.",
    "lint_advice": "Adviezen",
    "preflight": "Drukkerscontrole",
    "preflight_none": "Deze uitvoering gaat niet naar de drukker: geen drukkerscontrole.",
    "pass": "goed",
    "warn": "let op",
    "fail": "fout",
    "error_title": "Dit moet eerst worden opgelost",
    "error_bug": "Interne fout in leaflet-gen (geen fout in uw bestanden). Meld dit met de melding hieronder.",
    "outdated": "Verouderd: dit is de laatste goede versie",
    "where": "Waar",
    "fix_hint": "Pas het bestand aan en sla het op; de studio bouwt de folder dan vanzelf opnieuw.",
    "project_problems": "Problemen in het project",
    "review": "Herziening",
    "review_due": "volgende herziening",
    "concept_note": "Deze tekst is nog niet goedgekeurd: de folder krijgt een CONCEPT-stempel.",
    "warnings": "Waarschuwingen",
    "none": "geen",
    "back": "← Catalogus",
    "forbidden": "Geen toegang. Open de link met het toegangstoken die `leaflet-gen serve` bij het starten "
                 "liet zien.",
    "csrf": "Dit verzoek is geweigerd (ontbrekend of onjuist formuliertoken). Laad de pagina opnieuw en probeer "
            "het nog eens.",
    "read_only_refused": "De studio draait in alleen-lezen-modus (--read-only): er wordt niets opgeslagen.",
    "not_found": "Niet gevonden: deze folder bestaat niet in het project.",
    "bad_host": "Geweigerd: onbekende hostnaam in het verzoek.",
    "variant": {"trifold": "drukker (drieluik)", "office": "kantoorprinter (drieluik)", "screen": "scherm / e-mail",
                "large-print": "grote letter"},
    "panel": {"cover": "voorkant", "inside-left": "binnen links", "flap": "binnenflap",
              "inside-middle": "binnen midden", "tuck-in": "instopflap", "back": "achterkant"},
}


def variant_name(variant_id: str) -> str:
    return L["variant"].get(variant_id, variant_id)


def panel_name(panel_id: str, fallback: str) -> str:
    return L["panel"].get(panel_id, fallback)
