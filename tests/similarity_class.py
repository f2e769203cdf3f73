"""A made-up class of backprop source files for the similarity tests and benchmark.

Honest students start from the same places, as a real class does: most fill in the handed-out
stub (keeping its prose), some write the lecture's own program (`x_data`, `w.data`, printing
`progress:`), some a short file of their own. Each one makes their own small choices, drawn
independently: how to write each function, names, loops, update and zeroing, what to print,
comments, extra helpers. Many end up with the same few lines, as real students do.

Planted copies are made from a few complete solutions written with more of a student's own
choices in them: variables and helpers renamed, functions reordered, comments and docstrings
rewritten, blank lines changed. The copies are what a tool must find; honest pairs only share
what many students share.
"""

from __future__ import annotations

import ast
import io
import json
import random
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUB = ROOT / "assignments" / "backprop" / "backprop.py"
FUNCTIONS = ("forward", "loss", "manual_gradient", "train", "predict")
_RAISE = re.compile(r"^    raise NotImplementedError\(\"(\w+): write your code here \(see the docstring\)\"\)$", re.M)

FORWARD = ["return x * w", "return w * x", "{yh} = x * w\nreturn {yh}", "return torch.mul(x, w)",
           "{yh} = w * x\nreturn {yh}", "return x * w  # keeps the graph"]
LOSS = ["{yh} = forward(x, w)\nreturn ({yh} - y) ** 2", "return (forward(x, w) - y) ** 2",
        "{yh} = forward(x, w)\nreturn ({yh} - y) * ({yh} - y)", "{d} = forward(x, w) - y\nreturn {d} * {d}",
        "return torch.pow(forward(x, w) - y, 2)", "{d} = forward(x, w) - y\nreturn {d} ** 2",
        "{yh} = forward(x, w)\n{d} = {yh} - y\nreturn {d} ** 2"]
GRADIENT = ["return 2 * x * (x * w - y)", "return float(2 * x * (x * w - y))",
            "{yh} = x * w\nreturn 2 * ({yh} - y) * x",
            "{yh} = x * w\n{a} = 2 * ({yh} - y)\n{b} = x\nreturn float({a} * {b})",
            "{yh} = x * w\nreturn float(2 * ({yh} - y) * x)", "return 2.0 * (x * w - y) * x",
            "{d} = x * w - y\nreturn 2 * {d} * x", "{yh} = forward(x, w)\nreturn float(2 * x * ({yh} - y))"]
PREDICT = ["return float(x * w)", "return x * w", "return float(forward(x, w))", "return float(w) * float(x)",
           "{yh} = x * w\nreturn float({yh})"]
INIT = ["{w} = torch.tensor([w0], requires_grad=True)", "{w} = torch.tensor([float(w0)], requires_grad=True)",
        "{w} = torch.tensor([w0], dtype=torch.float32, requires_grad=True)",
        "{w} = torch.tensor([w0])\n{w}.requires_grad_(True)", "{w} = torch.ones(1) * w0\n{w}.requires_grad = True"]
OUTER = ["for {e} in range(epochs):", "for _ in range(epochs):", "for {e} in range(int(epochs)):"]
INNER = ["for {x}, {y} in zip(xs, ys):", "for {i} in range(len(xs)):\n    {x}, {y} = xs[{i}], ys[{i}]",
         "for {i}, {x} in enumerate(xs):\n    {y} = ys[{i}]", "for {x}, {y} in list(zip(xs, ys)):"]
STEP = ["{l} = loss({x}, {y}, {w})\n{l}.backward()", "{l} = loss({x}, {y}, {w})\n{l}.backward(retain_graph=False)",
        "{l} = (forward({x}, {w}) - {y}) ** 2\n{l}.backward()"]
UPDATE = ["{w}.data = {w}.data - lr * {w}.grad.data", "{w}.data -= lr * {w}.grad.data",
          "with torch.no_grad():\n    {w} -= lr * {w}.grad", "{w}.data.sub_(lr * {w}.grad.data)",
          "{w}.data = {w}.data - lr * {w}.grad"]
ZERO = ["{w}.grad.data.zero_()", "{w}.grad.zero_()", "{w}.grad = None", "{w}.grad.data = torch.zeros_like({w}.grad)"]
RECORD = ["{h}.append({l}.item())", "{h}.append(float({l}))", "{h} += [{l}.item()]", "{h}.append({l}.data.item())"]
PRINT = ['print("progress:", {e}, {l}.data[0])', 'print(f"epoch {{{e}}}: loss {{{l}.item():.4f}}")',
         'print("epoch", {e}, "loss", {l}.item())']
RETURN = ["return {w}.item(), {h}", "return float({w}), {h}", "return {w}.data.item(), {h}",
          "return {w}.item(), list({h})"]
MAIN = ['w, history = train(xs, ys)\nprint("predict (after training)", 4, predict(4.0, w))',
        'w_final, hist = train(xs, ys)\nprint("w =", w_final)\nprint("prediction at 4:", predict(4.0, w_final))',
        'print(manual_gradient(2.0, 4.0, 1.0))\nprint(train(xs, ys)[0])',
        'trained, losses = train(xs, ys, epochs=100)\nfor i in range(0, 100, 10):\n    print(i, losses[i])\n'
        'print(predict(4, trained))']
COMMENTS = ["# TODO check this", "# chain rule", "# update the weight", "# reset the gradient",
            "# forward pass", "# I think this works", "# from the lecture", "# squared error", "# see slides",
            "# autograd does the rest", "# keep the graph", "# loss of the last sample"]
NAMES = {"yh": ["y_hat", "y_pred", "pred", "out", "yhat", "prediction"], "d": ["diff", "err", "error", "r", "delta"],
         "a": ["dloss_dyhat", "dl_dy", "g1", "outer"], "b": ["dyhat_dw", "dy_dw", "g2", "inner"],
         "w": ["w", "w", "w", "weight", "param"], "e": ["epoch", "ep", "e", "i", "n"], "x": ["x", "x_val", "xi", "x_i"],
         "y": ["y", "y_val", "yi", "y_i"], "i": ["j", "k", "idx"], "l": ["l", "l", "loss_val", "cost", "current"],
         "h": ["history", "history", "losses", "hist", "loss_history"]}


def _pick(rng: random.Random, options: list[str], common: float = 0.45) -> str:
    """The first option (what the docstring teaches) often; the others evenly."""
    return options[0] if rng.random() < common else rng.choice(options)


def _indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line if line else line for line in text.split("\n"))


def _commented(rng: random.Random, body: str, rate: float) -> str:
    lines = body.split("\n")
    for i in range(len(lines)):
        if rng.random() < rate and not lines[i].rstrip().endswith(":"):
            lines[i] += "  " + rng.choice(COMMENTS)
    return "\n".join(lines)


def _train(rng: random.Random, names: dict[str, str], seed_style: bool) -> str:
    inner = _pick(rng, INNER) + "\n" + _indent(_pick(rng, STEP, 0.7), 4)
    update, zero = _pick(rng, UPDATE, 0.6), _pick(rng, ZERO, 0.6)
    inner += "\n" + _indent(update, 4) + "\n" + _indent(zero, 4)
    epoch = _pick(rng, OUTER, 0.6) + "\n" + _indent(inner, 4)
    if seed_style or rng.random() < 0.15:
        epoch += "\n    " + (PRINT[0] if seed_style else rng.choice(PRINT))
    epoch += "\n    " + _pick(rng, RECORD, 0.6)
    lines = [_pick(rng, INIT, 0.6), "{h} = []" if rng.random() < 0.85 else "{h} = list()", epoch, _pick(rng, RETURN)]
    return "\n".join(lines).format(**names)


def honest(rng: random.Random, style: str) -> str:
    """One honest student's file: `stub` (the stub filled in), `seed` (the lecture's program) or
    `short` (a short file of their own)."""
    names = {key: rng.choice(values) for key, values in NAMES.items()}
    bodies = {
        "forward": _pick(rng, FORWARD).format(**names), "loss": _pick(rng, LOSS).format(**names),
        "manual_gradient": _pick(rng, GRADIENT, 0.3).format(**names),
        "train": _train(rng, names, style == "seed"), "predict": _pick(rng, PREDICT).format(**names),
    }
    rate = rng.choice([0.0, 0.0, 0.1, 0.3])
    bodies = {name: _commented(rng, body, rate) for name, body in bodies.items()}
    if style == "stub":
        return _fill_stub(bodies)
    header = "import torch\n\nx_data = [1.0, 2.0, 3.0]\ny_data = [2.0, 4.0, 6.0]\n" if style == "seed" else \
        "import torch\n\nxs = [1.0, 2.0, 3.0]\nys = [2.0, 4.0, 6.0]\n"
    params = {"forward": "x, w", "loss": "x, y, w", "manual_gradient": "x, y, w",
              "train": "xs, ys, w0=1.0, lr=0.01, epochs=100", "predict": "x, w"}
    parts = [header] + [f"def {name}({params[name]}):\n{_indent(bodies[name], 4)}\n" for name in FUNCTIONS]
    if style == "seed":
        main = 'w, history = train(x_data, y_data)\nprint("predict (after training)", 4, predict(4, w))'
    else:
        main = rng.choice(MAIN)
    parts.append('if __name__ == "__main__":\n' + _indent(main, 4) + "\n")
    return "\n\n".join(parts)


def _fill_stub(bodies: dict[str, str]) -> str:
    return _RAISE.sub(lambda m: _indent(bodies[m.group(1)], 4), STUB.read_text(encoding="utf-8"))


def partial(rng: random.Random) -> str:
    """A student who filled in only some functions."""
    done = rng.sample(FUNCTIONS[:3], rng.randint(1, 2))
    names = {key: rng.choice(values) for key, values in NAMES.items()}
    pools = {"forward": FORWARD, "loss": LOSS, "manual_gradient": GRADIENT}
    bodies = {name: _pick(rng, pools[name]).format(**names) for name in done}
    return _RAISE.sub(lambda m: _indent(bodies[m.group(1)], 4) if m.group(1) in bodies else m.group(), STUB.read_text())


# Complete solutions with more of a student's own choices in them: these are the ones copied.
BASES = [
    '''import torch

DTYPE = torch.float64
xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    # the model: a line through the origin
    return w * torch.as_tensor(x, dtype=w.dtype)


def loss(x, y, w):
    residual = forward(x, w) - torch.as_tensor(y, dtype=w.dtype)
    return residual.pow(2)


def manual_gradient(x, y, w):
    """Chain rule, written out."""
    prediction = x * w
    outer = 2.0 * (prediction - y)   # d loss / d prediction
    inner = x                        # d prediction / d w
    return float(outer * inner)


def sgd_step(weight, learning_rate):
    with torch.no_grad():
        weight.sub_(learning_rate * weight.grad)
        weight.grad.zero_()


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    weight = torch.full((1,), float(w0), dtype=DTYPE, requires_grad=True)
    trace = []
    samples = list(zip(xs, ys))
    for _ in range(epochs):
        last = None
        for sample_x, sample_y in samples:
            last = loss(sample_x, sample_y, weight)
            last.backward()
            sgd_step(weight, lr)
        trace.append(float(last.detach()))
    return float(weight.detach()[0]), trace


def predict(x, w):
    return float(w) * float(x)


def report(weight, trace, every=25):
    for step in range(0, len(trace), every):
        print(f"[{step:4d}] loss={trace[step]:.6f}")
    print(f"final weight {weight:.6f}; f(4) = {predict(4.0, weight):.4f}")


if __name__ == "__main__":
    report(*train(xs, ys))
''',
    '''import math

import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    out = x * w
    return out


def loss(x, y, w):
    gap = forward(x, w) - y
    return gap * gap


def manual_gradient(x, y, w):
    gap = x * w - y
    grad = 2 * gap * x
    if not math.isfinite(grad):
        raise ValueError("gradient is not finite")
    return float(grad)


def check_gradient(x=2.0, y=4.0, w=1.0):
    t = torch.tensor([w], requires_grad=True)
    loss(x, y, t).backward()
    assert abs(t.grad.item() - manual_gradient(x, y, w)) < 1e-6, "autograd and my gradient disagree"


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    n = len(xs)
    curve = []
    epoch = 0
    while epoch < epochs:
        k = 0
        while k < n:
            cost = loss(xs[k], ys[k], w)
            cost.backward()
            step = lr * w.grad.data
            w.data = w.data - step
            w.grad.data.zero_()
            k += 1
        curve.append(cost.item())
        epoch += 1
    return w.item(), curve


def predict(x, w):
    return float(x * w)


if __name__ == "__main__":
    check_gradient()
    w, curve = train(xs, ys)
    print("first losses:", [round(v, 4) for v in curve[:5]])
    print("w after training:", round(w, 6))
    print("predict(4):", predict(4.0, w))
''',
    '''import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    return torch.mul(w, x)


def loss(x, y, w):
    return torch.square(forward(x, w) - y).sum().reshape(1)


def manual_gradient(x, y, w):
    return float(2 * x * (forward(x, w) - y))


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    param = torch.tensor([w0], requires_grad=True)
    opt = torch.optim.SGD([param], lr=lr, momentum=0.0)
    losses = []
    for epoch in range(epochs):
        for features, target in zip(xs, ys):
            opt.zero_grad(set_to_none=True)
            value = loss(features, target, param)
            value.backward()
            opt.step()
        losses.append(value.item())
        if epoch in (0, epochs // 2, epochs - 1):
            print("epoch", epoch, "loss", round(losses[-1], 5), "w", round(param.item(), 5))
    return param.item(), losses


def predict(x, w):
    return float(torch.tensor(x) * torch.tensor(w))


if __name__ == "__main__":
    trained, losses = train(xs, ys)
    print("trained weight", trained, "after", len(losses), "epochs")
    print("predict(4)", predict(4.0, trained))
''',
]


def _functions(source: str) -> list[tuple[int, int]]:
    """(first, last) 0-based line ranges of the top-level functions, comments above included."""
    tree = ast.parse(source)
    spans = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            spans.append((first, (node.end_lineno or node.lineno) - 1))
    return spans


def reorder(source: str, rng: random.Random) -> str:
    """The same file with its top-level functions in another order."""
    lines = source.split("\n")
    spans = _functions(source)
    blocks = [lines[a:b + 1] for a, b in spans]
    shuffled = blocks[:]
    while len(blocks) > 1 and shuffled == blocks:
        rng.shuffle(shuffled)
    out: list[str] = []
    cursor = 0
    for (a, b), block in zip(spans, shuffled, strict=True):
        out += lines[cursor:a] + block
        cursor = b + 1
    return "\n".join(out + lines[cursor:])


def rename(source: str, rng: random.Random, keep: set[str]) -> str:
    """Every variable and helper function renamed (the graded functions and their parameters kept)."""
    tree = ast.parse(source)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef) and node.name not in FUNCTIONS:
            names.add(node.name)
            names.update(a.arg for a in node.args.args)
    names -= keep | {"_"}
    new = {name: f"{rng.choice(['v', 'tmp', 'my', 'the', 'val'])}_{name[::-1]}{rng.randrange(10)}" for name in names}
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME and tok.string in new and not _after_dot(out):
            tok = tok._replace(string=new[tok.string])
        elif tok.type == tokenize.STRING and tok.string.startswith("f"):  # the names inside {...}
            tok = tok._replace(string=re.sub(r"\w+", lambda m: new.get(m.group(), m.group()), tok.string))
        out.append(tok)
    return tokenize.untokenize(out)


def _after_dot(tokens: list[tokenize.TokenInfo]) -> bool:
    return bool(tokens) and tokens[-1].string == "."


def recomment(source: str, rng: random.Random) -> str:
    """Comments and docstrings replaced by others; blank lines added and removed."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            tok = tok._replace(string="# " + rng.choice(["my own idea", "works", "step", "see notes", "ok"]))
        elif tok.type == tokenize.STRING and tok.string.startswith(('"""', "'''")):
            tok = tok._replace(string='"""' + rng.choice(["Computes it.", "My helper.", "Does the math."]) + '"""')
        out.append(tok)
    lines = tokenize.untokenize(out).split("\n")
    result = []
    for line in lines:
        if line.strip() and rng.random() < 0.1:
            result.append(" " * (len(line) - len(line.lstrip())) + "# " + rng.choice(COMMENTS)[2:])
        if line.strip() or rng.random() < 0.5:
            result.append(line)
    return "\n".join(result)


def disguise(source: str, rng: random.Random) -> str:
    """A planted copy: renamed, reordered, recommented; still a valid program."""
    copied = recomment(reorder(rename(source, rng, {"xs", "ys"}), rng), rng)
    ast.parse(copied)
    return copied


def as_notebook(source: str) -> str:
    """The program as a notebook: one code cell per top-level block, and a markdown cell."""
    cells: list[dict[str, object]] = [{"cell_type": "markdown", "metadata": {}, "source": "# My backprop homework"}]
    for block in re.split(r"\n\n\n", source.strip()):
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                      "source": block.strip("\n")})
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python",
                                                                   "display_name": "Python 3"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


@dataclass
class Class:
    files: dict[str, Path] = field(default_factory=dict)
    planted: set[frozenset[str]] = field(default_factory=set)
    """Pairs of students whose files are copies of each other."""
    styles: dict[str, str] = field(default_factory=dict)


def write_class(folder: Path, size: int = 60, seed: int = 15, bases: int = 3, copies: int = 5,
                seed_style: int = 5) -> Class:
    """`size` submissions: `bases` solutions copied `copies` times in all (a copy ring per base),
    `seed_style` honest students in the lecture's style, untouched and partial stubs, and the
    rest honest students who filled in the stub or wrote a short file; a few as notebooks."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made = Class()
    kinds: list[tuple[str, str]] = []  # (style, source)
    rings: list[list[int]] = []
    for b in range(bases):
        ring = [len(kinds)]
        kinds.append(("base", BASES[b % len(BASES)]))
        for _ in range(copies // bases + (b < copies % bases)):
            ring.append(len(kinds))
            kinds.append(("copy", disguise(BASES[b % len(BASES)], rng)))
        rings.append(ring)
    kinds += [("seed", honest(rng, "seed")) for _ in range(seed_style)]
    rest = size - len(kinds)
    untouched, partials = max(1, rest // 25), max(1, rest // 12)
    kinds += [("untouched", STUB.read_text())] * untouched
    kinds += [("partial", partial(rng)) for _ in range(partials)]
    styles = rng.choices(["stub", "short"], [3, 1], k=rest - untouched - partials)
    kinds += [(style, honest(rng, style)) for style in styles]
    order = list(range(len(kinds)))
    rng.shuffle(order)
    ids = {index: f"student_{position:04d}" for position, index in enumerate(order)}
    for index, (style, source) in enumerate(kinds):
        student = ids[index]
        notebook = style in ("stub", "short", "copy", "base") and rng.random() < 0.08
        path = folder / f"{student}.{'ipynb' if notebook else 'py'}"
        path.write_text(as_notebook(source) if notebook else source, encoding="utf-8")
        made.files[student] = path
        made.styles[student] = style
    for ring in rings:
        members = [ids[i] for i in ring]
        made.planted |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}
    return made
