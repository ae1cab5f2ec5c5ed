# Sourced by scripts/demo and scripts/test: make (once) and use the project's virtual environment.
# PYTHON picks the interpreter (default python3); AR_VENV the folder (default .venv);
# AR_PIP_EXTRA adds requirements to the install, e.g. "wagtail==7.4.*" to test the lowest versions.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${AR_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
  echo "Creating the virtual environment $VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
  "$PY" -m pip install --quiet --upgrade pip
fi
# Reinstall only when pyproject.toml changed since the last install.
STAMP="$VENV/.wagtail_ar-installed"
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  echo "Installing wagtail-amplification-room (editable) with its test extras into $VENV"
  # shellcheck disable=SC2086 # AR_PIP_EXTRA is a list of requirements
  "$PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT[test]" ${AR_PIP_EXTRA:-}
  touch "$STAMP"
fi
cd "$ROOT"
