"""`grader similarity`: planted copies found above every honest pair, the handout ignored, renaming
and comments hiding nothing, matches shown on the files as handed in, pages safe to open."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from grader.cli import main
from grader.similarity.model import SimilarityReport, schema_text
from grader.similarity.normalise import normalise
from tests.similarity_class import BASES, STUB, as_notebook, disguise, recomment, rename, write_class

ROOT = Path(__file__).resolve().parents[1]


def similarity(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["similarity", "backprop", *args])
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())


def read_report(out: Path) -> SimilarityReport:
    return SimilarityReport.model_validate(json.loads((out / "similarity" / "similarity.json").read_text()))


def score(report: SimilarityReport, a: str, b: str) -> float:
    found = [p.score for p in report.pairs if {p.a.name, p.b.name} == {a, b}]
    return found[0] if found else 0.0


@pytest.mark.parametrize("seed", [15, 4])
def test_planted_copies_rank_above_every_honest_pair(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     seed: int) -> None:
    made = write_class(tmp_path / "class", size=60, seed=seed)
    # --min-score 0: every pair that shares any uncommon code is listed (the others score 0)
    code, out, err = similarity(capsys, str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--min-score", "0")
    assert code == 0, err
    report = read_report(tmp_path / "out")
    assert len(report.documents) == 60 and not report.set_aside and len(report.pairs) == report.compared
    planted = [p for p in report.pairs if frozenset((p.a.name, p.b.name)) in made.planted]
    honest = [p for p in report.pairs if frozenset((p.a.name, p.b.name)) not in made.planted]
    assert len(planted) == len(made.planted) == 7  # three bases, five copies: rings of 3, 3 and 2
    lowest, highest = min(p.score for p in planted), max((p.score for p in honest), default=0.0)
    print(f"seed {seed}: lowest planted pair {lowest:.3f}, highest honest pair {highest:.3f}, "
          f"{len(honest)} honest pair(s) listed")
    assert lowest > highest
    assert {p.rank for p in planted} == set(range(1, 8))
    rings = {frozenset(s for pair in made.planted if student in pair for s in pair) for pair in made.planted
             for student in pair}
    assert {frozenset(c.members) for c in report.clusters} == rings
    assert all(p.cluster is not None for p in planted) and all(p.cluster is None for p in honest)
    index = (tmp_path / "out" / "similarity" / "index.html").read_text()
    assert index.index('id="clusters"') < index.index('id="pairs"')
    for pair in report.pairs[:20]:
        assert pair.page is not None and (tmp_path / "out" / "similarity" / pair.page).is_file()
    assert "cluster 1" in out


def test_the_stub_contributes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("ada", "bob"):
        (folder / f"{name}.py").write_text(STUB.read_text())
    (folder / "cy.ipynb").write_text((ROOT / "assignments" / "backprop" / "backprop.ipynb").read_text())
    # Two students who each wrote one different function into the stub share only the stub.
    text = STUB.read_text()
    todo = '    raise NotImplementedError("{}: write your code here (see the docstring)")'
    (folder / "dee.py").write_text(text.replace(todo.format("forward"), "    return x * w"))
    (folder / "eve.py").write_text(text.replace(todo.format("predict"), "    return float(x * w)"))
    code, _, err = similarity(capsys, str(folder), "--out", str(tmp_path / "out"), "--min-score", "0")
    assert code == 0, err
    report = read_report(tmp_path / "out")
    assert report.pairs == [] and report.compared == 0
    tokens = {d.name: d.own_tokens for d in report.documents}
    # a one-line answer, and the runs of tokens that reach into it from the stub around it
    assert tokens["ada"] == tokens["bob"] == tokens["cy"] == 0 and 0 < tokens["dee"] < 2 * report.settings.k + 6


def _honest_class(folder: Path, size: int = 40) -> None:
    write_class(folder, size=size, seed=3, bases=0, copies=0)


def test_renaming_variables_and_changing_comments_hide_nothing(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "class"
    _honest_class(folder)
    original = BASES[1]
    renamed = recomment(rename(original, random.Random(1), {"xs", "ys"}), random.Random(2))
    assert renamed != original and normalise(renamed).text == normalise(original).text
    (folder / "orig.py").write_text(original)
    (folder / "same.py").write_text(original)
    (folder / "renamed.py").write_text(renamed)
    (folder / "notebook.ipynb").write_text(as_notebook(renamed))
    code, _, err = similarity(capsys, str(folder), "--out", str(tmp_path / "out"))
    assert code == 0, err
    report = read_report(tmp_path / "out")
    exact = score(report, "orig", "same")
    assert exact >= report.settings.threshold
    assert score(report, "orig", "renamed") == exact
    assert score(report, "renamed", "notebook") >= report.settings.threshold
    assert [sorted(c.members) for c in report.clusters] == [["notebook", "orig", "renamed", "same"]]
    # The matches are shown on the lines as handed in: the renamed file has comment lines of its
    # own, so the same statement is on another line there, and in the notebook on a cell's line.
    pair = next(p for p in report.pairs if {p.a.name, p.b.name} == {"orig", "renamed"})
    statement = 'raise ValueError("gradient is not finite")'
    for side, text in ((pair.a, original if pair.a.name == "orig" else renamed),
                       (pair.b, renamed if pair.b.name == "renamed" else original)):
        line = next(n for n, t in enumerate(text.split("\n"), start=1) if statement in t)
        assert any(r.first <= line <= r.last for r in side.regions), (side.name, line, side.regions)
    pair = next(p for p in report.pairs if "notebook" in (p.a.name, p.b.name) and "orig" in (p.a.name, p.b.name))
    side = pair.a if pair.a.name == "notebook" else pair.b
    cells = [c["source"] for c in json.loads(as_notebook(renamed))["cells"] if c["cell_type"] == "code"]
    number, cell = next((i, c) for i, c in enumerate(cells, start=1) if statement in c)
    line = next(n for n, t in enumerate(cell.split("\n"), start=1) if statement in t)
    assert any(r.where == f"notebook.ipynb (code cell {number})" and r.first <= line <= r.last for r in side.regions)
    page = (tmp_path / "out" / "similarity" / pair.page).read_text() if pair.page else ""
    assert f"notebook.ipynb (code cell {number})" in page and page.count('class="hit"') > 20


def test_known_solutions_from_a_reference_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "class"
    _honest_class(folder, 30)
    known = tmp_path / "known"
    known.mkdir()
    (known / "blog.py").write_text(BASES[2])
    (known / "notes.txt").write_text("not code")
    (folder / "copier.py").write_text(disguise(BASES[2], random.Random(5)))
    code, _, err = similarity(capsys, str(folder), "--out", str(tmp_path / "out"), "--reference-dir", str(known))
    assert code == 0, err
    report = read_report(tmp_path / "out")
    top = report.pairs[0]
    assert (top.a.name, top.b.name, top.with_source) == ("copier", "source:blog.py", True)
    assert top.score >= report.settings.threshold and top.rank == 1
    assert [d.name for d in report.documents if d.kind == "source"] == ["source:blog.py"]


def test_student_text_is_escaped_and_pages_are_self_contained(capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    folder = tmp_path / "class"
    _honest_class(folder, 20)
    hostile = BASES[0].replace("# the model: a line through the origin",
                               "# </td></table><script>alert('x')</script>\x1b[2J\u202e")
    (folder / "mallory.py").write_text(hostile)
    (folder / "trudy.py").write_text(hostile)
    known = tmp_path / "known"
    known.mkdir()
    (known / "<img src=x onerror=alert(1)>\x1b[31m.py").write_text(hostile)
    code, _, err = similarity(capsys, str(folder), "--out", str(tmp_path / "out"), "--reference-dir", str(known))
    assert code == 0, err
    report = read_report(tmp_path / "out")
    assert {"mallory", "trudy"} in [{p.a.name, p.b.name} for p in report.pairs]
    pages = [p.read_text() for p in (tmp_path / "out" / "similarity").rglob("*.html")]
    assert len(pages) == len(report.pairs) + 1
    joined = "\n".join(pages)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in joined and "&lt;img src=x" in joined
    for page in pages:
        assert "<script" not in page and "<img" not in page and "\x1b" not in page and "\u202e" not in page
        assert not re.search(r"(src|href)=\"?(https?:|//)", page) and "<link" not in page
        assert "default-src 'none'" in page


def test_user_mistakes_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = similarity(capsys, str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert code == 2 and err.startswith("error:") and "nowhere: no such file or folder" in err
    (tmp_path / "empty").mkdir()
    code, _, err = similarity(capsys, str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert code == 2 and "no submissions found in" in err and "Traceback" not in err
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "ada.py").write_text(BASES[0])
    code, _, err = similarity(capsys, str(tmp_path / "one"), "--out", str(tmp_path / "out"))
    assert code == 2 and "only one submission" in err
    assert not (tmp_path / "out").exists()


def test_unreadable_files_are_set_aside_not_fatal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "class"
    _honest_class(folder, 10)
    (folder / "broken.ipynb").write_text("{not json")
    (folder / "latin.py").write_bytes("# caf\xe9\nx = 1\n".encode("latin-1"))
    (folder / "half.py").write_text(BASES[1][:700] + "\n    def (:\n")  # a syntax error half-way
    code, out, err = similarity(capsys, str(folder), "--out", str(tmp_path / "out"))
    assert code == 0, err
    report = read_report(tmp_path / "out")
    aside = " ".join(report.set_aside)
    assert "broken.ipynb" in aside and "latin.py: not UTF-8" in aside and "not compared" in out
    assert "half" in {d.name for d in report.documents}


def test_fingerprints_are_the_same_in_every_process() -> None:
    """Scores must not change when the same class is compared again (Python's own `hash` of text
    does, from one process to the next)."""
    code = ("from pathlib import Path; from grader.similarity.sources import read; "
            "from grader.similarity.fingerprints import fingerprint; "
            "p = fingerprint(read('x', Path('solutions/backprop/backprop.py'), 'student'), 12, 5).fingerprint; "
            "print(sorted(p.hashes)[:5], p.token_coverage)")
    runs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert len(runs) == 1 and runs.pop().strip() != "[] 0"


def test_the_committed_schema_is_up_to_date(tmp_path: Path) -> None:
    path = ROOT / "schema" / "similarity.schema.json"
    assert path.read_text() == schema_text(), "schema/similarity.schema.json is out of date: run `grader schema`"
    stale = tmp_path / "similarity.schema.json"  # and `grader schema --check` says so
    stale.write_text(schema_text().replace("winnowing", "winowing", 1))
    done = subprocess.run([sys.executable, "-m", "grader", "schema", "--check", "--similarity-output", str(stale)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    said = "".join(done.stdout.split())  # rich wraps long paths
    assert done.returncode == 1 and "similarity.schema.json" in said and "report.schema" not in said


def test_reference_folders_skip_what_is_nobodys_work(tmp_path: Path) -> None:
    from grader.similarity.sources import folder_files

    for name in ("a.py", "sub/b.ipynb", "__MACOSX/._a.py", "__pycache__/a.py", ".git/x.py", "Thumbs.db", "c.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    assert [p.relative_to(tmp_path).as_posix() for p in folder_files(tmp_path)] == ["a.py", "sub/b.ipynb"]
