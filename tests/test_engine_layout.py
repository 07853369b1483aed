"""The engine's shape: small modules, no private names shared between them, no streamlit."""

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parent.parent / "rnn"
MODULES = sorted(ENGINE.rglob("*.py"))
MAX_LINES = 400


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_module_is_small_and_keeps_its_private_names(path):
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_LINES, f"{path.name} has over {MAX_LINES} lines"
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{path.name} imports private {private} from {node.module}"
            assert not (node.module or "").startswith("streamlit")
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "streamlit" for a in node.names)
