"""`grader.check()` in a real Jupyter kernel agrees with `grader check` in a terminal.

A student's copy of assignments/backprop (no solutions/: the answers come from expected.json)
holds a notebook with a wrong-sign gradient and a magic. nbclient runs it in an ipykernel
started from this test's interpreter (the project's .venv), through a kernelspec written for
the test, so no installed kernel can stand in. The in-notebook JSON report and the terminal's
must give the same scores and statuses, and the table must render as HTML in Jupyter.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from grader.generate import percent_cells
from tests.conftest import ROOT

KERNEL = "grader-test-venv"
CHECK_CELLS = [
    "import sys\nprint(sys.executable)",
    "import grader\ngrader.check(json=True)",
    'grader.check("manual_gradient", assignment="backprop")',
]


def student_notebook() -> nbformat.NotebookNode:
    source = (ROOT / "solutions" / "backprop" / "backprop.py").read_text(encoding="utf-8")
    source = source.replace("dloss_dyhat = 2 * (y_hat - y)", "dloss_dyhat = 2 * (y - y_hat)")  # the sign error
    cells = [nbformat.v4.new_markdown_cell(body) if kind == "markdown" else nbformat.v4.new_code_cell(body)
             for kind, body in percent_cells(source)]
    cells[1].source = "%matplotlib inline\n" + cells[1].source
    cells += [nbformat.v4.new_code_cell(s) for s in CHECK_CELLS]
    return nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": KERNEL, "display_name": "grader test", "language": "python"}})


def run_in_kernel(nb: nbformat.NotebookNode, folder: Path, kernels: Path) -> None:
    spec = kernels / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "grader test", "language": "python",
    }))
    manager = KernelManager(kernel_name=KERNEL, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    client = NotebookClient(nb, km=manager, timeout=240, resources={"metadata": {"path": str(folder)}})
    client.execute()


def outputs(cell: Any, kind: str) -> list[Any]:
    return [o for o in cell.outputs if o.output_type == kind]


def test_in_notebook_check_matches_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "backprop"  # as a student has it: the assignment's files, no solutions/
    folder.mkdir()
    for name in ("assignment.toml", "backprop.py", "expected.json"):
        shutil.copy(ROOT / "assignments" / "backprop" / name, folder / name)
    nb = student_notebook()
    nbformat.write(nb, str(folder / "backprop.ipynb"))
    run_in_kernel(nb, folder, tmp_path / "kernels")
    executable, in_json, table = nb.cells[-3], nb.cells[-2], nb.cells[-1]

    assert outputs(executable, "stream")[0].text.strip() == sys.executable
    in_notebook = json.loads("".join(o.text for o in outputs(in_json, "stream")))
    terminal_run = subprocess.run(
        [sys.executable, "-m", "grader", "check", "backprop.ipynb", "--json"],
        cwd=folder, capture_output=True, text=True, timeout=240,
    )
    assert terminal_run.returncode == 1, terminal_run.stderr  # a check fails
    terminal = json.loads(terminal_run.stdout)

    def statuses(report: dict[str, Any]) -> list[tuple[str, str, float]]:
        return [(c["name"], c["status"], c["score"]) for c in report["checks"]]

    assert statuses(in_notebook) == statuses(terminal)
    assert in_notebook["score"] == terminal["score"] == 7.5
    assert {c["target"] for c in terminal["checks"] if c["status"] != "passed"} == {"manual_gradient"}
    assert in_notebook["submission"]["path"] == "backprop.ipynb (the cells this kernel ran)"
    notes = " | ".join(in_notebook["submission"]["notes"])
    assert "(In [1]), line 1: `%matplotlib inline` was not run" in notes
    assert "grader" not in notes  # the self-check's own cells are left out without a word
    assert "(code cell 1), line 1: `%matplotlib inline`" in " | ".join(terminal["submission"]["notes"])

    # The table, as Jupyter shows it: one HTML output sized to the notebook's column (not rich's
    # 120-column box table), only the checks asked for, with hints, in a notebook's words.
    shown = outputs(table, "display_data")
    assert len(shown) == 1 and not outputs(table, "error")
    html, plain = shown[0].data["text/html"], shown[0].data["text/plain"]
    rows = table_rows(html)
    assert [r[1].split("\n")[0] for r in rows if r[0] == "✘ failed"] == [
        "manual_gradient matches finite differences", "manual_gradient matches autograd"]  # no train
    assert [r[2] for r in rows if r[0] == "✘ failed"] == ["0/1.5", "0/1"], rows
    assert "(the sign is flipped)" in html and "hint: Chain rule" in " ".join(r[1] for r in rows)
    assert "width:100%;table-layout:fixed" in html and "<pre" not in html
    assert "0 / 2.5</strong> public points. Fix the function, run its cell again" in html
    assert "grader check" not in html + plain and "terminal" not in html + plain
    assert plain.startswith("backprop: public checks on backprop.ipynb (the cells this kernel ran)")
    assert "✘ failed  0/1.5  manual_gradient matches finite differences" in plain
    assert "│" not in plain and max(len(line) for line in plain.splitlines() if "failed" in line) < 80


def table_rows(html: str) -> list[list[str]]:
    """The text of each body row's cells, as a reader sees them."""
    from html.parser import HTMLParser

    rows: list[list[str]] = []

    class Rows(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "tr":
                rows.append([])
            elif tag == "td" and rows:
                rows[-1].append("")
            elif tag == "div" and rows and rows[-1] and rows[-1][-1]:
                rows[-1][-1] += "\n"

        def handle_data(self, data: str) -> None:
            if rows and rows[-1]:
                rows[-1][-1] += data

    Rows().feed(html[html.index("<tbody>"):html.index("</tbody>")])
    return [[cell.strip() for cell in row] for row in rows if row]


def test_the_assignment_is_found_from_the_kernels_folder(tmp_path: Path, monkeypatch: Any) -> None:
    """A student's copy of the folder, anywhere: `grader.check()` and `assignment="backprop"`
    both mean the folder the kernel runs in, not a course checkout's."""
    from grader.selfcheck import find_assignment

    folder = tmp_path / "backprop"
    shutil.copytree(ROOT / "assignments" / "backprop", folder)
    monkeypatch.chdir(folder)
    assert find_assignment(None, None).folder == folder
    assert find_assignment("backprop", None).folder == folder
    assert find_assignment("linear_model", None).folder == ROOT / "assignments" / "linear_model"
