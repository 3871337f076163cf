"""The shape of the code: one direction of dependencies, no cycles, feature areas as
subpackages, Django's own machinery rather than our own copies of it.

These read the source; they guard what a newcomer relies on to find their way.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["sro_portal", "onboarding", "expectations", "events"]
FEATURE_APPS = ["expectations", "events"]
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    """{dotted name: path} of every module of the project's own code."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules that module `name` imports, anywhere in its text."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            # The longest project module the import names (a module or a package).
            while candidate and candidate not in MODULES:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_foundation_never_imports_a_feature_app():
    offending = {
        name: sorted(t for t in targets if t.split(".")[0] in FEATURE_APPS)
        for name, targets in GRAPH.items()
        if name.split(".")[0] in ("onboarding", "sro_portal")
    }
    offending = {name: targets for name, targets in offending.items() if targets}
    assert not offending, f"onboarding and sro_portal import feature apps: {offending}"


def test_there_is_no_import_cycle():
    # Depth-first search; a module met again while still on the path closes a cycle.
    state, cycles = {}, []

    def visit(name, path):
        state[name] = "open"
        for target in sorted(GRAPH[name]):
            if state.get(target) == "open":
                cycles.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert not cycles, "Import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_longer_than_600_lines(name):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines"


def test_feature_areas_are_subpackages_not_suffixes():
    suffixed = re.compile(r"^(views|urls|forms|emails|workflows|models)_\w+\.py$")
    named = [str(p.relative_to(ROOT)) for p in MODULES.values() if suffixed.match(p.name)]
    assert not named, f"Give these feature areas a subpackage: {named}"


# Text that would mean we wrote again what Django or a kept library does.
FORBIDDEN = {
    r"\.raw\(": "a query written out as SQL (use a queryset)",
    r"\bpickle\b": "pickled objects (use plain data, or Django's cache)",
    r"BEGIN:|END:V": "iCalendar written by hand (use the icalendar library)",
    r"format_html_join": "HTML built in Python (use a template)",
    r"SessionStore|ModelBackend\)": "a session store or an authentication backend of our own",
}


@pytest.mark.parametrize("pattern", sorted(FORBIDDEN))
def test_the_code_uses_django_and_kept_libraries(pattern):
    found = [
        str(path.relative_to(ROOT))
        for path in MODULES.values()
        if re.search(pattern, path.read_text())
    ]
    assert not found, f"{FORBIDDEN[pattern]}: {found}"


# One Markdown sanitizer and one word diff, shared by every page that needs them.
ONE_PLACE = {r"nh3\.clean\(": "sanitizing Markdown", r"SequenceMatcher\(": "diffing words"}


@pytest.mark.parametrize("pattern", sorted(ONE_PLACE))
def test_one_markdown_pipeline_and_one_word_diff(pattern):
    found = [
        str(path.relative_to(ROOT))
        for path in MODULES.values()
        if re.search(pattern, path.read_text())
    ]
    assert len(found) == 1, f"{ONE_PLACE[pattern]} happens in {found}"
