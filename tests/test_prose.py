"""The prose checks of tools/doctor.py (typed numbers, rejected term variants, one concept per term) catch
what they are for: each is broken once here on a copy of the project and must name file, line and fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import copy_project
from tools import doctor


@pytest.fixture
def tree(tmp_path) -> Path:
    return copy_project(tmp_path, ["docs", "config"])


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_typed_number_names_file_line_and_fix(tree):
    page = tree / "docs/en/vit/index.md"
    line = len(page.read_text(encoding="utf-8").splitlines()) + 2
    append(page, "\nThe tiny ViT reaches 97 % accuracy.\n")
    assert doctor.check_typed_numbers(tree) == [
        f"docs/en/vit/index.md:{line}: typed number 97 in prose: show the generated value ({{{{ … }}}}), "
        "or list it under pages: vit/index.md in config/prose-numbers.yml with a reason"]


def test_numbers_in_code_macros_headings_and_names_are_not_prose(tree):
    append(tree / "docs/en/vit/index.md", "\n## Step 3 { #step-3 }\n\n`patch=4` and {{ t.patch * 2 }} on a "
           "ResNet-50 with float32 and ViT-B/16.\n\n```python\nx = 12\n```\n")
    assert doctor.check_typed_numbers(tree) == []


def test_the_allowlist_needs_a_reason(tree):
    path = tree / "config/prose-numbers.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "anywhere:\n", 'anywhere:\n  - {number: "42"}\n', 1), encoding="utf-8")
    assert doctor.check_numbers_file(tree) == [
        "config/prose-numbers.yml: entry {'number': '42'} under anywhere needs number: (or pattern:) and reason:"]


def test_a_rejected_variant_names_file_line_and_preferred_term(tree):
    page = tree / "docs/tr/cnn/index.md"
    line = len(page.read_text(encoding="utf-8").splitlines()) + 2
    append(page, "\nAdam optimizer'ı ve kodçözücü.\n")
    lines = doctor.check_term_variants(tree)
    assert (f'docs/tr/cnn/index.md:{line}: "optimizer" is a rejected variant for optimizer: '
            'write "Eniyileyici (optimizer)" (docs/terms.yml)') in lines
    assert any(f"cnn/index.md:{line}: \"kodçözücü\" is a rejected variant for decoder" in x for x in lines)


def test_stride_is_not_adım(tree):
    append(tree / "docs/tr/cnn/index.md", "\nÇekirdek ve adımı ikidir; kenar `n` / adım kadar kısalır.\n")
    found = [x for x in doctor.check_term_variants(tree) if "for stride" in x]
    assert len(found) == 2, found


def test_the_english_gloss_in_parentheses_is_allowed(tree):
    append(tree / "docs/tr/cnn/index.md", "\nBir eniyileyici (optimizer) seçilir.\n")
    assert doctor.check_term_variants(tree) == []


def test_one_turkish_term_names_one_concept(tree):
    append(tree / "docs/terms.yml", '\nbatch_again:\n  tr: {term: Küçük yığın, definition: "x"}\n'
           '  en: {term: Stack, definition: "x"}\n')
    assert doctor.check_one_concept_per_term(tree) == [
        'docs/terms.yml: Turkish term "küçük yığın" names both batch and batch_again: give one of them another term']


def test_the_glossary_has_no_term_for_two_concepts_and_no_rejected_variant_on_pages():
    root = Path(__file__).resolve().parents[1]
    assert doctor.check_one_concept_per_term(root) == []
    assert doctor.check_term_variants(root) == []
    assert doctor.check_typed_numbers(root) == []


def test_a_calque_names_what_to_write(tree):
    page = tree / "docs/tr/tensors/index.md"
    line = len(page.read_text(encoding="utf-8").splitlines()) + 2
    append(page, "\nŞimdi modele öğrenmesi için izin veririz.\n")
    found = [x for x in doctor.check_term_variants(tree) if "calque" in x]
    expected = f'docs/tr/tensors/index.md:{line}: "izin veririz" is a calque'
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_suffix_glued_to_a_generated_value_is_found(tree):
    page = tree / "docs/tr/vit/index.md"
    line = len(page.read_text(encoding="utf-8").splitlines()) + 2
    append(page, "\nModel {{ t.parameters | num }}'dir.\n")
    assert doctor.check_suffix_after_value(tree) == [
        f'docs/tr/vit/index.md:{line}: suffix "\'dir" glued to a generated value: reword so that no suffix '
        'follows it ("… {{ x }} olur", "sayısı: {{ x }}")']


def test_a_phrase_that_wraps_onto_the_next_line_is_found_on_its_first_line(tree):
    page = tree / "docs/tr/tensors/index.md"
    line = len(page.read_text(encoding="utf-8").splitlines()) + 2
    append(page, "\nAğın gürültüyü çıkarmasına izin\nveririz.\n")
    found = [x for x in doctor.check_term_variants(tree) if "calque" in x]
    assert [x.split(": ")[0] for x in found] == [f"docs/tr/tensors/index.md:{line}"], found


def test_a_suffix_after_a_value_in_code_is_found(tree):
    append(tree / "docs/tr/vit/index.md", "\nSon adım (`t = {{ t.epochs }}`'de) gelir.\n")
    assert len(doctor.check_suffix_after_value(tree)) == 1


def test_a_comparative_sentence_without_a_test_is_found(tmp_path):
    tree = copy_project(tmp_path, ["docs", "config", "tests"])
    page = tree / "docs/en/vit/index.md"
    line = len(page.read_text(encoding="utf-8").splitlines()) + 2
    append(page, "\nThe tiny ViT trains faster than the CNN.\n")
    assert doctor.check_comparative_claims(tree) == [
        f'docs/en/vit/index.md:{line}: comparative "faster" has no test: add the sentence under vit/index.md '
        "in config/claims.yml with test: (file::function) or reason:"]


def test_a_claim_naming_a_missing_test_is_found(tmp_path):
    tree = copy_project(tmp_path, ["docs", "config", "tests"])
    path = tree / "config/claims.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "test_vit_the_cnn_wins_on_small_data", "test_that_was_renamed"), encoding="utf-8")
    assert doctor.check_comparative_claims(tree) == [
        "config/claims.yml: vit/index.md: test tests/test_claims.py::test_that_was_renamed does not exist: "
        "name a test that guards the sentence"]


def test_an_allowlist_entry_the_page_no_longer_needs_is_found(tree):
    path = tree / "config/prose-numbers.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  vit/index.md:\n", '  vit/index.md:\n    - {number: "777", reason: "gone"}\n'), encoding="utf-8")
    assert doctor.check_typed_numbers(tree) == [
        "config/prose-numbers.yml: vit/index.md allows 777, which the page no longer types: remove the entry"]


def test_a_number_in_a_formula_is_prose_but_an_exponent_is_notation(tree):
    page = tree / "docs/en/vit/index.md"
    line = len(page.read_text(encoding="utf-8").splitlines()) + 2
    append(page, "\nThe block holds \\(C^2\\) weights and reaches \\(97\\,\\%\\) accuracy.\n")
    assert [problem.split(" in prose")[0] for problem in doctor.check_typed_numbers(tree)] == [
        f"docs/en/vit/index.md:{line}: typed number 97"]


# A formula is LaTeX for pymdownx.arithmatex (\( … \), $$ … $$), which KaTeX typesets: a code span that
# holds one (math symbols, a subscript in parentheses, a function applied, words multiplied) is left
# over. Shapes such as `3×3` or `k×k` and code such as `weight_decay=λ` are not formulas.
FORMULA_IN_CODE = re.compile(r"[√·⌊⌋Σ∑∂‖⊙ᾱ²ᵀ→←≤≥]|[αβγεηθσμ][_(]|\b(softmax|tanh|sigmoid|log|exp)\(|\w_\([^)]| × ")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
FENCED = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*", re.S | re.M)


def formulas_in_code_spans(root: Path) -> list[str]:
    found = []
    for lang in ("tr", "en"):
        for page in doctor.prose_pages(root, lang):
            text = FENCED.sub("", page.read_text(encoding="utf-8"))
            found += [f"{page.relative_to(root).as_posix()}: `{span}`" for span in CODE_SPAN.findall(text)
                      if FORMULA_IN_CODE.search(re.sub(r"\{\{.*?\}\}", "", span))]
    return found


def test_no_formula_is_left_in_a_code_span():
    found = formulas_in_code_spans(Path(__file__).resolve().parents[1])
    assert not found, "write these formulas in LaTeX, \\( … \\) or $$ … $$ (KaTeX renders them):\n" + "\n".join(found)


def test_a_formula_in_a_code_span_is_found(tree):
    append(tree / "docs/tr/diffusion/index.md",
           "\n`x_t = √ᾱ_t · x_0`, `3×3`, `weight_decay=λ`, `(giriş + 1) × çıkış`.\n")
    assert formulas_in_code_spans(tree) == ["docs/tr/diffusion/index.md: `x_t = √ᾱ_t · x_0`",
                                            "docs/tr/diffusion/index.md: `(giriş + 1) × çıkış`"]
