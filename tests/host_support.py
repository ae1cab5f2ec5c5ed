"""The host matrix's machinery: the wheel, one virtualenv with it, and host projects made from
the small template files of ``tests/hosts/``.

- :func:`shared` makes a folder once per test run, whichever pytest-xdist worker asks first
  (the others wait for it): the wheel and the virtualenv are built once, not once per worker.
- :func:`build_dist` builds the wheel and the sdist (``python -m build``).
- :func:`make_venv` makes a virtualenv and pip installs the wheel and wagtail-localize into it,
  from the pip index the project uses (pip's own configuration): every host runs in it.
- :class:`HostProject` copies ``tests/hosts/common/`` and ``tests/hosts/<name>/`` into a
  project folder (``manage.py``, the package ``hostsite``: settings, URLs, templates) and runs
  ``manage.py`` and ``tests/hosts/smoke.py`` there with the virtualenv's Python.

Used by tests/test_packaging.py (host (a), ``wagtail start``) and tests/test_host_matrix.py.
"""

import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTS = ROOT / "tests" / "hosts"
SMOKE = HOSTS / "smoke.py"
# What the venv gets besides the wheel (the test extra's pin): host (c) translates with it.
LOCALIZE = "wagtail-localize>=1.12"


def run(*args, cwd=ROOT, env=None, timeout=900, check=True):
    """Run a command; with ``check``, fail with the end of its output when it fails."""
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check:
        assert result.returncode == 0, (
            f"{' '.join(map(str, args))} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        return result.stdout
    return result


def shared(tmp_path_factory, name, make):
    """The folder ``name`` of this test run, made by ``make(folder)`` once for all pytest-xdist
    workers (a file lock: the others wait, then find it done)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / name
    done = base / f"{name}.done"  # outside: the dist folder holds the two files only
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def build_dist(outdir):
    run(sys.executable, "-m", "build", "--no-isolation", "--wheel", "--sdist", "--outdir", outdir)


def make_venv(venv, dist):
    (wheel,) = Path(dist).glob("*.whl")
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, LOCALIZE)


def clean_env(**extra):
    """The environment of a host's processes: none of the suite's database or cache settings."""
    env = {**os.environ, **extra}
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"):
        env.pop(name, None)
    env.update(extra)
    return env


class HostProject:
    """A host project in ``folder``, made from ``tests/hosts/<name>/`` on top of
    ``tests/hosts/common/``, run with the virtualenv ``venv``."""

    def __init__(self, name, folder, venv):
        self.name = name
        self.folder = Path(folder)
        self.python = Path(venv) / "bin" / "python"
        package = self.folder / "hostsite"
        shutil.copytree(HOSTS / "common", package, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(
            HOSTS / name, package, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
        )
        shutil.move(package / "manage.py", self.folder / "manage.py")
        (package / "__init__.py").touch()
        if not (package / "settings.py").exists():
            raise FileNotFoundError(f"tests/hosts/{name}/ has no settings.py")
        if not (package / "urls.py").exists():
            shutil.copy(HOSTS / "common" / "urls.py", package / "urls.py")

    def add_app(self, source, name):
        """Copy the app at ``source`` into the project as the top-level package ``name`` (on
        the project's path, which PYTHONPATH holds)."""
        target = self.folder / name
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        return target

    @property
    def database(self):
        return self.folder / "db.sqlite3"

    def env(self, settings="hostsite.settings", **extra):
        return clean_env(DJANGO_SETTINGS_MODULE=settings, PYTHONPATH=str(self.folder), **extra)

    def manage(self, *args, settings="hostsite.settings", check=True, env=None, timeout=900):
        return run(
            self.python,
            "manage.py",
            *args,
            cwd=self.folder,
            env={**self.env(settings), **(env or {})},
            timeout=timeout,
            check=check,
        )

    def smoke(self, *args):
        """Run tests/hosts/smoke.py in the project; its output (it ends with a success line)."""
        return run(self.python, SMOKE, *args, cwd=self.folder, env=self.env())

    @contextlib.contextmanager
    def server(self):
        """``manage.py runserver --noreload`` on a free port with DEBUG on (static files
        served): yields its base URL; the server is always stopped."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = open(self.folder / "runserver.log", "w+")  # noqa: SIM115
        process = subprocess.Popen(
            [str(self.python), "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=self.folder,
            env=self.env(HOST_DEBUG="1"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise AssertionError(f"runserver did not start:\n{log.read()[-3000:]}")
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
