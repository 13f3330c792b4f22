"""Everything a chapter needs, checked in a second: one line per problem, with the file and the fix.

    python -m tools.doctor        # or: make doctor

The same checks run in the test suite (tests/test_doctor.py), so CI reports the same lines.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from tools import generate
from tools.hooks import missing_twins, stale_reasons
from tools.macros import chapter_groups, front_matter

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("tr", "en")
CONFIGS = {"tr": "mkdocs.yml", "en": "mkdocs.en.yml"}
INCLUDE = re.compile(r'^\s*--8<-- "([^":]+)(?::([a-z][-_0-9a-z]*))?"', re.M)
GENERATED_REF = re.compile(r"\b(output|table|figure|data|notebooks)\('([^']+)'")
API = re.compile(r"^::: ([\w.]+)", re.M)
HEADING = re.compile(r"^(#{1,6}) .*?(?:\{ #([-\w]+) \})?\s*$")
SECTION = re.compile(r"\[start:([a-z][-_0-9a-z]*)\]")
ALL_CAPS = re.compile(r"\b[A-Z][A-Z0-9]+\b")
MOJIBAKE = re.compile("\u00c3|\u00c4\u00b1|\u00c5|\u00c4\u00b0|\u00e2\u20ac")  # escaped: passes its own check
# Packages readers of these chapters often have: a copied snippet with one of these names, run from its
# folder, is imported in the package's place by everything that uses it (as is a standard-library name).
POPULAR_PACKAGES = {
    "torch", "torchvision", "torchaudio", "numpy", "scipy", "pandas", "matplotlib", "sklearn", "tqdm", "transformers",
    "tokenizers", "datasets", "diffusers", "accelerate", "evaluate", "timm", "einops", "tiktoken", "sentencepiece",
    "safetensors", "huggingface_hub", "lightning", "keras", "tensorflow", "jax",
}
SUFFIX = {"output": ".txt", "table": ".table.json", "data": ".json", "figure": ".tr.png", "notebooks": ""}


def pages(root: Path, lang: str) -> list[str]:
    """Page paths relative to ``docs/<lang>/``."""
    return sorted(p.relative_to(root / "docs" / lang).as_posix() for p in (root / "docs" / lang).rglob("*.md"))


def headings(text: str) -> list[tuple[int, str | None]]:
    """(level, anchor) of every heading outside code blocks."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (match := HEADING.match(line)):
            found.append((len(match.group(1)), match.group(2)))
    return found


def references(text: str) -> list[str]:
    """What a page includes, in order: generated outputs, code sections, API entries."""
    return ([f"{kind}('{name}')" for kind, name in GENERATED_REF.findall(text)]
            + [f'--8<-- "{path}:{section}"' for path, section in INCLUDE.findall(text)]
            + [f"::: {name}" for name in API.findall(text)])


def prose(markdown: str) -> str:
    """The text a reader sees as sentences: no code, no Jinja, no link targets, no HTML tags."""
    markdown = re.sub(r"^(```|~~~).*?^\1", " ", markdown, flags=re.S | re.M)
    markdown = re.sub(r"^ {4}.*$", " ", markdown, flags=re.M)
    return re.sub(r"`[^`\n]*`|\{\{.*?\}\}|\{%.*?%\}|\]\([^)]*\)|<[^>]+>|\{ #[^}]*\}", " ", markdown, flags=re.S)


def load_terms(root: Path) -> dict:
    return yaml.safe_load((root / "docs" / "terms.yml").read_text(encoding="utf-8"))


def snippet_modules(root: Path) -> list[Path]:
    return sorted(p for p in (root / "snippets").glob("*/*.py") if p.name != "__init__.py")


# ---------------------------------------------------------------- the checks
def check_twins(root: Path) -> list[str]:
    """Every page exists in both languages."""
    return missing_twins(root / "docs")


def check_twin_structure(root: Path) -> list[str]:
    """Twins have the same headings (level and anchor) and include the same things in the same order."""
    problems = []
    for page in sorted(set(pages(root, "tr")) & set(pages(root, "en"))):
        tr, en = ((root / "docs" / lang / page).read_text(encoding="utf-8") for lang in LANGS)
        if any(anchor is None for _, anchor in headings(tr) + headings(en)):
            problems.append(f"docs/*/{page}: a heading has no anchor: end it with {{ #name }} in both languages")
        elif headings(tr) != headings(en):
            problems.append(f"docs/*/{page}: headings differ between tr and en: use the same levels and anchors")
        if references(tr) != references(en):
            problems.append(f"docs/*/{page}: tr and en include different outputs, sections or API entries: "
                            f"tr {sorted(set(references(tr)) - set(references(en)))}, "
                            f"en {sorted(set(references(en)) - set(references(tr)))}")
    return problems


def check_navigation(root: Path) -> list[str]:
    """Both navigations list every page, in the same order."""
    def flatten(items: list) -> list[str]:
        return [f for item in items for value in item.values()
                for f in (flatten(value) if isinstance(value, list) else [value])]

    navs = {lang: flatten(yaml.safe_load((root / CONFIGS[lang]).read_text(encoding="utf-8"))["nav"]) for lang in LANGS}
    problems = []
    if navs["tr"] != navs["en"]:
        problems.append("mkdocs.yml and mkdocs.en.yml: nav lists different pages or orders: make them match")
    for lang in LANGS:
        for page in sorted(set(pages(root, lang)) - set(navs[lang])):
            problems.append(f"docs/{lang}/{page} is not in the navigation: add it to {CONFIGS[lang]} nav")
    return problems


def check_descriptions(root: Path) -> list[str]:
    """Every chapter in the navigation has the one-line description the home page's chapter map shows."""
    problems = []
    for lang in LANGS:
        nav = yaml.safe_load((root / CONFIGS[lang]).read_text(encoding="utf-8"))["nav"]
        for _, pages in chapter_groups(nav):
            for _, path in pages:
                page = root / "docs" / lang / path
                if page.exists() and not front_matter(page).get("description"):
                    problems.append(f"docs/{lang}/{path} has no description for the home page: start the file "
                                    'with a front matter block: --- / description: "What the reader learns." / ---')
    return problems


def check_includes(root: Path) -> list[str]:
    """Every included file, section and generated output exists."""
    problems = []
    for page in sorted((root / "docs").rglob("*.md")):
        text, where = page.read_text(encoding="utf-8"), page.relative_to(root).as_posix()
        for file, section in INCLUDE.findall(text):
            source = root / file
            if not source.exists():
                problems.append(f"{where}: includes {file}, which does not exist")
            elif section and f"[start:{section}]" not in source.read_text(encoding="utf-8"):
                problems.append(f"{where}: includes section {section!r} that {file} does not define: "
                                f"add `# --8<-- [start:{section}]` … `[end:{section}]` or fix the name")
        for kind, name in GENERATED_REF.findall(text):
            if not (root / "generated" / f"{name}{SUFFIX[kind]}").exists():
                problems.append(f"{where}: {kind}('{name}') has no generated output: check the name, "
                                f"or run `make generate`")
    return problems


def check_unused_sections(root: Path) -> list[str]:
    """Every named section of a snippet is shown on some page."""
    shown = {f"{file}:{section}" for page in (root / "docs").rglob("*.md")
             for file, section in INCLUDE.findall(page.read_text(encoding="utf-8"))}
    return [f"{module.relative_to(root).as_posix()}: section {section!r} is on no page: include it "
            f'(--8<-- "{module.relative_to(root).as_posix()}:{section}") or remove its markers'
            for module in snippet_modules(root)
            for section in SECTION.findall(module.read_text(encoding="utf-8"))
            if f"{module.relative_to(root).as_posix()}:{section}" not in shown]


def check_modules_have_tests_and_api(root: Path) -> list[str]:
    """Every snippet module has a test file and an API reference entry."""
    documented = {name for page in (root / "docs" / "en").rglob("*.md")
                  for name in API.findall(page.read_text(encoding="utf-8"))}
    problems = []
    for module in snippet_modules(root):
        chapter, name = module.parent.name, module.stem
        if not (root / "tests" / chapter / f"test_{name}.py").exists():
            problems.append(f"snippets/{chapter}/{name}.py has no test: create tests/{chapter}/test_{name}.py")
        if f"snippets.{chapter}.{name}" not in documented:
            problems.append(f"snippets/{chapter}/{name}.py is not in the API reference: add "
                            f"`::: snippets.{chapter}.{name}` to docs/tr/api/{chapter}.md and docs/en/api/{chapter}.md")
    return problems


def check_module_names(root: Path) -> list[str]:
    """No snippet file hides a module the reader has when it is copied alone (``types.py``, ``tokenizers.py``)."""
    problems = []
    for module in snippet_modules(root):
        where, name = module.relative_to(root).as_posix(), module.stem
        if name in sys.stdlib_module_names or name in POPULAR_PACKAGES:
            hidden = (f"Python's own `{name}` module" if name in sys.stdlib_module_names
                      else f"the `{name}` package many readers have installed")
            problems.append(f"{where}: a copy named {name}.py hides {hidden}: rename it "
                            f"(and its test, sections, outputs and API entry)")
    return problems


def check_generated(root: Path) -> list[str]:
    """Generated outputs match their inputs and were not edited by hand."""
    return [f"{reason}: run `make generate CHAPTER={chapter}`"
            for chapter in generate.chapters(root) for reason in stale_reasons(chapter, root)]


def check_terms(root: Path) -> list[str]:
    """Every term is complete in both languages, and every abbreviation a page uses is defined."""
    terms = load_terms(root)
    problems = []
    for key, entry in terms.items():
        for lang in LANGS:
            if not (entry.get(lang) or {}).get("term") or not entry[lang].get("definition"):
                problems.append(f"docs/terms.yml: {key} needs {lang}: {{term: …, definition: …}}")
        if "page" in entry and not all((root / "docs" / lang / entry["page"]).exists() for lang in LANGS):
            problems.append(f"docs/terms.yml: {key}.page {entry['page']} does not exist in both languages")
    defined = {entry["abbr"] for entry in terms.values() if "abbr" in entry}
    pages = [page for lang in LANGS for page in (root / "docs" / lang).rglob("*.md")]  # not the tooltip lists
    for page in sorted(pages):
        for word in sorted(set(ALL_CAPS.findall(prose(page.read_text(encoding="utf-8")))) - defined):
            problems.append(f"{page.relative_to(root).as_posix()}: {word} is not in docs/terms.yml: "
                            f"add an entry with abbr: {word}, tr and en")
    return problems


def check_encoding(root: Path) -> list[str]:
    """No UTF-8 text that was decoded as Latin-1 on the way (mojibake)."""
    files = [*(root / "docs").rglob("*.md"), *(root / "snippets").rglob("*.py"), *(root / "tools").rglob("*.py"),
             *(root / "generated").rglob("*.json"), *(root / "generated").rglob("*.txt")]
    return [f"{f.relative_to(root).as_posix()}: broken Turkish characters (UTF-8 read as Latin-1): retype them"
            for f in files if MOJIBAKE.search(f.read_text(encoding="utf-8"))]


# ---------------------------------------------------------------- prose: typed numbers and term variants
NUMBERS_FILE = "config/prose-numbers.yml"
# A number in running text: not part of a name (float32, ResNet-50, ViT-B/16, Conv2d, cu121), not an
# exponent of a formula (\(C^2\): notation, like the superscript of C²); other numbers in \( … \) count.
NUMBER = re.compile(r"(?<![\w.,/^])(?<![A-Za-z]-)\d+(?:[.,]\d+)*(?![\w])")
LIST_MARKER = re.compile(r"^\s*\d+\.\s")
HIDDEN = re.compile(r"^(```|~~~).*?^\1[^\n]*|<!--.*?-->|`[^`\n]*`|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\]\([^)]*\)"
                    r"|<[^>]+>|\{ #[^}]*\}|^\*\[[^\]]*\]:.*?$|--8<--[^\n]*", re.S | re.M)


def prose_lines(markdown: str) -> list[tuple[int, str]]:
    """(line number, text) of every prose line: code, macros, front matter, headings and link targets blanked.

    Unlike :func:`prose` the line numbers stay those of the file, so a problem can name its line.
    """
    if markdown.startswith("---\n") and (end := markdown.find("\n---", 4)) > 0:
        markdown = "\n" * markdown.count("\n", 0, end + 4) + markdown[end + 4:]
    markdown = HIDDEN.sub(lambda match: "\n" * match.group(0).count("\n"), markdown)
    return [(number, line) for number, line in enumerate(markdown.splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")]


def prose_pages(root: Path, lang: str) -> list[Path]:
    """The pages a reader reads as text: every page but the API reference (docstrings, written in code)."""
    return sorted(p for p in (root / "docs" / lang).rglob("*.md") if "api" not in p.relative_to(root / "docs").parts)


def allowed_numbers(root: Path) -> tuple[list[re.Pattern[str]], dict[str, list[re.Pattern[str]]]]:
    """config/prose-numbers.yml as patterns: those allowed anywhere, and those allowed on one page."""
    path = root / NUMBERS_FILE
    listed = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}

    def patterns(entries: list[dict]) -> list[re.Pattern[str]]:
        return [re.compile(entry["pattern"] if "pattern" in entry else re.escape(str(entry["number"])))
                for entry in entries or []]

    return patterns(listed.get("anywhere")), {page: patterns(entries)
                                              for page, entries in (listed.get("pages") or {}).items()}


def check_numbers_file(root: Path) -> list[str]:
    """Every entry of the allowlist says which number and why."""
    path = root / NUMBERS_FILE
    if not path.exists():
        return []
    listed = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = [("anywhere", e) for e in listed.get("anywhere") or []] + [
        (page, e) for page, es in (listed.get("pages") or {}).items() for e in es or []]
    return [f"{NUMBERS_FILE}: entry {entry} under {where} needs number: (or pattern:) and reason:"
            for where, entry in entries
            if not isinstance(entry, dict) or not entry.get("reason") or not ("number" in entry or "pattern" in entry)]


def check_typed_numbers(root: Path) -> list[str]:
    """No number typed into prose: it comes from a generated value, or it is on the allowlist with a reason."""
    anywhere, per_page = allowed_numbers(root)
    problems, used = [], set()
    for lang in LANGS:
        for page in prose_pages(root, lang):
            name = page.relative_to(root / "docs" / lang).as_posix()
            allowed = anywhere + per_page.get(name, [])
            for number, line in prose_lines(page.read_text(encoding="utf-8")):
                line = LIST_MARKER.sub(" ", line)
                for found in NUMBER.findall(line):
                    used.update((name, pattern.pattern) for pattern in per_page.get(name, [])
                                if pattern.fullmatch(found))
                    if not any(pattern.fullmatch(found) for pattern in allowed):
                        problems.append(
                            f"{page.relative_to(root).as_posix()}:{number}: typed number {found} in prose: show the "
                            f"generated value ({{{{ … }}}}), or list it under pages: {name} in {NUMBERS_FILE} "
                            f"with a reason")
    problems += [f"{NUMBERS_FILE}: {name} allows {pattern.pattern.replace(chr(92), '')}, which the page no longer "
                 f"types: remove the entry" for name, patterns in per_page.items() for pattern in patterns
                 if (name, pattern.pattern) not in used]
    return problems


def rejected_variants(terms: dict) -> list[tuple[str, str, re.Pattern[str]]]:
    """(term key, preferred Turkish term, pattern) for every variant docs/terms.yml rejects.

    A variant is a word or phrase matched at a word start, so suffixes are included ("optimizer" finds
    "optimizer'ı"); a variant written ``re:…`` is a regular expression.
    """
    found = []
    for key, entry in terms.items():
        tr = entry.get("tr") or {}
        for variant in tr.get("reject") or []:
            pattern = variant[3:] if variant.startswith("re:") else rf"(?<![\wçğıöşüÇĞİÖŞÜ(]){re.escape(variant)}"
            found.append((key, tr["term"], re.compile(pattern, re.I)))
    return found


STYLE_FILE = "config/tr-style.yml"


def style_phrases(root: Path) -> list[tuple[str, str, re.Pattern[str]]]:
    """config/tr-style.yml as (label, what to write, pattern): calques that are not glossary concepts."""
    path = root / STYLE_FILE
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []
    return [(f"a calque ({entry['reason']}, {STYLE_FILE})", entry["write"],
             re.compile(entry["reject"][3:] if entry["reject"].startswith("re:")
                        else rf"(?<![\wçğıöşüÇĞİÖŞÜ(]){re.escape(entry['reject'])}", re.I))
            for entry in entries or []]


def check_term_variants(root: Path) -> list[str]:
    """The Turkish prose uses the glossary's term for each concept, never a variant docs/terms.yml rejects,
    and none of the calques config/tr-style.yml lists."""
    terms = load_terms(root)
    variants = rejected_variants(terms)
    styles = style_phrases(root)
    problems = []
    for page in prose_pages(root, "tr"):
        lines = prose_lines(page.read_text(encoding="utf-8"))
        for index, (number, line) in enumerate(lines):
            # a phrase may wrap onto the next line: search both, report it on the line where it starts
            following = lines[index + 1][1] if index + 1 < len(lines) and lines[index + 1][0] == number + 1 else ""
            line = f"{line} {following.lstrip()}"
            starts_here = len(line) - len(following.lstrip()) - 1
            for key, term, pattern in variants:
                if (match := pattern.search(line)) and match.start() < starts_here:
                    problems.append(f"{page.relative_to(root).as_posix()}:{number}: \"{match.group(0)}\" is a "
                                    f"rejected variant for {key}: write \"{term}\" (docs/terms.yml)")
            for label, write, pattern in styles:
                if (match := pattern.search(line)) and match.start() < starts_here:
                    problems.append(f"{page.relative_to(root).as_posix()}:{number}: \"{match.group(0)}\" is "
                                    f"{label}: write {write}")
    for key, entry in terms.items():
        definition = (entry.get("tr") or {}).get("definition", "")
        for other, term, pattern in variants:
            if match := pattern.search(definition):
                problems.append(f"docs/terms.yml: {key}'s Turkish definition has \"{match.group(0)}\", a rejected "
                                f"variant for {other}: write \"{term}\"")
        for label, write, pattern in styles:
            if match := pattern.search(definition):
                problems.append(f"docs/terms.yml: {key}'s Turkish definition has \"{match.group(0)}\", {label}: "
                                f"write {write}")
    return problems


GLUED_SUFFIX = re.compile(r"\}\}`?'[a-zçğıöşü]+")


def check_suffix_after_value(root: Path) -> list[str]:
    """No Turkish suffix glued to a generated value: its vowel harmony would follow today's number only."""
    return [f"{page.relative_to(root).as_posix()}:{number}: suffix \"{match.group(0).lstrip('}`')}\" glued to "
            "a generated "
            f"value: reword so that no suffix follows it (\"… {{{{ x }}}} olur\", \"sayısı: {{{{ x }}}}\")"
            for page in prose_pages(root, "tr")
            for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1)
            for match in GLUED_SUFFIX.finditer(re.sub(r"`[^`{}]*`", " ", line))]


CLAIMS_FILE = "config/claims.yml"
COMPARATIVE = re.compile(r"\b(better|worse|faster|slower|closer|further|beats?|beat|wins?|outperforms?|converges?|"
                         r"higher|lower|more accurate|less accurate|as well as?|fewer|smaller than|larger than|"
                         r"more than|less than|falls?|rises?|drops?)\b", re.I)


def check_comparative_claims(root: Path) -> list[str]:
    """Every comparative sentence (English pages; the Turkish twin says the same) is listed in
    config/claims.yml with the test that guards it, or the reason it needs none; listed tests exist."""
    path = root / CLAIMS_FILE
    listed = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
    problems = []
    for page in prose_pages(root, "en"):
        name = page.relative_to(root / "docs" / "en").as_posix()
        texts = [entry["text"] for entry in listed.get(name) or []]
        for number, line in prose_lines(page.read_text(encoding="utf-8")):
            if (match := COMPARATIVE.search(line)) and not any(text in line for text in texts):
                problems.append(f"docs/en/{name}:{number}: comparative \"{match.group(0)}\" has no test: add the "
                                f"sentence under {name} in {CLAIMS_FILE} with test: (file::function) or reason:")
    for name, entries in listed.items():
        for entry in entries or []:
            if "test" in entry:
                file, _, function = entry["test"].partition("::")
                source = root / file
                if not source.exists() or f"def {function}(" not in source.read_text(encoding="utf-8"):
                    problems.append(f"{CLAIMS_FILE}: {name}: test {entry['test']} does not exist: name a test that "
                                    "guards the sentence")
            elif not entry.get("reason"):
                problems.append(f"{CLAIMS_FILE}: {name}: {entry.get('text')!r} needs test: or reason:")
    return problems


def check_one_concept_per_term(root: Path) -> list[str]:
    """No Turkish glossary term names two concepts, and no preferred term is rejected for another concept."""
    terms = load_terms(root)
    owners: dict[str, str] = {}
    problems = []
    for key, entry in terms.items():
        term = re.sub(r"\s*\(.*?\)", "", (entry.get("tr") or {}).get("term", "")).strip().casefold()
        if term in owners:
            problems.append(f"docs/terms.yml: Turkish term \"{term}\" names both {owners[term]} and {key}: "
                            f"give one of them another term")
        owners.setdefault(term, key)
    for key, _term, pattern in rejected_variants(terms):
        for other, entry in terms.items():
            if other != key and pattern.fullmatch(re.sub(r"\s*\(.*?\)", "", entry["tr"]["term"]).strip()):
                problems.append(f"docs/terms.yml: {other}'s term \"{entry['tr']['term']}\" is rejected for {key}: "
                                f"remove it from {key}'s reject list or rename one")
    return problems


CHECKS: list[Callable[[Path], list[str]]] = [
    check_twins, check_twin_structure, check_navigation, check_descriptions, check_includes, check_unused_sections,
    check_modules_have_tests_and_api, check_module_names, check_generated, check_terms, check_encoding,
    check_numbers_file, check_typed_numbers, check_term_variants, check_one_concept_per_term,
    check_suffix_after_value, check_comparative_claims,
]


def main() -> int:
    problems = [line for check in CHECKS for line in check(ROOT)]
    for line in problems:
        print(line)
    print(f"doctor: {len(problems)} problem{'s' * (len(problems) != 1)}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
