"""Load and validate a project: topics with their sections, practices, and variants.

All problems of all files are collected before anything is raised, so a user fixes every
mistake in one round instead of one per run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen import theme
from leaflet_gen.content.claims import check_register
from leaflet_gen.content.claims import check_topic as check_claims
from leaflet_gen.content.loaded import LoadedPractice, LoadedTopic
from leaflet_gen.content.logos import read_logo
from leaflet_gen.content.review import APPROVALS_FILE, Approval, read_approvals
from leaflet_gen.content.schema import CLAIMS_FILE, Claims, Practice, Section, Settings, Topic, Variant
from leaflet_gen.content.settings import SETTINGS_FILE, load_settings
from leaflet_gen.content.validate import parse
from leaflet_gen.content.yamlio import YamlDoc, load_yaml, yaml_from_text
from leaflet_gen.errors import LeafletError, Problem, ValidationFailed
from leaflet_gen.i18n import msg


@dataclass
class Project:
    """A leaflet-gen project folder: content/, practices/, the settings and the theme files it overrides
    (templates/, styles/, variants/, profiles/: see :mod:`leaflet_gen.theme`)."""

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
        """The project in ``root``: a folder with content/ and practices/ (the theme is built in;
        templates/, styles/, variants/ and profiles/ hold only what the project overrides)."""
        root = root.resolve()
        elsewhere = "run the command in a project folder (or pass --project DIR)"
        if not root.is_dir():
            raise LeafletError(f"{root} does not exist or is not a folder: {elsewhere}, or make a new project "
                               f"with `leaflet-gen init {_shell(root)}`.")
        missing = [d for d in ("content", "practices") if not (root / d).is_dir()]
        if missing and not any(root.iterdir()):
            raise LeafletError(f"{root} is empty: it is no leaflet-gen project yet. Make one in it with "
                               f"`leaflet-gen init {_shell(root)}`, or {elsewhere}.")
        if len(missing) == 2 and not (root / SETTINGS_FILE).is_file():
            raise LeafletError(f"{root} is not a leaflet-gen project: it has no content/ and practices/ folders. "
                               f"{elsewhere[0].upper()}{elsewhere[1:]}, or make a new project with `leaflet-gen init NEW-FOLDER`.")
        if missing:
            raise LeafletError(f"{root} is not a complete leaflet-gen project: missing folder(s) {', '.join(missing)}. "
                               f"Create {'them' if len(missing) > 1 else 'it'} (mkdir {' '.join(missing)}), or "
                               f"{elsewhere}.")
        return cls(root)

    def rel(self, path: Path) -> str:
        """``path`` relative to the project, as the user sees it (a link is named, not its target);
        a file of the built-in theme as "built-in styles/base.css"."""
        if theme.is_builtin(path):
            return f"built-in {Path(os.path.abspath(path)).relative_to(theme.BUILTIN).as_posix()}"
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
        """The built-in variants and the project's own (variants/*.yaml), each once; only those of the
        settings' ``variants`` when it names some."""
        found = theme.ids(self.root, "variants", ".yaml")
        chosen = self.settings.variants
        return [v for v in found if v in chosen] if chosen else found

    def theme_file(self, kind: str, name: str) -> Path | None:
        """The file ``name`` of ``kind`` (templates, styles, variants, profiles) this project uses:
        its own, else the built-in one (see :mod:`leaflet_gen.theme`)."""
        return theme.find(self.root, kind, name)

    def icon_folders(self) -> tuple[Path, ...]:
        """Where the pictograms are looked for, first match wins: templates/icons/ of the project,
        then the built-in ones."""
        return tuple(folder / "icons" for folder in theme.folders(self.root, "templates"))

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
            problems.append(doc.problem(("id",), msg('must equal the folder name "%(folder)s", got "%(got)s"',
                                                     folder=folder.name, got=practice.id)))
        topics = self.topic_ids()
        for i, topic_id in enumerate(practice.topics or []):
            if topic_id not in topics:
                problems.append(doc.problem(("topics", i), msg(
                    'topic "%(topic)s" not found: expected a folder content/%(topic)s/ with a topic.yaml (topics: '
                    "%(topics)s)", topic=topic_id, topics=", ".join(topics) or "none")))
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
        for language in practice.translations:
            if language not in practice.languages:
                warnings.append(doc.problem(("translations", language), msg(
                    'not used: "%(language)s" is not in languages (%(languages)s). Add it there to hand out leaflets '
                    "in it, or remove these texts.", language=language, languages=", ".join(practice.languages))))
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
            raise LeafletError(msg('topic "%(topic)s" not found in content/ (known topics: %(known)s)', topic=topic_id,
                                   known=known))
        problems: list[Problem] = []
        topic: Topic | None = None
        doc = None
        try:
            doc = load_yaml(source, self.rel(source), self.root)
            topic = parse(doc, Topic, self.context())
            if topic.id != topic_id:
                problems.append(doc.problem(("id",), msg('must equal the folder name "%(folder)s", got "%(got)s"',
                                                         folder=topic_id, got=topic.id)))
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
                                msg('section "%(section)s" is listed twice for %(audience)s (also at %(at)s); a '
                                    "section is printed once: remove one", section=sid, audience=audience,
                                    at=placed[sid])))
                        placed.setdefault(sid, f"{part}[{i}]")
                        if sid not in files:
                            problems.append(doc.problem(
                                ("audiences", audience, part, i),
                                msg('section "%(section)s" not found: expected a file %(file)s', section=sid,
                                    file=str(self.rel(folder / (sid + ".yaml")))),
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

    def default_icc(self) -> Path:
        """The CMYK print profile without a practice's or a build's own: profiles/FOGRA39L-coated.icc
        of the project, else the built-in one."""
        return theme.profile(self.root)

    def stylesheet_chain(self, name: str) -> list[Path]:
        """base.css plus a variant's stylesheet and what it @imports, each the project's own or else
        the built-in one (a stylesheet @imported by a built-in one can be overridden too)."""
        import re

        found: list[Path] = []
        pending = [name, "base.css"]  # base.css first
        while pending:
            path = theme.find(self.root, "styles", pending.pop())
            if path is None or path in found:
                continue
            if not path.is_file():
                raise LeafletError(msg("%(path)s is not a file (a folder, or a link to nothing): fix it, or remove it "
                                       "to use the built-in stylesheet", path=str(self.rel(path))))
            found.append(path)
            pending += re.findall(r"@import\s+(?:url\()?[\"']([^\"']+)[\"']", path.read_text(encoding="utf-8"))
        return found

    def icc_profile(self, practice: LoadedPractice, override: Path | None = None) -> Path:
        """The CMYK output profile: --icc-profile, else the practice's own, else the project's."""
        if override is None:  # a draft of a practice not saved yet has no folder to look in
            folder = practice.folder if os.path.lexists(practice.source_file) else None
            return output_profile(self, folder, practice.data.print_shop.icc_profile,
                                  f"{self.rel(practice.source_file)}: ")
        from leaflet_gen.content.icc import check_profile

        path = override.resolve()  # any file the user names
        check_profile(path, self.rel(path), None)
        return path

    def load_variant(self, variant_id: str) -> Variant:
        return self._memo(("variant", variant_id), lambda: self._load_variant(variant_id))

    def _load_variant(self, variant_id: str) -> Variant:
        source = theme.find(self.root, "variants", f"{variant_id}.yaml")
        if source is None or variant_id not in self.variant_ids():
            chosen = f" (the variants of {SETTINGS_FILE})" if self.settings.variants else ""
            raise LeafletError(
                f'unknown variant "{variant_id}"; available: {", ".join(self.variant_ids()) or "none"}{chosen}'
            )
        inside = theme.BUILTIN if theme.is_builtin(source) else self.root
        variant = parse(load_yaml(source, self.rel(source), inside), Variant)
        for name, kind in ((variant.template, "templates"), (variant.stylesheet, "styles")):
            if theme.find(self.root, kind, name) is None:
                raise LeafletError(msg("%(file)s: %(kind)s/%(name)s does not exist (neither in the project nor built "
                                       "in)", file=str(self.rel(source)), kind=kind, name=name))
        return variant


def _shell(path: Path) -> str:
    """``path`` as a shell argument (quoted when it needs to be)."""
    import shlex

    return shlex.quote(os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path))


def output_profile(project: Project, folder: Path | None, relative: str | None, where: str = "") -> Path:
    """A practice's CMYK output profile: its print shop's (``relative``: print_shop.icc_profile,
    inside the practice ``folder``; None: not saved yet), else the project's default (its own
    profiles/FOGRA39L-coated.icc, or the built-in one).
    Checked (:func:`leaflet_gen.content.icc.check_profile`); ``where`` prefixes the messages."""
    from leaflet_gen.content.icc import check_profile

    root = None
    if relative:
        if folder is None:
            raise LeafletError("save the practice first, then put the print shop's profile in its folder")
        try:
            root, path = folder.resolve(), (folder / relative).resolve()
        except (OSError, RuntimeError, ValueError) as exc:  # a loop of links, a NUL in the name
            raise LeafletError(msg("%(where)sprint_shop.icc_profile cannot be read (%(error)s)", where=where,
                                   error=str(exc))) from None
        if not path.is_relative_to(root):
            raise LeafletError(msg("%(where)sprint_shop.icc_profile must be inside the practice folder", where=where))
    else:
        path = project.default_icc()
    check_profile(path, project.rel(path), root)
    return path


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
