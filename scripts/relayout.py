"""Move the package into the architecture's layout (shared/design/architecture.md) and rewrite every import.

    python scripts/relayout.py [--dry-run]

Idempotent: a move whose source is gone and whose target exists is skipped, and the rewrites only touch names
that still point at the old places, so a second run changes nothing. Run it on a clean tree after the other
branches merged, then ``ruff check --fix``, ``mypy src``, ``lint-imports`` and the tests. It does, with ``git mv``:

- ``core/``: errors, config, ids, person, inputs, tokens, paths, yamlfile, prompts (the values every layer uses);
- ``cli/``: ``cli.py`` → ``cli/main.py``, ``cli_support.py`` → ``cli/support.py``, ``commands/`` → ``cli/commands/``;
- ``flows/review/``: ``flows/review.py`` → ``flows/review/flow.py``, ``flows/review_X.py`` → ``flows/review/X.py``;

and rewrites ``kickcoach.<old>`` in src/, tests/, scripts/ and benchmarks/ (``from kickcoach import tokens`` too,
and ``python -m kickcoach.cli``), the console script and the import-linter contracts in pyproject.toml, and
``paths.PACKAGE_DIR`` (one folder deeper now); then sorts the rewritten imports (``ruff --select I001``).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "kickcoach"
CORE = ("errors", "config", "ids", "person", "inputs", "tokens", "paths", "yamlfile", "prompts")
REVIEW = ("answers", "answers_file", "demo", "history", "lines", "progress", "steps", "summary", "views")
TREES = ("src", "tests", "scripts", "benchmarks")


def moves() -> list[tuple[str, str]]:
    """(old module path, new module path), dotted below ``kickcoach``; the order matters for the rewrites."""
    found = [(name, f"core.{name}") for name in CORE]
    found += [("cli_support", "cli.support"), ("commands", "cli.commands"), ("cli", "cli.main")]
    found += [(f"flows.review_{name}", f"flows.review.{name}") for name in REVIEW]
    found += [("flows.review", "flows.review.flow")]
    return found


def _file(dotted: str, *, package: bool = False) -> Path:
    parts = dotted.split(".")
    return PKG.joinpath(*parts) if package else PKG.joinpath(*parts[:-1], parts[-1] + ".py")


def _git(*args: str, dry: bool) -> None:
    print("git", *args)
    if not dry:
        subprocess.run(["git", *args], cwd=ROOT, check=True)


def move_files(dry: bool) -> None:
    """``git mv`` each module (or the commands package) to its new place, once."""
    for folder in ("core", "cli", "flows/review"):
        init = PKG / folder / "__init__.py"
        if not init.exists():
            print("create", init.relative_to(ROOT))
            if not dry:
                init.parent.mkdir(parents=True, exist_ok=True)
                init.write_text(f'"""{_INIT_DOCS[folder]}"""\n', encoding="utf-8")
                subprocess.run(["git", "add", str(init)], cwd=ROOT, check=True)
    for old, new in moves():
        package = old == "commands"
        source, target = _file(old, package=package), _file(new, package=package)
        if source.exists() and not target.exists():
            if not dry:
                target.parent.mkdir(parents=True, exist_ok=True)
            _git("mv", str(source.relative_to(ROOT)), str(target.relative_to(ROOT)), dry=dry)


_INIT_DOCS = {
    "core": "The values every layer uses: errors (messages name the fix), config, ids, person, inputs, tokens, paths, "
            "yamlfile, prompts.",
    "cli": "The command line: ``main`` (the Typer app and its explicit tuple of command modules), ``support`` and "
           "``commands/``.",
    "flows/review": "The weekly review: ``flow`` (the steps a pair goes through), its answers, lines, history and "
                    "summary.",
}


def _dotted_rewrites() -> list[tuple[re.Pattern[str], str]]:
    """``kickcoach.<old>`` not followed by a name character or a dot-continuation that is already new."""
    rules = []
    for old, new in moves():
        # followed by neither a word character nor ".": an exact module reference (``kickcoach.cli`` but not
        # ``kickcoach.cli_support`` or the already moved ``kickcoach.cli.main``); or followed by "." and a
        # submodule name for packages that moved whole (``kickcoach.commands.review``)
        if old == "commands":
            rules.append((re.compile(r"\bkickcoach\.commands\b"), "kickcoach.cli.commands"))
        else:
            rules.append((re.compile(rf"\bkickcoach\.{re.escape(old)}(?![\w.])"), f"kickcoach.{new}"))
            rules.append((re.compile(rf"\bkickcoach\.{re.escape(old)}\.(?!{_new_tail(old, new)})"), f"kickcoach.{new}."))
    return rules


def _new_tail(old: str, new: str) -> str:
    """What follows ``kickcoach.<old>.`` when the reference is already to the new place (so it is left alone)."""
    tail = new[len(old) + 1:] if new.startswith(old + ".") else ""
    first = tail.split(".")[0] if tail else ""
    if old == "cli":
        return "(?:main|support|commands)\\b"
    if old == "flows.review":
        return "(?:flow|" + "|".join(REVIEW) + ")\\b"
    return re.escape(first) + "\\b" if first else "$^"


_FROM_IMPORT = re.compile(r"^(?P<indent>[ \t]*)from kickcoach(?P<pkg>(?:\.flows)?) import (?P<names>[\w, ]+)$", re.M)


def _split_from_import(match: re.Match[str]) -> str:
    """``from kickcoach import guard, prompts, tokens`` → ``from kickcoach import guard`` and
    ``from kickcoach.core import prompts, tokens``; ``from kickcoach import cli`` → ``import kickcoach.cli.main as
    cli``; ``from kickcoach.flows import review`` → ``import kickcoach.flows.review.flow as review`` (the dotted form,
    which the module rewrites leave alone: a second run changes nothing)."""
    indent, pkg, names = match["indent"], match["pkg"], [n.strip() for n in match["names"].split(",") if n.strip()]
    keep, core, lines = [], [], []
    for name in names:
        plain = name.split(" as ")[0].strip()
        alias = name.split(" as ")[1].strip() if " as " in name else plain
        if pkg == "" and plain in CORE:
            core.append(name)
        elif pkg == "" and plain == "cli":
            lines.append(f"{indent}import kickcoach.cli.main as {alias}")
        elif pkg == "" and plain == "cli_support":
            lines.append(f"{indent}import kickcoach.cli.support as {alias}")
        elif pkg == "" and plain == "commands":
            lines.append(f"{indent}import kickcoach.cli.commands as {alias}")
        elif pkg == ".flows" and plain == "review":
            lines.append(f"{indent}import kickcoach.flows.review.flow as {alias}")
        elif pkg == ".flows" and plain.startswith("review_") and plain[7:] in REVIEW:
            lines.append(f"{indent}import kickcoach.flows.review.{plain[7:]} as {alias}")
        else:
            keep.append(name)
    out = []
    if keep:
        out.append(f"{indent}from kickcoach{pkg} import {', '.join(keep)}")
    if core:
        out.append(f"{indent}from kickcoach.core import {', '.join(core)}")
    return "\n".join(out + lines)


def rewrite_text(text: str) -> str:
    text = _FROM_IMPORT.sub(_split_from_import, text)
    for pattern, replacement in _dotted_rewrites():
        text = pattern.sub(replacement, text)
    return text


PYPROJECT_LAYERS = '''layers = [
    "cli",
    "ui",
    "bootstrap",
    "services",
    "evals",
    "flows | programme",
    "history",
    "people",
    "storage",
    "guard | safety",
    "knowledge",
    "contracts",
    "llm",
    "text",
    "core",
]'''


def rewrite_pyproject(text: str) -> str:
    text = text.replace('kickcoach = "kickcoach.cli:main"', 'kickcoach = "kickcoach.cli.main:main"')
    text = re.sub(r"layers = \[\n(?:    \"[^\"]*\",\n)+\]", PYPROJECT_LAYERS, text, count=1)
    text = text.replace('"kickcoach.cli", "kickcoach.cli_support", "kickcoach.commands",', '"kickcoach.cli",')
    return text


def _new_path(relative: str) -> str:
    """A module's path below src/kickcoach after the moves (``commands/review.py`` → ``cli/commands/review.py``)."""
    dotted = relative[:-3].replace("/", ".")
    for old, new in moves():
        if dotted == old or (old == "commands" and dotted.startswith("commands.")):
            dotted = new + dotted[len(old):]
            break
    return dotted.replace(".", "/") + ".py"


def rewrite_files(dry: bool) -> list[Path]:
    changed = []
    for tree in TREES:
        for path in sorted((ROOT / tree).rglob("*.py")):
            if path.resolve() == Path(__file__).resolve():
                continue
            old = path.read_text(encoding="utf-8")
            new = rewrite_text(old)
            if path == PKG / "core" / "paths.py":
                new = new.replace("PACKAGE_DIR = Path(__file__).resolve().parent\n",
                                  "PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/kickcoach (this is core/)\n")
            if new != old:
                changed.append(path)
                if not dry:
                    path.write_text(new, encoding="utf-8")
    literals = ROOT / "tests" / "data" / "long_literals.yaml"  # module paths below src/kickcoach
    if literals.exists():
        old = literals.read_text(encoding="utf-8")
        new = re.sub(r"^  (\S+\.py):", lambda m: f"  {_new_path(m[1])}:", old, flags=re.M)
        if new != old:
            changed.append(literals)
            if not dry:
                literals.write_text(new, encoding="utf-8")
    pyproject = ROOT / "pyproject.toml"
    old = pyproject.read_text(encoding="utf-8")
    new = rewrite_pyproject(old)
    if new != old:
        changed.append(pyproject)
        if not dry:
            pyproject.write_text(new, encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="say what would move and change; touch nothing")
    args = parser.parse_args(argv)
    move_files(args.dry_run)
    changed = rewrite_files(args.dry_run)
    for path in changed:
        print("rewrote", path.relative_to(ROOT))
    print(f"{len(changed)} file(s) rewritten" + (" (dry run)" if args.dry_run else ""))
    if not args.dry_run:  # the rewritten imports, sorted again (ruff's isort rule only)
        subprocess.run([sys.executable, "-m", "ruff", "check", "--fix", "--select", "I001", "--quiet", *TREES],
                       cwd=ROOT, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
