"""`assistant catalogs extract | update | compile`: the translation catalogs in locales/.

extract: every string of Python code, templates and dialogues into locales/messages.pot.
update:  extract, then merge into each locale's messages.po (new entries empty, never fuzzy).
compile: messages.po -> messages.mo for every locale (built by the make targets, not committed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from assistant.dialogue.babel_extract import messages
from assistant.dialogue.loader import dialogue_files, load
from assistant.i18n import DOMAIN
from assistant.i18n.languages import all_locales
from assistant.settings import PROJECT_ROOT, Settings

COMMENT_TAGS = ("TRANSLATORS:",)


# Nn_("one item", "{count} items"): a plural pair marked for extraction (see dialogue.texts).
KEYWORDS = {**DEFAULT_KEYWORDS, "Nn_": (1, 2)}


def extract(dialogues_dir: Path, root: Path = PROJECT_ROOT) -> Catalog:
    """Every message of the code and templates (babel.cfg), and of the dialogues in the folder
    the service reads them from (OMA_DIALOGUES_DIR), which may be a region's own."""
    with (root / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    code = [(pattern, method) for pattern, method in method_map if method != "oma_dialogue"]
    catalog = Catalog(
        project="Oma ääni", msgid_bugs_address="", copyright_holder="", charset="utf-8"
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        code,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for path in dialogue_files([dialogues_dir]):
        where = os.path.relpath(path, root)
        for lineno, _function, parts, comments in messages(load(path)):
            message = parts[1] if len(parts) == 2 else parts[1:]
            catalog.add(message, None, [(where, lineno)], auto_comments=comments, context=parts[0])
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(
            file,
            catalog,
            width=100,
            sort_output=False,
            ignore_obsolete=True,
            include_previous=False,
        )


def update(locales_dir: Path, template: Catalog) -> None:
    for locale in all_locales():
        path = locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.exists():
            with path.open("rb") as file:
                catalog = read_po(file, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="Oma ääni", charset="utf-8", fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        _write(catalog, path)


def compile_all(locales_dir: Path) -> int:
    compiled = 0
    for po in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as file:
            catalog = read_po(file, locale=po.parent.parent.name)
        with po.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalog, use_fuzzy=False)
        compiled += 1
    return compiled


def run(action: str, settings: Settings) -> int:
    locales_dir = settings.locales_dir
    if action == "compile":
        compile_all(locales_dir)
        return 0
    template = extract(settings.dialogues_dir)
    _write(template, locales_dir / f"{DOMAIN}.pot")
    if action == "update":
        update(locales_dir, template)
        print(f"{len(template)} messages; catalogs updated in {locales_dir}", file=sys.stderr)
    else:
        print(
            f"{len(template)} messages written to {locales_dir / (DOMAIN + '.pot')}",
            file=sys.stderr,
        )
    return 0
