"""Spec files from hell: random text, malformed YAML, hostile YAML tags, alias bombs. Only safe loading:
each gets :class:`~aimaq.engine.errors.SpecErrors` naming the file (and the line, for YAML errors), and no
Python object is ever built from a tag."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimaq.engine.errors import SpecErrors
from aimaq.engine.spec import Methodology

HOSTILE_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:pathlib.Path {{}}",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]


@pytest.mark.parametrize("tag", HOSTILE_TAGS)
def test_hostile_tags_are_refused_without_running_anything(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    spec = tmp_path / "evil.yaml"
    spec.write_text(f"name: evil\ntitle: {tag.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(SpecErrors) as e:
        Methodology.from_yaml(spec)
    assert str(spec) in str(e.value)
    assert "[yaml]" in str(e.value) and "line 2" in str(e.value)
    assert not marker.exists()


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300))
def test_random_text_gives_spec_errors(text: str) -> None:
    try:
        Methodology.from_text(text, path="fuzz.yaml")
    except SpecErrors as exc:
        assert str(exc).startswith("fuzz.yaml")
    else:  # pragma: no cover - a random text would have to be a valid methodology
        pytest.fail(f"accepted as a methodology: {text!r}")


YAMLISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
KEYS = st.sampled_from(
    ["name", "title", "source", "select", "transform", "impute", "treat", "normalise", "weight", "aggregate",
     "classify", "explain", "expected", "!!python/object:os.system", "<<", "*alias"]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(spec=st.dictionaries(KEYS, YAMLISH, min_size=1, max_size=8))
def test_well_formed_yaml_with_wrong_shapes_gives_spec_errors_with_key_paths(spec: dict) -> None:
    import yaml

    text = yaml.safe_dump(spec, allow_unicode=True)
    try:
        Methodology.from_text(text, path="shapes.yaml")
    except SpecErrors as exc:
        assert exc.args and str(exc).startswith("shapes.yaml")
    else:  # pragma: no cover
        pytest.fail(f"accepted as a methodology: {text!r}")


@pytest.mark.parametrize(
    "text",
    [
        "name: [unclosed\n",
        "name: x\n  bad: indentation\n",
        "a: &a [*a]\n",  # a self-referencing alias
        "\t- tab indented\n",
        "name: !!binary |\n  not base64 @@@\n",
        "--- \n--- \n",  # two documents
        "name: x\nname: y\n",  # a repeated key
    ],
)
def test_malformed_yaml(text: str) -> None:
    with pytest.raises(SpecErrors) as e:
        Methodology.from_text(text, path="bad.yaml")
    assert str(e.value).startswith("bad.yaml")


def test_a_spec_file_that_is_not_utf8(tmp_path: Path) -> None:
    spec = tmp_path / "cp1251.yaml"
    spec.write_bytes("name: тест\n".encode("cp1251"))
    with pytest.raises(SpecErrors) as e:
        Methodology.from_yaml(spec)
    assert str(spec) in str(e.value)


_BOMB = """
import resource, sys
# 1 GiB of address space: an expanding bomb fails with MemoryError instead of taking the machine's memory.
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from aimaq.engine.errors import SpecErrors
from aimaq.engine.spec import Methodology

levels = int(sys.argv[1])
lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
for i in range(1, levels):
    lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
lines.append(f"name: *a{levels - 1}")
try:
    Methodology.from_text("\\n".join(lines), path="bomb.yaml")
except SpecErrors as exc:
    print(str(exc)[:2000])
"""


def test_an_alias_bomb_is_refused_quickly() -> None:
    """'Billion laughs' in YAML: 9 levels of 9 aliases (387 million leaves when expanded). Refused within
    10 s and 1 GiB, in a child process, so that a hang cannot take the test run with it."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _BOMB, "9"], capture_output=True, text=True, timeout=10, check=False
        )
    except subprocess.TimeoutExpired:
        done = None
    assert done is not None, "the alias bomb was still being processed after 10 s"
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("bomb.yaml"), done.stdout
