"""`docgen init`: a new office repository (docgen.yaml, data, Makefile, CI, git settings) beside the installed tool."""
from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from docgen.errors import UsageError
from docgen.site import CONFIG, DEFAULT_DATA, DEFAULT_OUTPUT, DEFAULT_OVERRIDES, example_office

_CONFIG_HEAD = f"""\
# docgen.yaml: this office's settings. docgen finds it from any folder below this one.
data: {DEFAULT_DATA}            # institution.yaml, partners/, mobilities/, rates/, isced.yaml
output: {DEFAULT_OUTPUT}          # where docgen build writes (git-ignored)
templates: {DEFAULT_OVERRIDES}    # the office's overrides: a file of the same name as docgen's wins
"""

_MAKEFILE = """\
# The office's two commands: `make` validates and builds every document, `make test` runs the office's checks.
DOCGEN ?= docgen
PYTHON ?= python3
BASE   ?= origin/main
# The agreements whose documents a merge request changes (docgen diff --format json).
export CHANGED := import json, sys; print(*sorted({r["record"] for r in json.load(sys.stdin)["records"] \
	if r["kind"] == "agreement" and r["status"] == "changed"}))

.PHONY: all check build test review clean

all: check build

check:
\t$(DOCGEN) check

build:
\t$(DOCGEN) build

# The office's own checks: every record valid, every document made (into a scratch folder).
test:
\t$(DOCGEN) check
\trm -rf $(or $(TMPDIR),/tmp)/docgen-office-test
\t$(DOCGEN) build --out $(or $(TMPDIR),/tmp)/docgen-office-test

# What a merge request changes against BASE: the terms diff as Markdown (build/review.md), and the
# redlines of every changed agreement (build/redline/). CI runs it; `make review BASE=main` locally.
review:
	mkdir -p build
	$(DOCGEN) diff $(BASE) --format md > build/review.md || test $$? -eq 1
	$(DOCGEN) diff $(BASE) --format json > build/review.json || test $$? -eq 1
	for id in $$($(PYTHON) -c "$$CHANGED" < build/review.json); do $(DOCGEN) redline $$id --from $(BASE); done

clean:
\trm -rf build
"""

_GITATTRIBUTES = """\
# Built documents as text in git diff: run once `git config diff.docgen.textconv "docgen textconv"`.
*.docx diff=docgen
*.pdf diff=docgen
# Participants' records encrypted in the repository instead of git-ignored (see README, Personal data):
# data/mobilities/** filter=git-crypt diff=git-crypt
"""

_GITIGNORE = """\
/build/
# Participants' personal data stays out of git in clear: keep data/mobilities/ on the office's protected
# drive (this line), or remove it and commit the files encrypted with git-crypt (.gitattributes).
{mobilities}/data/mobilities/
"""

_README = """\
# Our office's documents

Agreements, mobility documents and grant contracts made by [docgen](https://pypi.org/project/docgen/) from the
YAML data in `data/`.

```sh
make        # validate data/ and build every document into build/
make test   # the office's checks: every record valid, every document made
```

`docgen` must be on PATH (`pip install docgen` in a virtual environment, then activate it), or give its path:
`make DOCGEN=/path/to/venv/bin/docgen`. `docgen` works from any folder of this repository.

* `docgen.yaml`: where the data, the output and the overrides are; `office:` is this office's policy
  (languages, contract language rule, signatories).
* `data/`: `institution.yaml` (us), `partners/<id>.yaml`, `mobilities/<year>.yaml`, `rates/<call>.yaml`.
  `docgen new partner ID` writes a skeleton; `docgen check` names every field still to fill.
* `templates/`: overrides. A file with the same name as one of docgen's wins: `html/<kind>.html`,
  `html/style.css`, `docx/shell.docx`, `fonts/*.ttf`, and `locale/<lang>/<name>.po`, whose messages replace
  docgen's of the same key (a new language is a new `locale/<lang>/` folder). `docgen list --inputs` names
  the file each document reads.
* Merge requests: CI (`.gitlab-ci.yml`, `.github/workflows/docgen.yml`) runs `docgen check`, builds, posts
  `docgen diff --format md` against the target branch and keeps the redlines of changed agreements.
* Personal data: participants' records are not committed in clear (`.gitignore`, or git-crypt).
"""

_OVERRIDES_README = """\
Overrides of docgen's templates: put here a file with the same relative name as docgen's
(html/erasmus-iia.html, html/style.css, docx/shell.docx, fonts/X.ttf, locale/pl/ours.po).
`docgen list --inputs` shows which file each document reads.
"""

_SETUP = """\
    - apt-get update -qq && apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 git make
    - pip install --quiet "${DOCGEN_PACKAGE:-docgen}"
"""

_GITLAB = """\
# On every merge request: docgen check, build, the terms diff against the target branch as a comment
# (when DOCGEN_BOT_TOKEN, a project access token with api scope, is set) and the redlines as artifacts.
docgen:
  image: python:3.11-slim
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    GIT_DEPTH: "0"
  script:
""" + _SETUP + """\
    - git fetch --quiet origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    - docgen check
    - docgen build
    - make review BASE="origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    - >
      if [ -n "$DOCGEN_BOT_TOKEN" ]; then
      python3 -c 'import json,sys; print(json.dumps({"body": open("build/review.md").read()}))' > build/note.json &&
      curl --silent --fail --request POST --header "PRIVATE-TOKEN: $DOCGEN_BOT_TOKEN" --header "Content-Type: application/json"
      --data @build/note.json "$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes";
      fi
  artifacts:
    when: always
    paths:
      - build/review.md
      - build/redline/
"""

_GITHUB = """\
# On every pull request: docgen check, build, the terms diff against the target branch as the job summary,
# and the redlines of changed agreements as a downloadable artifact.
name: docgen
on:
  pull_request:
jobs:
  documents:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install docgen
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
          pip install --quiet "${DOCGEN_PACKAGE:-docgen}"
      - run: docgen check
      - run: docgen build
      - name: Terms changed against the target branch
        run: |
          make review BASE="origin/${{ github.base_ref }}"
          cat build/review.md >> "$GITHUB_STEP_SUMMARY"
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: redlines
          path: build/redline/
          if-no-files-found: ignore
"""


def init(target: Path, example: bool = False) -> list[Path]:
    """Write a new office repository into `target` (missing or empty); returns the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} is not empty: docgen init makes a new office repository in a new or empty "
                         "folder")
    target.mkdir(parents=True, exist_ok=True)
    data = target / DEFAULT_DATA
    if example:
        shutil.copytree(example_office(), data, ignore=shutil.ignore_patterns("__pycache__", CONFIG))
        office = _example_policy()
    else:
        _skeleton(data)
        office = ""
    files = {
        CONFIG: _CONFIG_HEAD + office,
        "Makefile": _MAKEFILE,
        ".gitattributes": _GITATTRIBUTES,
        # the invented sample participants (example.org addresses) may be committed
        ".gitignore": _GITIGNORE.format(mobilities="# " if example else ""),
        "README.md": _README,
        f"{DEFAULT_OVERRIDES}/README": _OVERRIDES_README,
        ".gitlab-ci.yml": _GITLAB,
        ".github/workflows/docgen.yml": _GITHUB,
    }
    written = []
    for name, text in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _example_policy() -> str:
    """The sample office's `office:` section (this repository's docgen.yaml, shipped as package data)."""
    text = (resources.files("docgen") / "example-docgen.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("office:"))
    return "".join(lines[start:])


def _skeleton(data: Path) -> None:
    """Empty record folders, the ISCED list and the example's rates (year figures an office checks and keeps),
    and an institution file whose every text is TODO, which docgen check names field by field."""
    from ruamel.yaml import YAML

    source = example_office()
    for folder in ("partners", "mobilities"):
        (data / folder).mkdir(parents=True, exist_ok=True)
        (data / folder / ".gitkeep").write_text("", encoding="utf-8")
    shutil.copytree(source / "rates", data / "rates")
    shutil.copy2(source / "isced.yaml", data / "isced.yaml")
    yaml = YAML(typ="rt")
    tree = yaml.load((source / "institution.yaml").read_text(encoding="utf-8"))
    _blank(tree)
    with (data / "institution.yaml").open("w", encoding="utf-8") as fh:
        fh.write("# The home institution: replace every TODO, then run docgen check.\n")
        yaml.dump(tree, fh)


def _blank(node: object) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                node[key] = "TODO"
            else:
                _blank(value)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, str):
                node[i] = "TODO"
            else:
                _blank(value)
