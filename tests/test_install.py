"""What `make install` installs: requirements.lock, then the package with --no-deps, so
a dependency missing from the lock is missing on every user's machine."""

from __future__ import annotations

import re
import tomllib

from indexer.settings import REPO_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].casefold().replace("_", "-")


def test_every_dependency_is_pinned_in_the_lock_at_the_same_version():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lock = {}
    for line in (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("==", 1)
            lock[_name(name)] = version.split(";")[0].strip()
    missing, differ = [], []
    for req in project["project"]["dependencies"]:
        name = _name(req)
        if name not in lock:
            missing.append(name)
        elif "==" in req and req.split("==", 1)[1].split(";")[0].strip() != lock[name]:
            differ.append(f"{name}: {req} vs lock {lock[name]}")
    assert not missing, f"not in requirements.lock: {missing}"
    assert not differ, differ
