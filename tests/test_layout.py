"""The code's shape: small modules, no private names shared between them, an engine and figure
builders without streamlit, a run store on the standard library alone, no machine's own paths in
the code."""

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE, UI = ROOT / "rnn", ROOT / "rnn_app"
STORE = UI / "store"  # the run store: sqlite3 and the rest of the standard library, nothing else
MODULES = sorted([*ENGINE.rglob("*.py"), *UI.rglob("*.py")])
CODE = sorted([*MODULES, ROOT / "app.py", *(ROOT / "benchmarks").glob("*.py"), *(ROOT / "scripts").glob("*.py")])
MAX_LINES = 400
# a home, a scratch or a workspace folder of some machine, written into the code
MACHINE_PATH = re.compile(r"""["'](/(root|home|Users|tmp|work)/|[A-Z]:\\\\)""")


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield node.module or "", [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            yield from ((a.name, []) for a in node.names)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_small_and_keeps_its_private_names(path):
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_LINES, f"{path.name} has over {MAX_LINES} lines"
    pure = path.is_relative_to(ENGINE) or path.is_relative_to(STORE) or path.name in ("figures.py", "plotting.py")
    for module, names in _imports(ast.parse(source)):
        private = [n for n in names if n.startswith("_")]
        assert not private, f"{path.name} imports private {private} from {module}"
        if pure:  # the engine and the figure builders never draw: data in, numbers or figures out
            assert module.split(".")[0] != "streamlit", f"{path.name} imports streamlit"


@pytest.mark.parametrize("path", sorted(STORE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_run_store_uses_the_standard_library_alone(path):
    # but for psycopg in pg.py: PostgreSQL, imported only when DATABASE_URL names a server
    allowed = sys.stdlib_module_names | ({"psycopg"} if path.name == "pg.py" else set())
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 or isinstance(node, ast.Import):
            for module in [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]:
                assert module.split(".")[0] in allowed, f"{path.name} imports {module}"


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_machine_paths_in_the_code(path):
    found = MACHINE_PATH.findall(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} names a machine's own folder"
