"""The notebook scenarios of tests/scenarios/backprop/, built with nbformat.

`python -m tests.notebook_scenarios` writes them; tests/test_notebooks.py checks that the
committed files are what this builds, so a scenario is changed here, never by hand. What each
must grade to is in tests/scenarios/backprop/expected.toml, like every other scenario.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat

FOLDER = Path(__file__).parent / "scenarios" / "backprop"
PYTHON = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python", "version": "3.11.7"},
}

IMPORTS = "import torch\n\nx_data = [1.0, 2.0, 3.0]\ny_data = [2.0, 4.0, 6.0]"
FORWARD_LOSS = """\
def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2"""
GRADIENT = """\
def manual_gradient(x, y, w):
    y_hat = x * w
    return 2 * (y_hat - y) * x"""
TRAIN = """\
def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, w)
            l.backward()
            w.data = w.data - lr * w.grad.data
            w.grad.data.zero_()
        history.append(l.item())
    return w.item(), history"""
PREDICT = """\
def predict(x, w):
    return x * w"""
RUN = """\
w, history = train(x_data, y_data)
print("predict (after training)", 4, predict(4, w))"""


def _code(source: str, count: int | None = None, outputs: list[Any] | None = None) -> Any:
    cell = nbformat.v4.new_code_cell(source)
    cell["execution_count"] = count
    cell["outputs"] = outputs or []
    return cell


def _notebook(cells: list[Any], metadata: dict[str, Any] | None = None) -> str:
    counted = iter(range(1, 1000))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:02d}"
        if cell["cell_type"] == "code" and cell.get("execution_count", 0) == 0:
            cell["execution_count"] = next(counted)
    nb = nbformat.v4.new_notebook(cells=cells, metadata=metadata if metadata is not None else PYTHON)
    nbformat.validate(nb)
    return str(nbformat.writes(nb, version=4)) + "\n"


def _md(text: str) -> Any:
    return nbformat.v4.new_markdown_cell(text)


def _scenarios() -> dict[str, str]:
    out: dict[str, str] = {}
    out["nb_magics"] = _notebook([
        _md("# Backprop, with the magics a notebook collects"),
        _code("%matplotlib inline\n%load_ext autoreload\n%autoreload 2\n" + IMPORTS, 0),
        _code("%%time\n" + FORWARD_LOSS, 0),
        _code("%time w_test = torch.tensor([1.0], requires_grad=True)\nl = %time loss(2.0, 4.0, w_test)\n"
              "display(l)\nloss?", 0),
        _code(GRADIENT + "\n\n%timeit manual_gradient(2.0, 4.0, 1.0)", 0),
        _code("%%capture\n" + TRAIN, 0),
        _code(PREDICT, 0),
        # Jupyter keeps nothing that %%timeit defines: this draft must not replace predict.
        _code("%%timeit -n 1 -r 1\ndef predict(x, w):\n    return 0.0", 0),
        _code("%%bash\necho 'not Python'", 0),
        _code("%pylab inline\n" + RUN, 0),
    ])
    out["nb_shell_escapes"] = _notebook([
        _code("!pip install torch\n%pip install numpy\n" + IMPORTS, 0),
        _code("files = !ls\nprint(len(files), 'files')\nif len(files) > 100:\n    !nvidia-smi", 0),
        # Text that looks like IPython inside a string is only text: predict relies on it.
        _code('NOTE = """\n!this line is text, not a shell command\n%so is this one\n"""', 0),
        _code(FORWARD_LOSS + "\n\n\n" + GRADIENT + "\n\n\n" + TRAIN, 0),
        _code("def predict(x, w):\n    assert NOTE.splitlines()[1].startswith('!this'), NOTE\n    return x * w", 0),
    ])
    out["nb_plots"] = _notebook([
        _code("%matplotlib inline\nimport matplotlib.pyplot as plt\n" + IMPORTS, 0),
        _code(FORWARD_LOSS + "\n\n\n" + GRADIENT + "\n\n\n" + TRAIN + "\n\n\n" + PREDICT, 0),
        _code(RUN, 0),
        _code('plt.plot(history)\nplt.yscale("log")\nplt.xlabel("epoch")\nplt.title("loss")\nplt.show()', 0),
        _code("import io\n\nfig, ax = plt.subplots(figsize=(4, 3))\nax.plot(x_data, y_data, 'o')\n"
              "ax.plot([0, 4], [0, predict(4, w)])\nfig.savefig(io.BytesIO(), format='png')\nplt.close(fig)", 0),
    ])
    out["nb_error_cell_left_in"] = _notebook([
        _code(IMPORTS, 0),
        _code(FORWARD_LOSS + "\n\n\n" + GRADIENT, 0),
        _code("# trying things out\nprint(w_trained)", 0),
        _code(TRAIN, 0),
        _code('raise ValueError("not finished: come back to this")', 0),
        _code(PREDICT, 0),
    ])
    # Cell 6 (an old, wrong predict) was run before cell 5's fix, so the kernel has the fix; top
    # to bottom, as Restart & Run All and the grader run them, the old one wins.
    out["nb_out_of_order"] = _notebook([
        _code(IMPORTS, 1),
        _code(FORWARD_LOSS, 2),
        _code(GRADIENT, 3),
        _code(TRAIN, 4),
        _code(PREDICT, 9),
        _code("def predict(x, w):\n    return x + w", 6),
        _code(RUN, 10),
    ])
    out["nb_empty"] = _notebook([_md("# Homework 3\n\nI will do this later.")])
    out["nb_r_kernel"] = _notebook(
        [_code("forward <- function(x, w) x * w\nloss <- function(x, y, w) (forward(x, w) - y)^2", 0)],
        {"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}, "language_info": {"name": "R"}},
    )
    lying = {"output_type": "stream", "name": "stdout", "text": "backprop: 10 / 10 public points, all checks passed\n"}
    out["nb_stored_outputs_lie"] = _notebook([
        _code(IMPORTS, 0),
        _code(FORWARD_LOSS + "\n\n\ndef manual_gradient(x, y, w):\n    return 2 * (y - x * w) * x", 0),
        _code(TRAIN + "\n\n\n" + PREDICT, 0),
        _code("import grader\ngrader.check()", 0, [nbformat.v4.new_output(**lying)]),
    ])
    # Magics above the code: line numbers in messages are still the cell's own.
    out["nb_line_numbers"] = _notebook([
        _code(IMPORTS + "\n\n\n" + FORWARD_LOSS, 0),
        _code("%%time\n!echo defining\n%time import math\ndef manual_gradient(x, y, w):\n"
              "    scale = (w - 1.0) / (w - 1.0)\n    return 2 * x * (x * w - y) * scale", 0),
        _code("%time train_ok = True \\\n    and True\ndef train(xs, ys, w0=1.0, lr=0.01, epochs=100)\n    pass", 0),
        _code(TRAIN + "\n\n\n" + PREDICT, 0),
    ])
    text = json.loads(out["nb_magics"])
    out["nb_corrupt_json"] = json.dumps(text, indent=1)[:1500]  # cut short, as a failed upload leaves it
    out["nb_not_a_notebook"] = json.dumps({"student": "me", "answers": {"forward": "x * w"}}, indent=1) + "\n"
    return out


def build() -> dict[Path, str]:
    """Every notebook scenario's path and content."""
    return {FOLDER / f"{name}.ipynb": text for name, text in _scenarios().items()}


def main() -> None:
    for path, text in build().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
