"""Every permission action the code asks about is registered, and every registered rule is asked about.

`can()` denies an unknown action without a word, so a typo ("consultation.view") or a rule
module nobody imports closes a page to everybody, silently. And a rule nobody asks about is
a door nobody checks: it drifts from the rest of the policy. This test reads the code (the
`ast` of app/**/*.py, a regular expression over templates/**/*.html), creates the app so
every rule is registered, and compares the two lists.

An action is "used" when a literal string reaches the action argument of `can()` or
`require()`, or of a function that hands one of its own parameters to them (a wrapper such
as `load_round(round_id, action=...)`: its literal arguments and its default count), or of
a local name assigned only literal strings (`needed = "a" if ... else "b"`). Any other
action argument (an f-string, a value read from a table) cannot be checked: the test fails
on it unless it is listed in DYNAMIC_SITES with the reason it is safe.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from app.core.permissions import registered_actions

ROOT = Path(__file__).resolve().parents[3]
APP_DIR = ROOT / "app"
TEMPLATES_DIR = ROOT / "templates"

# The functions that take an action string, and the position of that argument.
SEEDS = {"can": 1, "require": 1}

# Non-literal action arguments that are fine, by (file, enclosing function), with the reason.
DYNAMIC_SITES = {
    ("app/core/web.py", "<lambda>"): (
        "the `can` global for templates: its actions are the template literals read below"
    ),
}

# Rules asked about only through an action built at run time: none today. Add one with its
# reason (where the name is built) rather than deleting the check.
USED_ONLY_DYNAMICALLY: dict[str, str] = {}

# `can("x.y", ...)` in a template (the global binds current_user); also `can(current_user, "x.y")`.
TEMPLATE_CAN = re.compile(r"""\bcan\(\s*(?:current_user\s*,\s*)?(['"])([^'"]+)\1""")
TEMPLATE_CAN_ANY = re.compile(r"\bcan\(\s*(?:current_user\s*,\s*)?(.)")


@dataclass
class Scan:
    used: dict[str, list[str]] = field(default_factory=dict)  # action -> ["file:line", ...]
    unresolved: list[tuple[str, str, int]] = field(default_factory=list)  # file, function, line

    def use(self, action: str, where: str) -> None:
        self.used.setdefault(action, []).append(where)


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _action_arg(call: ast.Call, position: int, name: str | None) -> ast.expr | None:
    if len(call.args) > position and not any(
        isinstance(a, ast.Starred) for a in call.args[: position + 1]
    ):
        return call.args[position]
    for keyword in call.keywords:
        if keyword.arg in {name, "action"}:
            return keyword.value
    return None


def _literals(node: ast.expr) -> list[str] | None:
    """The strings an expression can be, when it is made only of literal strings."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _parameters(func: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[ast.arg]:
    a = func.args
    return [*a.posonlyargs, *a.args, *a.kwonlyargs]


def _default_of(func: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, name: str):
    a = func.args
    positional = [*a.posonlyargs, *a.args]
    offset = len(positional) - len(a.defaults)
    for i, arg in enumerate(positional):
        if arg.arg == name and i >= offset:
            return a.defaults[i - offset]
    for arg, default in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        if arg.arg == name:
            return default
    return None


def _functions(tree: ast.AST):
    """(function node, its name) for every def and lambda, innermost last."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node, node.name
        elif isinstance(node, ast.Lambda):
            yield node, "<lambda>"


def _enclosing(tree: ast.AST) -> dict[int, tuple[ast.AST, str]]:
    """id(call) -> the innermost function around it."""
    owner: dict[int, tuple[ast.AST, str]] = {}
    for func, name in _functions(tree):  # ast.walk is breadth-first: inner functions come later
        for node in ast.walk(func):
            if isinstance(node, ast.Call):
                owner[id(node)] = (func, name)
    return owner


def _local_literals(func: ast.AST, name: str) -> list[str] | None:
    """The strings a local name is assigned, when every assignment is literal."""
    found: list[str] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            values = _literals(node.value)
            if values is None:
                return None
            found += values
    return found or None


def scan_python() -> Scan:
    trees = {
        path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(APP_DIR.rglob("*.py"))
    }
    owners = {rel: _enclosing(tree) for rel, tree in trees.items()}
    takes_action = dict(SEEDS)  # function name -> position of its action argument
    param_names: dict[str, str | None] = {"can": "action", "require": "action"}
    while True:  # find wrappers until none is new (a wrapper of a wrapper...)
        scan = Scan()
        new = False
        for rel, tree in trees.items():
            for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
                callee = _callee(call)
                if callee not in takes_action:
                    continue
                arg = _action_arg(call, takes_action[callee], param_names.get(callee))
                if arg is None:
                    continue
                where = f"{rel}:{call.lineno}"
                values = _literals(arg)
                if values is not None:
                    for value in values:
                        scan.use(value, where)
                    continue
                func, func_name = owners[rel].get(id(call), (None, "<module>"))
                if isinstance(arg, ast.Name) and func is not None:
                    parameters = [p.arg for p in _parameters(func)]
                    if arg.id in parameters and func_name != "<lambda>":
                        if func_name not in takes_action:
                            positional = [p.arg for p in (*func.args.posonlyargs, *func.args.args)]
                            takes_action[func_name] = (
                                positional.index(arg.id) if arg.id in positional else 10**6
                            )
                            param_names[func_name] = arg.id
                            new = True
                        default = _default_of(func, arg.id)
                        for value in _literals(default) if default is not None else []:
                            scan.use(value, where)
                        continue
                    local = _local_literals(func, arg.id)
                    if local is not None:
                        for value in local:
                            scan.use(value, where)
                        continue
                scan.unresolved.append((rel, func_name, call.lineno))
        if not new:
            return scan


def scan_templates(scan: Scan) -> None:
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        rel = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in TEMPLATE_CAN.finditer(line):
                scan.use(match.group(2), f"{rel}:{number}")
            for match in TEMPLATE_CAN_ANY.finditer(line):
                if match.group(1) not in {"'", '"'}:
                    scan.unresolved.append((rel, "template", number))


def used_actions() -> Scan:
    scan = scan_python()
    scan_templates(scan)
    return scan


def test_every_permission_action_asked_for_is_registered(app: Flask) -> None:
    scan = used_actions()
    unknown = {a: w for a, w in scan.used.items() if a not in set(registered_actions())}
    assert not unknown, (
        "These actions are asked for but no rule is registered, so can() always says no "
        f"(a typo, or a permissions module not imported by create_app): {unknown}"
    )


def test_every_registered_permission_rule_is_used(app: Flask) -> None:
    scan = used_actions()
    unused = sorted(
        a for a in registered_actions() if a not in scan.used and a not in USED_ONLY_DYNAMICALLY
    )
    assert not unused, (
        f"These rules are registered but nothing asks for them: {unused}. Remove them, or "
        "list them in USED_ONLY_DYNAMICALLY with the place that builds their name."
    )


def test_every_action_argument_can_be_read(app: Flask) -> None:
    scan = used_actions()
    unreadable = sorted(site for site in scan.unresolved if (site[0], site[1]) not in DYNAMIC_SITES)
    assert not unreadable, (
        "These calls build the action at run time, so this test cannot tell whether a rule "
        f"exists for it: {unreadable}. Use a literal, or list the site in DYNAMIC_SITES "
        "with the reason."
    )


def test_reader_finds_actions_of_every_kind(app: Flask) -> None:
    """The reader itself: a literal, a wrapper's literal and default, a conditional, a template."""
    scan = used_actions()
    assert "app/consultations/views.py" in " ".join(scan.used["consultations.manage"])  # load_round
    assert scan.used["consultations.view"]  # load_round's default
    assert "moderation.stats" in scan.used  # _organisation_or_404(..., "moderation.stats")
    assert {"moderation.ban", "moderation.decide"} <= set(scan.used)  # needed = ... if ... else
    assert any(w.startswith("templates/") for w in scan.used["outbox.manage"])
    assert set(DYNAMIC_SITES) <= {(f, n) for f, n, _ in scan.unresolved}, (
        "A site in DYNAMIC_SITES no longer builds its action at run time: remove it from the list."
    )
