"""dyt-compare from Python: a model with its norms vs the same with DyT.

    result = dyt.compare(ir, bench=10, replace_options={"alpha_attn": 0.8},
                         png="compare.png")
    result["variants"]  # [{"name": "norm", "kernels": ..., ...}, {"name": "dyt", ...}]

`result` is dyt-compare's JSON object (plus "table", the text it printed);
`png` draws one bar pair per metric, each normalised to the norm variant.
"""

import json
import os
import tempfile

from .errors import DytError
from .importer import ALPHA_OPTIONS
from .tools import run_tool

# metric key -> label on the plot (in dyt-compare's order)
METRICS = {
    "kernels": "kernels",
    "reductions": "row reductions",
    "bytes": "bytes",
    "flops": "flops",
    "transcendentals": "transcendentals",
    "code_bytes": "code bytes",
    "median_s": "median time",
}


def _replace_options_text(options):
    if options is None or isinstance(options, str):
        return options or ""
    parts = []
    for key, value in options.items():
        name = ALPHA_OPTIONS.get(key, key)
        if isinstance(value, bool):
            value = "true" if value else "false"
        parts.append(f"{name}={value}")
    return " ".join(parts)


def compare(ir_or_path, entry=None, bench=0, replace_options=None, threads=1,
            png=None, title=None):
    """Runs dyt-compare on MLIR text or a .mlir file; returns its JSON as a
    dict, with the printed table under "table". `replace_options` is a
    string ("alpha-attn=0.8 alpha-ffn=0.2") or a dict ({"alpha_attn": 0.8});
    `bench` > 0 times that many calls of each variant; `png` draws the plot."""
    with tempfile.TemporaryDirectory(prefix="dyt-compare-") as tmp:
        if os.path.isfile(str(ir_or_path)):
            path = str(ir_or_path)
        elif isinstance(ir_or_path, str) and ("func.func" in ir_or_path or "module" in ir_or_path):
            path = os.path.join(tmp, "model.mlir")
            with open(path, "w") as f:
                f.write(ir_or_path)
        else:
            raise DytError(f"compare: {ir_or_path!r} is neither MLIR text nor a file")
        args = [path, "--json"]
        if entry:
            args += ["-e", entry]
        if bench:
            args.append(f"--bench={int(bench)}")
        if threads is not None:
            args.append(f"--threads={int(threads)}")
        options = _replace_options_text(replace_options)
        if options:
            args.append(f"--replace-options={options}")
        out = run_tool("dyt-compare", args, what="comparing norm and DyT variants").stdout
    lines = [l for l in out.splitlines() if l.strip()]
    if not lines:
        raise DytError("dyt-compare printed nothing")
    try:
        result = json.loads(lines[-1])
    except json.JSONDecodeError as e:
        raise DytError(f"dyt-compare's last line is not JSON: {lines[-1]!r}") from e
    result["table"] = "\n".join(lines[:-1])
    if png:
        plot(result, png, title=title)
    return result


def _variant(result, name):
    for v in result.get("variants", []):
        if v.get("name") == name:
            return v
    raise DytError(f"dyt-compare result has no {name!r} variant")


def plot(result, png, title=None):
    """Draws `result` (compare()'s dict) as a PNG bar chart: per metric, the
    norm variant (1.0) and the dyt variant, normalised to the norm one, with
    the raw values written on the bars. Uses matplotlib's Agg renderer."""
    from matplotlib.figure import Figure  # no pyplot: no GUI backend

    norm, dyt = _variant(result, "norm"), _variant(result, "dyt")
    keys = [k for k in METRICS
            if isinstance(norm.get(k), (int, float)) and isinstance(dyt.get(k), (int, float))]
    ratios_norm, ratios_dyt = [], []
    for k in keys:
        a, b = float(norm[k]), float(dyt[k])
        if a == 0:
            ratios_norm.append(0.0 if b else 1.0)
            ratios_dyt.append(1.0 if b else 1.0)
        else:
            ratios_norm.append(1.0)
            ratios_dyt.append(b / a)

    fig = Figure(figsize=(max(6.0, 1.3 * len(keys) + 2), 4.2), dpi=100)
    ax = fig.subplots()
    width = 0.38
    xs = range(len(keys))
    bars_n = ax.bar([x - width / 2 for x in xs], ratios_norm, width, label="norm",
                    color="#8c8c8c")
    bars_d = ax.bar([x + width / 2 for x in xs], ratios_dyt, width, label="dyt",
                    color="#1f77b4")
    for bars, variant in ((bars_n, norm), (bars_d, dyt)):
        for bar, k in zip(bars, keys):
            ax.annotate(_short(variant[k], k), (bar.get_x() + bar.get_width() / 2,
                                                bar.get_height()),
                        ha="center", va="bottom", fontsize=7, xytext=(0, 2),
                        textcoords="offset points")
    ax.axhline(1.0, color="black", linewidth=0.6)
    ax.set_xticks(list(xs))
    ax.set_xticklabels([METRICS[k] for k in keys], rotation=20, ha="right")
    ax.set_ylabel("relative to the norm variant")
    top = max(ratios_norm + ratios_dyt + [1.0])
    ax.set_ylim(0, top * 1.18)
    ax.legend(loc="upper left")
    name = os.path.basename(str(result.get("model", "")))
    ax.set_title(title or f"dyt-compare: {name} @{result.get('function', '')} "
                 f"({result.get('target', 'cpu')})", fontsize=10)
    fig.tight_layout()
    fig.savefig(png)
    return png


def _short(value, key):
    if key == "median_s":
        return f"{value * 1e3:.3g} ms"
    value = float(value)
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{unit}"
    return f"{value:g}"
