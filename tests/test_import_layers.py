"""The import layers of the package: the contracts of ``[tool.importlinter]`` in pyproject.toml.

``lint-imports`` reads every import, function-local ones too; import-linter is in the ``test``
extra, so a missing ``lint-imports`` fails here rather than skipping.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def run_lint_imports(*args):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_keeps_its_import_contracts():
    result = run_lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_contract_fails_the_check(tmp_path):
    # The models import the choices: a contract forbidding that import must fail.
    config = tmp_path / "importlinter.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_package = "wagtail_ar"\n'
        "\n"
        "[[tool.importlinter.contracts]]\n"
        'name = "The models do not import the choices"\n'
        'type = "forbidden"\n'
        'source_modules = ["wagtail_ar.models"]\n'
        'forbidden_modules = ["wagtail_ar.choices"]\n'
    )
    result = run_lint_imports("--config", str(config))
    assert result.returncode != 0, result.stdout + result.stderr
    assert "BROKEN" in result.stdout, result.stdout + result.stderr
