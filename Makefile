# derin-defter: every target sets up what it needs. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
NEED_MIB ?= 6800
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt constraints.txt | sha256sum | cut -c1-12)
# Zensical, the successor of MkDocs Material, in its own environment (requirements-zensical.txt).
ZVENV  ?= .venv-zensical
ZSTAMP := $(ZVENV)/.installed-$(shell cat requirements-zensical.txt constraints-zensical.txt | sha256sum | cut -c1-12)
BUILDER ?= mkdocs
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
export SITE_URL

.PHONY: help install zensical generate site test doctor serve preview bench spread lock tr-quality chapter clean

help:
	@echo "make site      set up .venv, regenerate outputs, build both languages into site/ (strict)"
	@echo "               BUILDER=zensical builds them with Zensical instead of MkDocs (see README)"
	@echo "make zensical  set up .venv-zensical/ (Zensical, for the parity test and BUILDER=zensical)"
	@echo "make test      run every check (pytest; CHAPTER=cnn for one chapter's tests + the site-wide ones;"
	@echo "               PYTEST_ARGS='--device cuda' on a GPU machine; TEST_WORKERS=0 for one process, e.g. with --pdb)"
	@echo "make doctor    list what a chapter is missing, one line per problem with the fix (1 s)"
	@echo "make generate  regenerate outputs (CHAPTER=cnn for one chapter, FORCE=1 to ignore the cache)"
	@echo "make chapter NAME=gan TR='…' EN='…' [SECTION='Generative models']  scaffold a new chapter in both languages"
	@echo "make serve     live preview of one language (SITE_LANG=tr|en) on http://127.0.0.1:8000/"
	@echo "make preview   serve the built site/ with both languages and the language switcher"
	@echo "make bench     time a full run, a no-change run and a build; report the site size"
	@echo "make spread    how far each generated number moves under other numeric settings (CHAPTER=…)"
	@echo "make lock      rewrite constraints.txt from the installed environment"
	@echo "make tr-quality  Turkish spelling score of docs/tr (needs hunspell-tr and ../shared/tools)"

$(STAMP): requirements.txt constraints.txt
	rm -f $(VENV)/.installed-*
	@# torch's CUDA build fills about 6 GiB: say so before pip dies half-way with "No space left on device".
	@if ! $(BIN)/python -c 'import torch' 2>/dev/null; then \
	  free_mib=$$(df -Pm . | awk 'NR==2 {print $$4}'); \
	  if [ "$$free_mib" -lt $(NEED_MIB) ]; then \
	    echo "install: $$free_mib MiB free on this disk, the virtual environment needs about $(NEED_MIB) MiB." >&2; \
	    echo "install: free some space (old clones with their .venv, ~/.cache/pip) and run make again." >&2; \
	    exit 1; \
	  fi; \
	fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -r requirements.txt -c constraints.txt
	touch $@

install: $(STAMP)

$(ZSTAMP): requirements-zensical.txt constraints-zensical.txt
	rm -f $(ZVENV)/.installed-*
	test -x $(ZVENV)/bin/python || $(PYTHON) -m venv $(ZVENV)
	$(ZVENV)/bin/python -m pip install -q -r requirements-zensical.txt -c constraints-zensical.txt
	touch $@

zensical: $(ZSTAMP)

generate: install
	$(BIN)/python -m tools.generate $(CHAPTER) $(if $(FORCE),--force)

site: generate $(if $(filter zensical,$(BUILDER)),zensical)
	@# both languages into .site-<pid>-new/, which replaces site/ only when both built (tools/site.py)
	$(BIN)/python -m tools.site $(if $(filter zensical,$(BUILDER)),--builder zensical)
	@echo "Site built: site/tr/ (Türkçe) and site/en/ (English)."
	@echo "Preview both languages: make preview, then open http://127.0.0.1:8000/"

# One test process per core (pytest-xdist; which tests share a process: tests/conftest.py);
# TEST_WORKERS=0 runs them all in this process (for --pdb).
TEST_WORKERS ?= auto

test: install zensical
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope $(if $(CHAPTER),--chapter "$(CHAPTER)") $(PYTEST_ARGS)

doctor: install
	$(BIN)/python -m tools.doctor

serve: generate
	$(BIN)/mkdocs serve -f $(if $(filter en,$(SITE_LANG)),mkdocs.en.yml,mkdocs.yml)

preview:
	$(MAKE) site SITE_URL=http://127.0.0.1:8000/
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory site 8000

bench: install
	$(BIN)/python -m tools.bench

spread: install
	$(BIN)/python -m tools.spread $(CHAPTER)

lock: install
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

chapter: install
	$(BIN)/python -m tools.new_chapter "$(NAME)" --tr "$(TR)" --en "$(EN)" $(if $(SECTION),--section "$(SECTION)")

tr-quality:
	python3 ../shared/tools/tr-quality.py --words config/tr-words.txt docs/tr

clean:
	rm -rf site .cache .pytest_cache .ruff_cache .zensical.*.yml
