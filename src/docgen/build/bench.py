"""`docgen bench`: a synthetic office measured side by side against the naive loop; it measures, it never judges.

    docgen bench [--data data] [--partners 25] [--mobilities 250] [--scale 4] [--sample 16] [--quick]

1. A valid corpus is made in a temporary folder: the home institution, rates and ISCED list of --data,
   and partners and mobilities invented from its partners `tud` and `ege` (new ids, names and example.org
   e-mails), every one of them in the academic year 2024/2025.
2. Per core, on the same documents (--sample per format, taken round-robin over the kinds): the naive loop a
   user would write (one process; per document the HTML, then `DocxTemplate(shell).render(...)`, the body
   written in, `save()`; and `weasyprint.HTML(string=html, base_url=...).write_pdf(pdf_variant=...)`) against
   docgen's writers in one process (`--jobs 1`) and in one process per core.
3. Whole builds, each a `docgen build` process (--full-format, default docx): full build on all cores, no-op
   rebuild, one mobility changed; the peak RSS of the build's process tree; and all of it again at --scale
   times the corpus.

Prints a table and writes everything as JSON to build/bench/bench.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

FIRST = ("Ada", "Bruno", "Celina", "Dawid", "Elif", "Filip", "Greta", "Hanna", "Igor", "Jonas", "Kaja", "Leon",
         "Maja", "Nils", "Oliwia", "Piotr", "Rosa", "Stefan", "Tamara", "Ugo", "Wanda", "Yusuf", "Zofia", "Emil")
LAST = ("Adamczyk", "Becker", "Celik", "Dudek", "Erdem", "Fischer", "Górska", "Hoffmann", "Iwańska", "Jung",
        "Kaya", "Lis", "Meyer", "Nowicka", "Özkan", "Pawlak", "Richter", "Sowa", "Tekin", "Urban", "Vogel",
        "Wróbel", "Yılmaz", "Zając", "Krause", "Polat", "Sikora", "Wagner", "Aydın", "Mazur", "Schulz", "Kurt",
        "Bąk", "Lange", "Şahin", "Kaczmarek", "Wolf", "Doğan", "Zieliński", "Braun", "Koç", "Ostrowska")
TEMPLATE_PARTNERS = ("tud", "ege")
YEAR_FILE = Path("mobilities") / "2024-2025.yaml"


# ------------------------------------------------------------------ the corpus


def _blocks(text: str) -> list[str]:
    """The `  - id: ...` blocks of a mobilities file, each ending with its trailing newline."""
    starts = [m.start() for m in re.finditer(r"^  - id: ", text, re.M)]
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


def _rename(text: str, old: str, new: str) -> str:
    return re.sub(rf"\b{old}\b", new, text)


def make_corpus(source: Path, target: Path, partners: int, mobilities: int) -> Path:
    """A valid data folder of `partners` partners and `mobilities` mobilities, invented from `source`."""
    if target.exists():
        shutil.rmtree(target)
    (target / "partners").mkdir(parents=True)
    (target / "mobilities").mkdir()
    for name in ("institution.yaml", "isced.yaml"):
        shutil.copy(source / name, target / name)
    shutil.copytree(source / "rates", target / "rates")
    partner_text = {pid: (source / "partners" / f"{pid}.yaml").read_text(encoding="utf-8")
                    for pid in TEMPLATE_PARTNERS}
    year = (source / YEAR_FILE).read_text(encoding="utf-8")
    by_partner: dict[str, list[str]] = defaultdict(list)
    for block in _blocks(year):
        block = re.sub(r"\n  # -+[^\n]*\n", "\n", block).rstrip("\n") + "\n"
        partner = re.search(r"^    partner: (\S+)$", block, re.M)
        if partner and partner.group(1) in TEMPLATE_PARTNERS:
            by_partner[partner.group(1)].append(block)
    ids = [f"p{i + 1:03d}" for i in range(partners)]
    for i, pid in enumerate(ids):
        model = TEMPLATE_PARTNERS[i % len(TEMPLATE_PARTNERS)]
        text = _rename(partner_text[model], model, pid)
        # room in the agreement for every mobility the corpus puts under it (no "more than agreed" warnings)
        text = re.sub(r"^(          (?:people|months|days): )\d+$", r"\g<1>900", text, flags=re.M)
        text = re.sub(r"^(  erasmus_code: '[A-Z]+ +[A-Z]+?)([0-9]{2})'", rf"\g<1>{i % 100:02d}'", text, flags=re.M)
        (target / "partners" / f"{pid}.yaml").write_text(text, encoding="utf-8")
    out = ["# Synthetic mobilities made by docgen bench: every person and address is invented.\n", "mobilities:\n"]
    counters: dict[str, int] = defaultdict(int)
    for n in range(mobilities):
        i = n % partners
        pid, model = ids[i], TEMPLATE_PARTNERS[i % len(TEMPLATE_PARTNERS)]
        models = by_partner[model]
        block = _rename(models[(n // partners) % len(models)], model, pid)
        old_id = re.match(r"  - id: (\S+)", block).group(1)  # type: ignore[union-attr]
        stem = old_id.rsplit("-", 1)[0]
        counters[stem] += 1
        block = block.replace(f"  - id: {old_id}\n", f"  - id: {stem}-{counters[stem]}\n", 1)
        block = re.sub(r"^      first_name: .*$", f"      first_name: {FIRST[n % len(FIRST)]}", block, 1, re.M)
        block = re.sub(r"^      last_name: .*$", f"      last_name: {LAST[(n // len(FIRST)) % len(LAST)]}",
                       block, 1, re.M)
        out.append(block)
    (target / YEAR_FILE).write_text("".join(out), encoding="utf-8")
    return target


# ------------------------------------------------------------------ naive baseline and per-core rates


def _round_robin(jobs: list[Any], count: int) -> list[Any]:
    """Up to `count` jobs, one of each kind in turn, so that every kind is measured."""
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for job in jobs:
        by_kind[job.doc.kind].append(job)
    queues = [list(reversed(q)) for _, q in sorted(by_kind.items())]
    picked: list[Any] = []
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop())
    return picked


def naive_docx(shell: Path, out: Path) -> Callable[[str, Any], None]:
    """What a user writes with docxtpl: the shell loaded and rendered for every document, saved as it comes."""
    from docxtpl import DocxTemplate

    from docgen.documents.renderers.docx import BODY_MARK
    from docgen.documents.renderers.docx_body import BodyWriter

    def write(html: str, meta: Any) -> None:
        template = DocxTemplate(str(shell))
        template.render({"body": BODY_MARK, "meta": meta}, autoescape=True)
        document = template.docx
        marker = next(p for p in document.paragraphs if p.text.strip() == BODY_MARK)
        section = document.sections[0]
        body = document.element.body
        before = len(body)
        BodyWriter(document.styles, section.page_width - section.left_margin - section.right_margin).write(
            html, document)
        for element in list(body)[before - 1:-1]:
            marker._p.addprevious(element)
        marker._p.getparent().remove(marker._p)
        template.save(str(out / f"{meta.doc_id}.docx"))

    return write


def naive_pdf(html_dir: Path, out: Path) -> Callable[[str, Any], None]:
    """What a user writes with WeasyPrint: the same HTML and PDF variant, WeasyPrint's defaults otherwise."""
    import weasyprint

    def write(html: str, meta: Any) -> None:
        weasyprint.HTML(string=html, base_url=str(html_dir) + "/").write_pdf(
            str(out / f"{meta.doc_id}.pdf"), pdf_variant="pdf/a-2b")

    return write


@dataclass
class Rate:
    fmt: str
    documents: int
    naive_s: float
    jobs1_s: float
    all_cores_s: float
    cores: int

    @property
    def per_core(self) -> float:
        return self.naive_s / self.jobs1_s if self.jobs1_s else 0.0

    @property
    def all_cores(self) -> float:
        return self.naive_s / self.all_cores_s if self.all_cores_s else 0.0


def rates(data: Path, templates: Path, sample: int, cores: int, scratch: Path) -> list[Rate]:
    """Per format, the same `sample` documents: naive loop, docgen in one process, docgen on every core."""
    from docgen.build.builder import Builder
    from docgen.pipeline import load_checked

    project = load_checked(data)
    found: list[Rate] = []
    naive_out = scratch / "naive"
    naive_out.mkdir(parents=True, exist_ok=True)
    for fmt, naive in (("docx", naive_docx(templates / "docx" / "shell.docx", naive_out)),
                       ("pdf", naive_pdf(templates / "html", naive_out))):
        builder = Builder(project, templates, scratch / fmt, formats=(fmt,))
        jobs = _round_robin(builder.plan(), sample)
        warm = jobs[0]
        naive(builder.html(warm.doc), builder.meta(warm.doc))  # imports, fonts, caches: not counted
        builder.run([warm], force=True)
        start = time.perf_counter()
        for job in jobs:
            naive(builder.html(job.doc), builder.meta(job.doc))
        naive_s = time.perf_counter() - start
        start = time.perf_counter()
        builder.run(jobs, workers=1, force=True)
        jobs1_s = time.perf_counter() - start
        fresh = Builder(project, templates, scratch / f"{fmt}-all", formats=(fmt,))
        fresh_jobs = [j for j in fresh.plan() if j.output.relative_to(fresh.out_dir) in
                      {k.output.relative_to(builder.out_dir) for k in jobs}]
        start = time.perf_counter()
        fresh.run(fresh_jobs, workers=cores, force=True)  # forked workers start cold, as in a real build
        all_s = time.perf_counter() - start
        found.append(Rate(fmt, len(jobs), naive_s, jobs1_s, all_s, cores))
    return found


# ------------------------------------------------------------------ whole builds, as processes


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        try:  # PSS: a page the forked workers share with the parent counts once, not once a process
            total += getattr(proc.memory_full_info(), "pss", 0) or proc.memory_info().rss
        except psutil.Error:
            pass
    return total


def _env() -> dict[str, str]:
    """The environment of a docgen process: this docgen's source first (bench runs from a checkout too)."""
    src = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}


def _run_build(args: list[str]) -> tuple[float, int, str]:
    """One `docgen build` process: wall seconds, peak memory of its process tree (bytes), its output. With
    psutil the tree's PSS (RSS with shared pages divided among their sharers) is sampled and summed; without
    it, the largest process's RSS (getrusage)."""
    import resource

    try:
        import psutil  # noqa: F401
    except ImportError:
        psutil = None
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "docgen.cli", "build", *args], env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    if psutil is not None:
        watcher.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - start
    if psutil is not None:
        watcher.join()
    else:
        peak[0] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if proc.returncode != 0:
        raise RuntimeError(f"docgen build {' '.join(args)} failed ({proc.returncode}):\n{output[-3000:]}")
    return seconds, peak[0], output


@dataclass
class Builds:
    partners: int
    mobilities: int
    files: int
    formats: str
    full_s: float
    full_rss_mb: float
    noop_s: float
    noop_rss_mb: float
    change_s: float
    change_files: int
    check_s: float


def builds(data: Path, templates: Path, out: Path, partners: int, mobilities: int, cores: int,
           formats: tuple[str, ...]) -> Builds:
    common = ["--data", str(data), "--templates", str(templates), "--out", str(out), "--jobs", str(cores)]
    if len(formats) == 1:
        common += ["--format", formats[0]]
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "docgen.cli", "check", "--data", str(data), "--templates",
                    str(templates)], env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    check_s = time.perf_counter() - start
    full_s, full_rss, output = _run_build(common)
    written = int(re.search(r"wrote (\d+) file", output).group(1))  # type: ignore[union-attr]
    noop_s, noop_rss, output = _run_build(common)
    assert "nothing to render" in output, output[-2000:]
    year = data / YEAR_FILE
    text = year.read_text(encoding="utf-8")
    year.write_text(re.sub(r"^      first_name: .*$", "      first_name: Benedykt", text, 1, re.M), encoding="utf-8")
    change_s, _, output = _run_build(common)
    changed = int(re.search(r"wrote (\d+) file", output).group(1))  # type: ignore[union-attr]
    return Builds(partners, mobilities, written, "+".join(formats), full_s, full_rss / 2**20, noop_s,
                  noop_rss / 2**20, change_s, changed, check_s)


# ------------------------------------------------------------------ report


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("weasyprint", "docxtpl", "python-docx", "ruamel.yaml"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", **versions}


def table(info: dict[str, Any], found: list[Rate], runs: list[Builds]) -> str:
    lines = [f"docgen bench on {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
             f"WeasyPrint {info['weasyprint']}, docxtpl {info['docxtpl']}", "",
             "per document, the same documents   naive (1 process)   docgen --jobs 1   docgen all cores",
             ]
    for r in found:
        lines.append(f"  {r.fmt:5} ({r.documents:3} documents)          {1000 * r.naive_s / r.documents:8.0f} ms"
                     f"        {1000 * r.jobs1_s / r.documents:6.0f} ms {r.per_core:4.1f}x"
                     f"  {1000 * r.all_cores_s / r.documents:6.0f} ms {r.all_cores:4.1f}x ({r.cores} cores)")
    lines += ["", "whole builds (docgen build, all cores)   full build        no-op rebuild    one mobility "
                  "changed   docgen check"]
    for b in runs:
        lines.append(f"  {b.partners:3} partners, {b.mobilities:4} mobilities, {b.files:4} {b.formats} files"
                     f"  {b.full_s:7.1f} s {b.full_rss_mb:5.0f} MB  {b.noop_s:5.1f} s {b.noop_rss_mb:4.0f} MB"
                     f"  {b.change_s:5.1f} s ({b.change_files} files, {100 * b.change_s / b.full_s:.0f} %)"
                     f"  {b.check_s:5.1f} s")
    if len(runs) == 2 and runs[0].full_rss_mb:
        lines.append(f"  peak RSS at {runs[1].mobilities // max(runs[0].mobilities, 1)}x the corpus: "
                     f"{100 * (runs[1].full_rss_mb / runs[0].full_rss_mb - 1):+.0f} %")
    return "\n".join(lines)


def run(data: Path, templates: Path, out: Path, partners: int, mobilities: int, scale: int, sample: int,
        formats: tuple[str, ...], cores: int) -> int:
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    info = machine()
    scratch = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    try:
        corpus = make_corpus(data, scratch / "data", partners, mobilities)
        print(f"corpus: {partners} partners, {mobilities} mobilities in {corpus}", flush=True)
        found = rates(corpus, templates, sample, cores, scratch / "rates")
        for r in found:
            print(f"  {r.fmt}: naive {r.naive_s:.1f} s, docgen --jobs 1 {r.jobs1_s:.1f} s, all cores "
                  f"{r.all_cores_s:.1f} s for {r.documents} documents", flush=True)
        runs = [builds(corpus, templates, scratch / "out", partners, mobilities, cores, formats)]
        print(f"  builds at 1x: full {runs[0].full_s:.1f} s", flush=True)
        if scale > 1:
            big = make_corpus(data, scratch / f"data-x{scale}", partners * scale, mobilities * scale)
            runs.append(builds(big, templates, scratch / f"out-x{scale}", partners * scale, mobilities * scale,
                               cores, formats))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report = table(info, found, runs)
    print(report)
    out.mkdir(parents=True, exist_ok=True)
    result = {"machine": info, "rates": [{**asdict(r), "per_core_x": round(r.per_core, 2),
                                          "all_cores_x": round(r.all_cores, 2)} for r in found],
              "builds": [asdict(b) for b in runs], "table": report}
    (out / "bench.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out / 'bench.json'}")
    return 0


@dataclass
class Options:
    partners: int = 25
    mobilities: int = 250
    scale: int = 4
    sample: int = 16
    formats: tuple[str, ...] = field(default=("docx",))


QUICK = Options(partners=6, mobilities=40, scale=2, sample=6)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="docgen bench", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data"), help="data folder the corpus is made from")
    parser.add_argument("--templates", type=Path, default=None, help="templates [templates/ beside the data]")
    parser.add_argument("--out", type=Path, default=Path("build") / "bench", help="where bench.json goes")
    parser.add_argument("--partners", type=int, default=None, help="partners in the corpus [25]")
    parser.add_argument("--mobilities", type=int, default=None, help="mobilities in the corpus [250]")
    parser.add_argument("--scale", type=int, default=None, help="the larger corpus, times the first [4]")
    parser.add_argument("--sample", type=int, default=None, help="documents per format for the rates [16]")
    parser.add_argument("--full-format", choices=("docx", "pdf", "both"), default="docx",
                        help="formats of the whole builds [docx: PDFs at 4x take many minutes]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="all cores [the CPUs]")
    parser.add_argument("--quick", action="store_true", help="a small corpus, for a first look (under a minute)")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else Options()
    templates = args.templates or args.data.resolve().parent / "templates"
    if not (args.data / "institution.yaml").is_file() or not templates.is_dir():
        print(f"docgen bench: data folder {args.data} or templates folder {templates} not found", file=sys.stderr)
        return 2
    needed = [args.data / "partners" / f"{pid}.yaml" for pid in TEMPLATE_PARTNERS] + [args.data / YEAR_FILE]
    missing = [str(path) for path in needed if not path.is_file()]
    if missing:
        print(f"docgen bench: the corpus is invented from the sample's partners and mobilities; missing: "
              f"{', '.join(missing)} (try --data tests/fixtures/sample)", file=sys.stderr)
        return 2
    formats = ("docx", "pdf") if args.full_format == "both" else (args.full_format,)
    return run(args.data, templates, args.out, args.partners or base.partners, args.mobilities or base.mobilities,
               args.scale or base.scale, args.sample or base.sample, formats, max(1, args.jobs))


if __name__ == "__main__":
    sys.exit(main())
