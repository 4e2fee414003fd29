"""Load and validate a project: topics with their sections, practices, and variants.

All problems of all files are collected before anything is raised, so a user fixes every
mistake in one round instead of one per run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen.content.claims import check_register
from leaflet_gen.content.claims import check_topic as check_claims
from leaflet_gen.content.loaded import LoadedPractice, LoadedTopic
from leaflet_gen.content.logos import read_logo
from leaflet_gen.content.review import APPROVALS_FILE, Approval, read_approvals
from leaflet_gen.content.schema import CLAIMS_FILE, Claims, Practice, Section, Settings, Topic, Variant
from leaflet_gen.content.settings import load_settings
from leaflet_gen.content.validate import parse
from leaflet_gen.content.yamlio import YamlDoc, load_yaml, yaml_from_text
from leaflet_gen.errors import LeafletError, Problem, ValidationFailed


@dataclass
class Project:
    """A leaflet-gen project folder: content/, practices/, templates/, styles/, variants/."""

    root: Path
    # Loaded files per command run: a catalogue asks for the same topic and practice many times.
    _loaded: dict = field(default_factory=dict, repr=False)

    def _memo(self, key, load):
        if key not in self._loaded:
            self._loaded[key] = load()
        return self._loaded[key]

    def reread(self, topics: set[str]) -> "Project":
        """The project with ``topics`` to be read again and everything else it loaded kept: for a
        long-running caller (the studio) after only those topics' section files changed. Settings,
        practices and variants read no file in a topic's folder, so they stay valid."""
        # dict() first: another thread of the caller (the studio's language check) may be
        # loading into this project meanwhile, and a dict must not change while it is iterated.
        kept = {key: value for key, value in dict(self._loaded).items()
                if not (isinstance(key, tuple) and key[:1] == ("topic",) and key[1:2] and key[1] in topics)}
        return Project(self.root, kept)

    @classmethod
    def open(cls, root: Path) -> "Project":
        root = root.resolve()
        missing = [d for d in ("content", "practices", "templates", "styles", "variants") if not (root / d).is_dir()]
        if missing:
            raise LeafletError(
                f"{root} is not a leaflet-gen project: missing folder(s) {', '.join(missing)}. "
                "Run the command in the project folder or pass --project DIR."
            )
        return cls(root)

    def rel(self, path: Path) -> str:
        """``path`` relative to the project, as the user sees it (a link is named, not its target)."""
        for candidate in (Path(os.path.abspath(path)), path.resolve()):
            try:
                return str(candidate.relative_to(self.root))
            except ValueError:
                pass
        return str(path)

    # -- settings ----------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """leaflet-gen.yml, validated (the defaults without it)."""
        return self._memo("settings", lambda: load_settings(self.root, self.rel))

    def context(self) -> dict:
        """What the schemas check a file against besides its own content: the project's audiences."""
        return {"audiences": self.settings.audience_ids}

    # -- discovery ---------------------------------------------------------------------------

    def topic_ids(self) -> list[str]:
        # Any topic.yaml counts, also one that is not a readable file: loading it then says what
        # is wrong, instead of the topic silently missing from every build (as for practices).
        return sorted(p.name for p in (self.root / "content").iterdir()
                      if p.is_dir() and os.path.lexists(p / "topic.yaml"))

    def practice_dirs(self) -> list[Path]:
        # Any practice.yaml counts, also one that is not a readable file: loading it then says
        # what is wrong, instead of the practice silently missing from every build.
        return sorted(p for p in (self.root / "practices").iterdir()
                      if p.is_dir() and (os.path.lexists(p / "practice.yaml")))

    def variant_ids(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "variants").glob("*.yaml"))

    def practice_dir(self, spec: str) -> Path:
        """A practice given as a folder path, or as its id under practices/."""
        candidate = Path(spec)
        if (candidate / "practice.yaml").is_file():
            return candidate.resolve()
        by_id = self.root / "practices" / spec
        if (by_id / "practice.yaml").is_file():
            return by_id
        known = ", ".join(p.name for p in self.practice_dirs()) or "none"
        raise LeafletError(
            f'practice "{spec}" not found: expected a folder with a practice.yaml, or one of the ids in '
            f"{self.rel(self.root / 'practices')}/ ({known})"
        )

    # -- loading -----------------------------------------------------------------------------

    def load_practice(self, folder: Path) -> LoadedPractice:
        given = Path(os.path.abspath(folder))
        folder = folder.resolve()
        return self._memo(("practice", folder), lambda: self._load_practice(folder, given))

    def _load_practice(self, folder: Path, given: Path) -> LoadedPractice:
        source = folder / "practice.yaml"
        # Named as the user gave it (a linked folder by its link), checked where it really is.
        doc = load_yaml(given / "practice.yaml", self.rel(given / "practice.yaml"), self.root)
        practice = parse(doc, Practice, self.context())
        problems: list[Problem] = []
        warnings: list[Problem] = []
        if practice.id is not None and practice.id != folder.name:
            problems.append(doc.problem(("id",), f'must equal the folder name "{folder.name}", got "{practice.id}"'))
        topics = self.topic_ids()
        for i, topic_id in enumerate(practice.topics or []):
            if topic_id not in topics:
                problems.append(doc.problem(("topics", i), f'topic "{topic_id}" not found: expected a folder '
                                            f'content/{topic_id}/ with a topic.yaml (topics: {", ".join(topics) or "none"})'))
        logo = read_logo(folder, practice.logo, self.rel(folder))
        if logo.report.error:
            problems.append(doc.problem(("logo",), logo.report.error))
        if logo.report.warning:
            warnings.append(doc.problem(("logo",), logo.report.warning))
        if practice.qr_url:
            qr_problem, qr_warning = _qr_fit(practice.qr_url)
            if qr_problem:
                problems.append(doc.problem(("qr_url",), qr_problem))
            if qr_warning:
                warnings.append(doc.problem(("qr_url",), qr_warning))
        if problems:
            raise ValidationFailed(problems)
        return LoadedPractice(folder.name, folder, practice, logo.path, logo.report.kind or "", source,
                              tuple(warnings), doc)

    def load_topic(self, topic_id: str) -> LoadedTopic:
        return self._memo(("topic", topic_id), lambda: self._load_topic(topic_id))

    def load_topic_draft(self, topic_id: str, section_id: str, text: str) -> LoadedTopic:
        """The topic as it would load if ``content/<topic>/<section_id>.yaml`` held ``text`` (the
        studio's content desk: a section edited in a form, checked before it is written). Not kept."""
        return self._load_topic(topic_id, {section_id: text})

    def _load_topic(self, topic_id: str, drafts: dict[str, str] | None = None) -> LoadedTopic:
        folder = self.root / "content" / topic_id
        source = folder / "topic.yaml"
        if not os.path.lexists(source):
            known = ", ".join(self.topic_ids()) or "none"
            raise LeafletError(f'topic "{topic_id}" not found in content/ (known topics: {known})')
        problems: list[Problem] = []
        topic: Topic | None = None
        doc = None
        try:
            doc = load_yaml(source, self.rel(source), self.root)
            topic = parse(doc, Topic, self.context())
            if topic.id != topic_id:
                problems.append(doc.problem(("id",), f'must equal the folder name "{topic_id}", got "{topic.id}"'))
        except ValidationFailed as exc:
            problems.extend(exc.problems)
        sections: dict[str, Section] = {}
        files: dict[str, Path] = {}
        docs: dict[Path, YamlDoc] = {source: doc} if doc is not None else {}
        claims = None
        register_problems: list[Problem] = []  # reported with the blocks' claim errors, all at once
        claims_file = folder / CLAIMS_FILE
        if claims_file.is_file() or os.path.lexists(claims_file):
            try:
                docs[claims_file] = load_yaml(claims_file, self.rel(claims_file), self.root)
                claims = parse(docs[claims_file], Claims, self.context())
                register_problems = check_register(docs[claims_file], claims, self.settings.language)
            except ValidationFailed as exc:
                problems.extend(exc.problems)
        approvals: tuple[Approval, ...] = ()
        try:
            approvals = read_approvals(folder / APPROVALS_FILE, self.rel(folder / APPROVALS_FILE), self.root)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
        for path in sorted(folder.glob("*.yaml")):
            if path.name in ("topic.yaml", CLAIMS_FILE):
                continue
            try:
                if drafts and path.stem in drafts:
                    docs[path] = yaml_from_text(drafts[path.stem], path, self.rel(path))
                else:
                    docs[path] = load_yaml(path, self.rel(path), self.root)
                sections[path.stem] = parse(docs[path], Section)
                files[path.stem] = path
            except ValidationFailed as exc:
                problems.extend(exc.problems)
                files[path.stem] = path
        if topic is not None and doc is not None:
            for audience, entry in topic.audiences.items():
                placed: dict[str, str] = {}
                for part in ("cover", "flow", "back"):
                    for i, sid in enumerate(getattr(entry, part)):
                        if sid in placed:
                            problems.append(doc.problem(
                                ("audiences", audience, part, i),
                                f'section "{sid}" is listed twice for {audience} (also at {placed[sid]}); '
                                "a section is printed once: remove one"))
                        placed.setdefault(sid, f"{part}[{i}]")
                        if sid not in files:
                            problems.append(doc.problem(
                                ("audiences", audience, part, i),
                                f'section "{sid}" not found: expected a file {self.rel(folder / (sid + ".yaml"))}',
                            ))
        if problems:
            raise ValidationFailed(problems)
        assert topic is not None
        loaded = LoadedTopic(topic_id, folder, topic, sections, files, source, docs, self.settings.voices,
                             claims, claims_file if claims is not None else None, approvals)
        # A number that differs from its claim would print a wrong dose: no leaflet, as for bad YAML.
        errors = register_problems + check_claims(loaded, self.settings.language, self.rel).errors
        if errors:
            raise ValidationFailed(errors)
        return loaded

    def unprintable(self, family: str, practice: LoadedPractice | None = None, topic: LoadedTopic | None = None,
                    audience: str | None = None) -> list[Problem]:
        """Characters of the practice's and the topic's texts (one audience's sections, or all)
        that the font ``family`` cannot print (see :mod:`leaflet_gen.content.glyphs`)."""
        from leaflet_gen.content import glyphs

        docs = []
        if practice is not None and practice.doc is not None:
            docs.append((practice.doc, ()))
        if topic is not None:
            entry = topic.data.audiences.get(audience) if audience else None
            if entry is not None:
                docs.append((topic.docs[topic.source_file], ("audiences", audience, "subtitle")))
                docs.append((topic.docs[topic.source_file], ("title",)))
                docs += [(topic.docs[topic.section_files[sid]], ()) for sid in entry.section_ids]
            else:
                docs += [(doc, ()) for doc in topic.docs.values()]
        return glyphs.missing_in(docs, family, self.root / "fonts")

    def font_families(self) -> list[str]:
        """The font families of the variants that load (``check`` holds every text to each)."""
        families = set()
        for variant_id in self.variant_ids():
            try:
                families.add(self.load_variant(variant_id).font_family)
            except LeafletError:
                pass  # check reports the variant itself
        return sorted(families)

    def unprintable_text(self, text: str) -> str | None:
        """What keeps a one-line text (a title, a name) from being printed by every variant, or
        None: what ``check`` would report once it is in a file (:func:`glyphs.text_problem`)."""
        from leaflet_gen.content import glyphs

        return glyphs.text_problem(text, self.font_families(), self.root / "fonts")

    DEFAULT_ICC = "profiles/FOGRA39L-coated.icc"

    def stylesheet_chain(self, name: str) -> list[Path]:
        """base.css plus a variant's stylesheet and what it @imports, in styles/."""
        import re

        folder = self.root / "styles"
        found: list[Path] = [folder / "base.css"]
        pending = [name]
        while pending:
            path = folder / pending.pop()
            if path in found or not path.is_file():
                continue
            found.append(path)
            pending += re.findall(r"@import\s+(?:url\()?[\"']([^\"']+)[\"']", path.read_text(encoding="utf-8"))
        return found

    def icc_profile(self, practice: LoadedPractice, override: Path | None = None) -> Path:
        """The CMYK output profile: --icc-profile, else the practice's own, else the project's."""
        from leaflet_gen.content.icc import check_profile

        root = None  # --icc-profile (any file the user names) and the project's own (made by setup)
        if override is not None:
            path = override.resolve()
        elif practice.data.print_shop.icc_profile:
            path = (practice.folder / practice.data.print_shop.icc_profile).resolve()
            if not path.is_relative_to(practice.folder):
                raise LeafletError(f"{self.rel(practice.source_file)}: print_shop.icc_profile must be inside the practice folder")
            root = practice.folder
        else:
            path = self.root / self.DEFAULT_ICC
        check_profile(path, self.rel(path), root)
        return path

    def load_variant(self, variant_id: str) -> Variant:
        return self._memo(("variant", variant_id), lambda: self._load_variant(variant_id))

    def _load_variant(self, variant_id: str) -> Variant:
        source = self.root / "variants" / f"{variant_id}.yaml"
        if not source.is_file():
            raise LeafletError(
                f'unknown variant "{variant_id}"; available: {", ".join(self.variant_ids()) or "none"}'
            )
        variant = parse(load_yaml(source, self.rel(source), self.root), Variant)
        for name, base in ((variant.template, "templates"), (variant.stylesheet, "styles")):
            if not (self.root / base / name).is_file():
                raise LeafletError(f"{self.rel(source)}: {base}/{name} does not exist")
        return variant


# The QR code's image is printed 28 mm wide on the tri-fold (styles/trifold.css, the smallest use),
# its quiet zone of 4 modules on every side included. A phone camera reads modules (the small
# squares) of about 0.4 mm and up reliably.
QR_PRINTED_MM = 28.0
QR_QUIET_MODULES = 4
QR_MIN_MODULE_MM = 0.4


def _qr_fit(url: str) -> tuple[str | None, str | None]:
    """(error, warning) for the QR code of ``url``: too long to encode, or too fine to scan."""
    import segno

    try:
        # As compose makes it, but with a fixed mask: the mask changes no size, and choosing the
        # best of eight is most of the encoding (done for every practice of a catalogue).
        code = segno.make(url, error="m", micro=False, mask=0)
    except segno.DataOverflowError:
        return (f"the address is {len(url)} characters, too long for a QR code; use a shorter address "
                "(e.g. a short link to the page)"), None
    module = QR_PRINTED_MM / code.symbol_size(border=QR_QUIET_MODULES)[0]
    if module < QR_MIN_MODULE_MM:
        return None, (f"the QR code of this {len(url)}-character address has {code.symbol_size(border=0)[0]} "
                      f"modules across: {module:.2f} mm each in a {QR_PRINTED_MM:g} mm code with its quiet zone, "
                      f"too small for many phones to scan (about {QR_MIN_MODULE_MM} mm is needed); use a shorter "
                      "address")
    return None, None
