"""Regenerate the shipped .docx templates from the scripts in src/ (overwrites hand edits of those files).

The .docx files are the templates docgen reads; edit them in Word or LibreOffice as you like.
These scripts made the first versions and keep them reproducible: `python templates/docx/make.py`.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "src"))

from builder import Builder  # noqa: E402

sys.path.insert(0, str(HERE.parents[1] / "src"))
from docgen.renderers.docx import normalize_zip  # noqa: E402


def main(names: list[str]) -> None:
    for script in sorted((HERE / "src").glob("*.py")):
        if script.stem == "builder" or (names and script.stem not in names):
            continue
        spec = importlib.util.spec_from_file_location(script.stem, script)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        builder = Builder()
        module.build(builder)
        target = HERE / f"{module.KIND}.docx"
        target.write_bytes(normalize_zip(builder.to_bytes()))
        print(f"wrote {target.relative_to(HERE.parents[1])}")


if __name__ == "__main__":
    main(sys.argv[1:])
