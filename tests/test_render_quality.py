"""What a reader of every built document sees, for every job `Builder.plan()` yields (new kinds included).

The whole project is built once per test session (both formats, every job through `Builder.run`,
in parallel worker processes) into a temporary folder; each PDF and DOCX is then checked on its
own: PDF page size, embedded fonts, title metadata, text that pypdf and poppler can extract (the
home institution named in every document language, no template leftovers, no missing glyphs);
DOCX zip/XML validity, no Jinja leftovers in the body, headers or footers, real tables where the
template has tables, and one LibreOffice run that converts every DOCX to PDF. A copy of the data
with a hostile partner name and place checks escaping in both formats.

The build helpers here are shared with test_determinism.py and test_html_golden.py (imported,
not fixtures: a fixture cannot be shared across modules without a conftest.py).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from reading import read

from docgen.build.builder import Builder, Job
from docgen.pipeline import load_checked
from docgen.model.project import Project

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "sample"  # the sample project; never the office's data/
TEMPLATES = ROOT / "templates"
PLAN_OUT = Path("build")  # the out folder of the collection-time plan; only relative paths are used

A4 = (595.276, 841.890)  # points
# Text that must never reach a reader: Jinja leftovers, unfilled catalog values, placeholder words.
PLACEHOLDERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|%\(\w+\)[sd]|\bNone\b|\bUndefined\b|\bTODO\b|\bXXX\b")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# ----------------------------------------------------------------------------- loading and building

def rel(job: Job, out_dir: Path) -> str:
    return job.output.relative_to(out_dir).as_posix()


def _collect_plan() -> tuple[list[Job], str | None]:
    try:
        return Builder(load_checked(DATA), TEMPLATES, PLAN_OUT).plan(), None
    except Exception as exc:  # reported by test_plan_succeeds, not as a collection error
        return [], f"{type(exc).__name__}: {exc}"


PLAN, PLAN_ERROR = _collect_plan()
PDF_IDS = [rel(j, PLAN_OUT) for j in PLAN if j.fmt == "pdf"]
DOCX_IDS = [rel(j, PLAN_OUT) for j in PLAN if j.fmt == "docx"]
ALL_IDS = [rel(j, PLAN_OUT) for j in PLAN]


# One build worker: renders its share of the chosen jobs through Builder.run, one job at a time (a
# crash must not hide the other jobs), and reports per job: failure message, characters WeasyPrint
# had no glyph for (it logs a warning per .notdef box drawn) and seconds.
_WORKER = r"""
import json, logging, re, sys, time
from pathlib import Path
from docgen.build.builder import Builder
from docgen.pipeline import load_checked

spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
shard, shards = int(sys.argv[2]), int(sys.argv[3])
time.sleep(spec["delay"])
out = Path(spec["out"])
builder = Builder(load_checked(Path(spec["data"])), Path(spec["templates"]), out)
keep = set(spec["keep"])
jobs = [j for j in builder.plan(spec["only"]) if j.output.relative_to(out).as_posix() in keep][shard::shards]


class Notdef(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.chars = set()

    def emit(self, record):
        found = re.search(r"\(U\+([0-9A-Fa-f]{4,6})\)", record.getMessage())
        if ".notdef" in record.getMessage() and found:
            self.chars.add(chr(int(found.group(1), 16)))


weasy = logging.getLogger("weasyprint")
results = {}
for job in jobs:
    name = job.output.relative_to(out).as_posix()
    notdef, started, failed = Notdef(), time.time(), None
    weasy.addHandler(notdef)
    try:
        report = builder.run([job])
        if report.failed:
            failed = report.failed[0].message
        elif not job.output.is_file():
            failed = "reported as written but the file is missing"
    except Exception as exc:
        failed = f"crashed: {type(exc).__name__}: {exc}"
    finally:
        weasy.removeHandler(notdef)
    results[name] = {"failed": failed, "notdef": sorted(notdef.chars), "seconds": time.time() - started}
print(json.dumps(results))
"""
WORKERS = max(1, int(os.environ.get("DOCGEN_TEST_WORKERS", min(4, os.cpu_count() or 1))))


@dataclass
class Built:
    """One build: where it went, every job by relative output path, what failed and how long it took."""

    out_dir: Path
    builder: Builder
    jobs: dict[str, Job]
    failures: dict[str, str] = field(default_factory=dict)
    missing_glyphs: dict[str, set[str]] = field(default_factory=dict)
    job_seconds: dict[str, float] = field(default_factory=dict)
    started: float = 0.0
    seconds: float = 0.0

    @property
    def project(self) -> Project:
        return self.builder.project

    def path(self, rel_path: str) -> Path:
        """The written file, or skip: a job that failed is reported once, by test_job_renders."""
        if rel_path not in self.jobs:
            pytest.fail(f"{rel_path}: planned at collection time but not by the build (plan changed?)")
        if rel_path in self.failures:
            pytest.skip(f"not rendered (see test_job_renders): {self.failures[rel_path]}")
        return self.jobs[rel_path].output

    def written(self, fmt: str) -> dict[str, Path]:
        return {r: j.output for r, j in sorted(self.jobs.items()) if j.fmt == fmt and r not in self.failures}


def build(out_dir: Path, data: Path = DATA, only: str | None = None, pick: Any = None,
          env: dict[str, str] | None = None, delay: float = 0.0) -> Built:
    """Plan every job (or those `pick(jobs)` keeps) and render them in WORKERS processes (env: theirs)."""
    builder = Builder(load_checked(data), TEMPLATES, out_dir)
    jobs = builder.plan(only)
    if pick is not None:
        jobs = pick(jobs)
    built = Built(out_dir, builder, {rel(j, out_dir): j for j in jobs}, started=time.time())
    spec = out_dir.parent / f".{out_dir.name}.spec.json"
    spec.write_text(json.dumps({"data": str(data), "templates": str(TEMPLATES), "out": str(out_dir), "only": only,
                                "keep": sorted(built.jobs), "delay": delay}), encoding="utf-8")
    shards = min(WORKERS, max(1, len(jobs)))
    workers = [subprocess.Popen([sys.executable, "-c", _WORKER, str(spec), str(i), str(shards)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for i in range(shards)]
    results: dict[str, dict[str, Any]] = {}
    crashed = []
    for i, worker in enumerate(workers):
        out, err = worker.communicate(timeout=1800)
        if worker.returncode != 0:
            crashed.append(f"build worker {i} exited {worker.returncode}:\n{err[-3000:]}")
            continue
        results.update(json.loads(out.strip().splitlines()[-1]))
    assert not crashed, "\n".join(crashed)
    for key in built.jobs:
        result = results.get(key)
        if result is None:
            built.failures[key] = "no build worker rendered it (the workers planned differently)"
            continue
        if result["failed"]:
            built.failures[key] = result["failed"]
        if result["notdef"]:
            built.missing_glyphs[key] = set(result["notdef"])
        built.job_seconds[key] = result["seconds"]
    built.seconds = time.time() - built.started
    return built


_BUILDS: dict[str, Built] = {}


def main_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The full build of data/, made once per session whichever module asks first."""
    if "main" not in _BUILDS:
        _BUILDS["main"] = build(tmp_path_factory.mktemp("build-a"))
    return _BUILDS["main"]


# ----------------------------------------------------------------------------- reading documents

def normalize(text: str) -> str:
    """Text as a reader reads it: soft and automatic (U+2010) line-end hyphens joined, spaces collapsed."""
    text = text.replace("\u00ad", "")
    text = re.sub(r"\u2010[ \t]*\r?\n[ \t]*", "", text)
    return " ".join(text.split())


def pdf_text_pypdf(path: Path) -> str:
    import pypdf

    reader = pypdf.PdfReader(path)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_text_poppler(path: Path) -> str:
    """pdftotext in content-stream order (-raw keeps real hyphens; columns stay apart)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; `make test` installs it")
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"pdftotext failed on {path}: {done.stderr}"
    return done.stdout


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def docx_paragraphs(path: Path) -> dict[str, list[str]]:
    """Part name → text of each paragraph (runs joined, tabs and breaks as whitespace)."""
    from lxml import etree

    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if not _TEXT_PARTS.match(name):
                continue
            root = etree.fromstring(archive.read(name))
            paras = []
            for p in root.iter(f"{W}p"):
                bits = []
                for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
                    if node.tag == f"{W}t":
                        bits.append(node.text or "")
                    else:
                        bits.append("\t" if node.tag == f"{W}tab" else "\n")
                paras.append("".join(bits))
            out[name] = paras
    return out


def docx_text(path: Path) -> str:
    return "\n".join(p for paras in docx_paragraphs(path).values() for p in paras)


def home_names(built: Built, job: Job) -> list[str]:
    home = built.project.home
    assert home is not None
    return [home.name[lang] for lang in job.doc.langs if lang in home.name]


# ----------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return main_build(tmp_path_factory)


HOSTILE = """Q&A <b>x</b> "dq" 'sq' {{ 7*7 }} {% raw %} Ltd"""
HOSTILE_PARTNER = "khnu"


def hostile_data(target: Path) -> Path:
    """A copy of data/ in which the partner's name (every language) and every agreement place is HOSTILE."""
    from ruamel.yaml import YAML

    shutil.copytree(DATA, target)
    path = target / "partners" / f"{HOSTILE_PARTNER}.yaml"
    yaml = YAML(typ="rt")
    yaml.width = 4096
    doc = yaml.load(path.read_text(encoding="utf-8"))
    for lang in list(doc["institution"]["name"]):
        doc["institution"]["name"][lang] = HOSTILE
    for agreement in doc.get("agreements") or []:
        for lang in list(agreement.get("place") or {}):
            agreement["place"][lang] = HOSTILE
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    return target


def _one_record_per_kind(jobs: list[Job]) -> list[Job]:
    first: dict[str, str] = {}
    for job in jobs:
        first.setdefault(job.doc.kind, job.doc.record_id)
    return [j for j in jobs if first[j.doc.kind] == j.doc.record_id]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One record of each kind that involves the hostile partner, both formats."""
    data = hostile_data(tmp_path_factory.mktemp("hostile") / "data")
    result = build(tmp_path_factory.mktemp("hostile-out"), data, only=HOSTILE_PARTNER, pick=_one_record_per_kind)
    partner_errors = [str(p) for p in result.project.errors if f"{HOSTILE_PARTNER}.yaml" in p.file]
    assert not partner_errors, "the hostile copy of the data does not validate:\n" + "\n".join(partner_errors)
    return result


@dataclass
class Converted:
    pdfs: dict[Path, Path]  # DOCX → the PDF LibreOffice made of it (absent: not converted)
    log: str


@pytest.fixture(scope="module")
def libreoffice(built: Built, request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Converted:
    """Every DOCX of both builds (data/ and the hostile copy) converted to PDF in ONE soffice run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; `make test` installs libreoffice-writer-nogui")
    try:  # a broken hostile build is reported by its own tests; it must not stop these conversions
        hostile_docx = list(request.getfixturevalue("hostile").written("docx").values())
    except Exception:
        hostile_docx = []
    work = tmp_path_factory.mktemp("soffice")
    staged: dict[Path, Path] = {}
    sources = list(built.written("docx").values()) + hostile_docx
    for i, docx in enumerate(sources):  # unique names: many documents share a file name
        copy = work / "in" / f"{i:04d}.docx"
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(docx, copy)
        staged[docx] = copy
    if not staged:
        return Converted({}, "no DOCX was written")
    profile = (work / "profile").as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(work / "out"), *map(str, staged.values())],
        capture_output=True, text=True, timeout=600)
    log = f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    pdfs = {docx: work / "out" / f"{copy.stem}.pdf" for docx, copy in staged.items()}
    return Converted({d: p for d, p in pdfs.items() if p.is_file() and p.stat().st_size > 0}, log)


# ----------------------------------------------------------------------------- every job renders

def test_plan_succeeds() -> None:
    assert PLAN_ERROR is None, f"Builder.plan() failed: {PLAN_ERROR}"
    assert PLAN, "Builder.plan() yields no jobs for data/"


@pytest.mark.parametrize("rel_path", ALL_IDS)
def test_job_renders(built: Built, rel_path: str) -> None:
    assert rel_path in built.jobs, "planned at collection time but not by the build"
    assert rel_path not in built.failures, f"{rel_path} was not written: {built.failures.get(rel_path)}"


# ----------------------------------------------------------------------------- PDF

@pytest.mark.parametrize("rel_path", PDF_IDS)
def test_pdf_pages_are_a4_portrait(built: Built, rel_path: str) -> None:
    import pypdf

    reader = pypdf.PdfReader(built.path(rel_path))
    assert len(reader.pages) >= 1
    for number, page in enumerate(reader.pages, 1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert abs(size[0] - A4[0]) < 0.5 and abs(size[1] - A4[1]) < 0.5, \
            f"page {number} is {size[0]:.1f} x {size[1]:.1f} pt, not A4 portrait {A4}"


@pytest.mark.parametrize("rel_path", PDF_IDS)
def test_pdf_fonts_are_all_embedded(built: Built, rel_path: str) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed; `make test` installs it")
    done = subprocess.run(["pdffonts", str(built.path(rel_path))], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()[2:]  # header and dashes
    fonts = [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]
    assert fonts, f"pdffonts lists no font at all:\n{done.stdout}"
    assert [name for name, emb in fonts if emb != "yes"] == [], f"fonts not embedded:\n{done.stdout}"


@pytest.mark.parametrize("rel_path", PDF_IDS)
def test_pdf_title_is_the_document_title(built: Built, rel_path: str) -> None:
    import pypdf

    job = built.jobs[rel_path]
    metadata = pypdf.PdfReader(built.path(rel_path)).metadata
    assert metadata is not None, "the PDF has no document information"
    assert metadata.title == built.builder.meta(job.doc).title


@pytest.mark.parametrize("rel_path", PDF_IDS)
def test_pdf_draws_every_character(built: Built, rel_path: str) -> None:
    """WeasyPrint draws a .notdef box for a character no font has: the reader sees a blank or a box."""
    path = built.path(rel_path)
    chars = built.missing_glyphs.get(rel_path, set())
    assert not chars, f"{path.name}: no glyph for {', '.join(f'U+{ord(c):04X}' for c in sorted(chars))}"


@pytest.mark.parametrize("rel_path", PDF_IDS)
def test_pdf_text_extracts_with_pypdf_and_names_home_institution(built: Built, rel_path: str) -> None:
    path = built.path(rel_path)
    text = normalize(pdf_text_pypdf(path))
    missing = [name for name in home_names(built, built.jobs[rel_path]) if normalize(name) not in text]
    assert text, "pypdf extracts no text"
    assert not missing, f"pypdf text lacks the home institution's name {missing}; text begins: {text[:300]!r}"


@pytest.mark.parametrize("rel_path", PDF_IDS)
def test_pdf_text_has_no_placeholders(built: Built, rel_path: str) -> None:
    text = pdf_text_poppler(built.path(rel_path))
    found = sorted({m.group(0) for m in PLACEHOLDERS.finditer(text)})
    assert not found, f"placeholder text {found} in the PDF: " + "; ".join(
        normalize(text[max(0, m.start() - 60):m.end() + 60]) for m in PLACEHOLDERS.finditer(text))[:800]


# ----------------------------------------------------------------------------- DOCX

@pytest.mark.parametrize("rel_path", DOCX_IDS)
def test_docx_is_a_valid_document(built: Built, rel_path: str) -> None:
    import docx
    from lxml import etree

    path = built.path(rel_path)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None, "a zip entry is corrupt"
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))  # raises on invalid XML
    document = docx.Document(str(path))
    assert any(p.text.strip() for p in document.paragraphs) or document.tables, "the document is empty"


@pytest.mark.parametrize("rel_path", DOCX_IDS)
def test_docx_has_no_template_leftovers(built: Built, rel_path: str) -> None:
    """No Jinja tag or placeholder word in the body, headers, footers or notes."""
    found = []
    for part, paras in docx_paragraphs(built.path(rel_path)).items():
        whole = "\n".join(paras)  # a tag split over paragraphs is still found
        for m in PLACEHOLDERS.finditer(whole):
            found.append(f"{part}: {m.group(0)!r} in {normalize(whole[max(0, m.start() - 50):m.end() + 50])!r}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("rel_path", DOCX_IDS)
def test_docx_names_home_institution(built: Built, rel_path: str) -> None:
    text = normalize(docx_text(built.path(rel_path)))
    missing = [name for name in home_names(built, built.jobs[rel_path]) if normalize(name) not in text]
    assert not missing, f"the DOCX lacks the home institution's name {missing}"


@pytest.mark.parametrize("rel_path", DOCX_IDS)
def test_docx_has_real_tables_where_the_document_has(built: Built, rel_path: str) -> None:
    import docx

    job = built.jobs[rel_path]
    path = built.path(rel_path)
    html = built.builder.html(job.doc)
    tables = docx.Document(str(path)).tables
    if not real_tables(html):
        assert not tables, f"{path.name} has tables its HTML does not have"
        return
    assert tables, f"the HTML of {path.name} has tables but the DOCX has none"
    for i, table in enumerate(tables, 1):
        assert len(table.rows) >= 1, f"table {i} has no rows"
        assert any(cell.text.strip() for row in table.rows for cell in row.cells), f"table {i} is empty"


def schema_order_problems(path: Path) -> list[str]:
    """Every element of every XML part of a DOCX out of its WordprocessingML sequence (docgen.documents.renderers.ooxml)."""
    from lxml import etree

    from docgen.documents.renderers.ooxml import order_problems

    found = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith(".xml"):
                found.extend(f"{name}: {problem}" for problem in order_problems(etree.fromstring(archive.read(name))))
    return found


@pytest.mark.parametrize("rel_path", DOCX_IDS)
def test_docx_follows_the_schema_order(built: Built, rel_path: str) -> None:
    """Word reports unreadable content for a property out of its ECMA-376 sequence or repeated (LibreOffice does
    not): every part of every DOCX keeps the schema's order, each property once."""
    problems = schema_order_problems(built.path(rel_path))
    assert not problems, "\n".join(problems[:20])


def real_tables(html: str) -> int:
    """The tables of a document's HTML that are tables in Word too: all but the parallel layout of one language
    (whose cells are the document's own paragraphs)."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    count = 0
    for table in root.iter("table"):
        one_column = all(len([c for c in tr if c.tag in ("td", "th")]) == 1 for tr in table.iter("tr")
                         if tr.getparent() is table or tr.getparent().getparent() is table)
        if not ("parallel" in (table.get("class") or "").split() and one_column):
            count += 1
    return count


_WORD = re.compile(r"\w+")
# The body of an A4 page, in points: what lies between the running header and footer (the @page margins).
_BODY_BOX = ("-x", "0", "-y", "60", "-W", "596", "-H", "725")


def words(text: str) -> dict[str, int]:
    """How many times each word stands in a text: case, line breaks, hyphenation and break hints aside."""
    from collections import Counter

    text = text.replace("\u00ad", "").replace("\u200b", "")
    text = re.sub(r"\u2010[ \t]*\r?\n[ \t]*", "", text)  # WeasyPrint's automatic hyphen at a line end
    return dict(Counter(w.casefold() for w in _WORD.findall(text)))


def pdf_body_text(path: Path) -> str:
    """The PDF's text without the running header and footer (title, id, page numbers)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; `make test` installs it")
    done = subprocess.run(["pdftotext", "-raw", *_BODY_BOX, "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("rel_path", PDF_IDS)
def test_docx_and_pdf_hold_the_same_words(built: Built, rel_path: str) -> None:
    """Parity: both formats come from one HTML, so every word stands in both as often (headers aside)."""
    docx_path = rel_path[:-len(".pdf")] + ".docx"
    pdf_words = words(pdf_body_text(built.path(rel_path)))
    docx_words = words(read(built.path(docx_path)))
    only_pdf = {w: n - docx_words.get(w, 0) for w, n in pdf_words.items() if n > docx_words.get(w, 0)}
    only_docx = {w: n - pdf_words.get(w, 0) for w, n in docx_words.items() if n > pdf_words.get(w, 0)}
    # a table header row that WeasyPrint repeats on every page it runs onto counts once in the DOCX
    repeated = repeated_header_words(built.builder.html(built.jobs[rel_path].doc))
    only_pdf = {w: n for w, n in only_pdf.items() if w not in repeated}
    assert not only_pdf and not only_docx, f"words only in the PDF: {only_pdf}; only in the DOCX: {only_docx}"


def repeated_header_words(html: str) -> set[str]:
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    return set(words(" ".join(" ".join(head.itertext()) for head in root.iter("thead"))))


@pytest.mark.parametrize("rel_path", DOCX_IDS)
def test_docx_converts_with_libreoffice(built: Built, libreoffice: Converted, rel_path: str) -> None:
    import pypdf

    path = built.path(rel_path)
    job = built.jobs[rel_path]
    assert path in libreoffice.pdfs, f"LibreOffice did not convert {path.name}:\n{libreoffice.log[-2000:]}"
    pdf = libreoffice.pdfs[path]
    assert len(pypdf.PdfReader(pdf).pages) >= 1
    pdf_text = re.sub(r"-\s+", "-", normalize(pdf_text_poppler(pdf)))  # a name wrapped after its own hyphen
    names = home_names(built, job)
    mobility = built.project.mobilities.get(job.doc.record_id)
    if mobility is not None:
        names.append(mobility[0].participant.last_name)
    in_docx = [n for n in names if normalize(n) in normalize(docx_text(path))]
    assert in_docx, f"the DOCX names none of {names}"
    assert [n for n in in_docx if normalize(n) not in pdf_text] == [], \
        f"LibreOffice's PDF lacks names the DOCX has; its text begins: {pdf_text[:300]!r}"


# ----------------------------------------------------------------------------- data reaches templates clean

def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    from pydantic import BaseModel

    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}[{key!r}]")
    elif isinstance(value, (list, tuple, set, frozenset)):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def test_template_context_has_no_control_characters(built: Built) -> None:
    """Every text a template can print is free of control characters (they show as boxes or breaks)."""
    bad = []
    for job in built.jobs.values():
        if job.fmt != "pdf":
            continue
        kind = built.builder.kinds[job.doc.kind]
        for where, text in _strings(dict(kind.context(built.project, job.doc))):
            if CONTROL.search(text):
                bad.append(f"{job.doc.record_id} {job.doc.kind}: {where} = {text[:80]!r}")
    assert not bad, f"{len(bad)} text(s) with control characters:\n" + "\n".join(sorted(set(bad))[:20])


# ----------------------------------------------------------------------------- diacritics (pl/uk agreement)

BILATERAL = "khnu-bilateral-2015"
POLISH_LETTERS = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def _bilateral(built: Built, fmt: str) -> tuple[str, Job]:
    found = [(r, j) for r, j in built.jobs.items() if j.doc.record_id == BILATERAL and j.fmt == fmt]
    assert found, f"no {fmt} job for {BILATERAL}"
    assert found[0][1].doc.langs == ("pl", "uk"), found[0][1].doc.langs
    return found[0]


def _diacritics_problems(built: Built, text: str) -> list[str]:
    home = built.project.home
    partner = built.project.partners["khnu"].institution
    assert home is not None
    title_uk = built.builder.catalogs.gettext("uk", "bilateral.title")
    polish = POLISH_LETTERS & set(home.name["pl"])
    assert polish, "the home institution's Polish name has no Polish letters to look for"
    problems = [f"missing {n!r}" for n in (home.name["pl"], home.name["uk"], partner.name["pl"],
                                            partner.name["uk"], title_uk) if normalize(n) not in text]
    problems += [f"Polish letter {c!r} missing" for c in sorted(polish) if c not in text]
    cyrillic = {c for c in home.name["uk"] + title_uk if "\u0400" <= c <= "\u04ff"}
    problems += [f"Cyrillic letter {c!r} missing" for c in sorted(cyrillic) if c not in text]
    if "\ufffd" in text:
        problems.append("U+FFFD replacement characters in the text")
    return problems


def test_bilateral_pdf_keeps_polish_and_cyrillic_letters(built: Built) -> None:
    rel_path, _ = _bilateral(built, "pdf")
    text = normalize(pdf_text_poppler(built.path(rel_path)))
    assert _diacritics_problems(built, text) == [], text[:500]


def test_bilateral_docx_keeps_polish_and_cyrillic_letters(built: Built) -> None:
    rel_path, _ = _bilateral(built, "docx")
    text = normalize(docx_text(built.path(rel_path)))
    assert _diacritics_problems(built, text) == [], text[:500]


def test_bilateral_docx_keeps_each_scope_clause_in_one_paragraph(built: Built) -> None:
    """A clause the data writes as one text is one paragraph, not split where the YAML line wrapped."""
    rel_path, job = _bilateral(built, "docx")
    agreement = built.project.partners["khnu"].agreements[BILATERAL][0]
    paras = [normalize(p) for paras in docx_paragraphs(built.path(rel_path)).values() for p in paras]
    split = [f"{lang}: {clause.text[lang][:60]!r}" for clause in agreement.terms.scope for lang in job.doc.langs
             if clause.text and not any(normalize(clause.text[lang]) in p for p in paras)]
    assert not split, "clauses not found whole in one paragraph:\n" + "\n".join(split)


# ----------------------------------------------------------------------------- hostile data

def _literal_problems(text: str) -> list[str]:
    text = normalize(text)
    problems = []
    if normalize(HOSTILE) not in text:
        problems.append("the hostile name is not printed literally")
    if text.count("Q&A") != text.count(normalize(HOSTILE)):
        problems.append(f"{text.count('Q&A')} mention(s) of the name but {text.count(normalize(HOSTILE))} literal")
    if re.search(r"'sq'\s*49", text):
        problems.append("{{ 7*7 }} was evaluated to 49")
    return problems


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {'; '.join(found)}" for name, found in sorted(problems.items()) if found)


def test_hostile_data_renders(hostile: Built) -> None:
    assert hostile.jobs, f"no job involves partner {HOSTILE_PARTNER}"
    assert hostile.failures == {}, "\n".join(f"{r}: {m}" for r, m in hostile.failures.items())


def test_hostile_data_prints_literally_in_pdf(hostile: Built) -> None:
    problems = {r: _literal_problems(pdf_text_poppler(p)) for r, p in hostile.written("pdf").items()}
    assert hostile.written("pdf")
    assert not _report(problems), _report(problems)


def test_hostile_data_prints_literally_in_docx(hostile: Built) -> None:
    import docx
    from lxml import etree

    problems: dict[str, list[str]] = {}
    for r, path in hostile.written("docx").items():
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith((".xml", ".rels")):
                    try:
                        etree.fromstring(archive.read(name))
                    except etree.XMLSyntaxError as exc:
                        problems.setdefault(r, []).append(f"{name}: invalid XML: {exc}")
        docx.Document(str(path))
        problems.setdefault(r, []).extend(_literal_problems(docx_text(path)))
    assert hostile.written("docx")
    assert not _report(problems), _report(problems)


def test_hostile_docx_opens_in_libreoffice(hostile: Built, libreoffice: Converted) -> None:
    written = hostile.written("docx")
    assert written
    missing = [r for r, p in written.items() if p not in libreoffice.pdfs]
    assert not missing, f"LibreOffice did not convert {missing}:\n{libreoffice.log[-2000:]}"
    problems = {r: _literal_problems(pdf_text_poppler(libreoffice.pdfs[p])) for r, p in written.items()}
    assert not _report(problems), _report(problems)


def test_hostile_docx_follows_the_schema_order(hostile: Built) -> None:
    problems = {r: schema_order_problems(p) for r, p in hostile.written("docx").items()}
    assert not any(problems.values()), {r: found[:5] for r, found in problems.items() if found}
