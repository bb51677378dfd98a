"""Run untrusted code (a student's notebook) in a sandbox: no network, a limited view of the
files, a memory cap and a wall-clock limit.

The sandbox is Debian's ``bubblewrap`` (``bwrap``): the program sees the operating system and
the Python environment read-only, one writable working directory, a private ``/tmp``, and nothing
else. The course repository, other submissions and the gradebook are simply not there. Memory is
capped with ``prlimit`` (address space per process), time with a timeout that kills the whole
sandbox.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .defaults import MEMORY_GB, NOTEBOOK_SECONDS

__all__ = [
    "Limits",
    "SandboxResult",
    "SandboxUnavailable",
    "isolation_problem",
    "run_isolated",
    "run_unisolated",
    "stop_run_in_progress",
]

# Read-only system locations a Python program needs; those missing on a machine are skipped.
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc")
# Packages the graded notebooks import from the course's own source tree (public code).
_COURSE_PACKAGES = ("alignment_lab", "autograder")


class SandboxUnavailable(RuntimeError):
    """Isolation cannot be set up on this machine; the message says why and how to fix it."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandboxed run.

    Attributes:
        wall_seconds: the whole run is killed after this many seconds (default
            :data:`autograder.defaults.NOTEBOOK_SECONDS`).
        memory_bytes: address-space cap per process (``RLIMIT_AS``), in bytes; ``None`` for none
            (default :data:`autograder.defaults.MEMORY_GB`). PyTorch alone reserves about 1 GB
            of address space, so keep this well above 2 GB.
    """

    wall_seconds: float = NOTEBOOK_SECONDS
    memory_bytes: int | None = int(MEMORY_GB * 1024**3)

    @property
    def memory_text(self) -> str:
        """The memory cap for messages, e.g. ``"4.0 GB"``, or ``"no cap"``."""
        return "no cap" if self.memory_bytes is None else f"{self.memory_bytes / 1024**3:.1f} GB"

    def __post_init__(self) -> None:
        if self.wall_seconds <= 0:
            raise ValueError(f"wall_seconds must be positive, got {self.wall_seconds}.")
        if self.memory_bytes is not None and self.memory_bytes < 64 * 1024**2:
            raise ValueError(
                f"memory_bytes must be at least 64 MB (or None), got {self.memory_bytes}."
            )


@dataclass(frozen=True)
class SandboxResult:
    """What happened to one sandboxed run.

    Attributes:
        returncode: the program's exit status; negative for death by a signal (as subprocess).
        stdout: its standard output, decoded.
        stderr: its standard error, decoded.
        timed_out: True if the wall-clock limit killed it.
    """

    returncode: int
    stdout: str
    stderr: str
    timed_out: bool

    @property
    def killed_by(self) -> str | None:
        """Name of the signal that ended the program (e.g. ``"SIGKILL"``), if any."""
        if self.returncode < 0:
            return signal.Signals(-self.returncode).name
        if self.returncode > 128:  # bwrap reports a child's death by signal as 128 + signal
            try:
                return signal.Signals(self.returncode - 128).name
            except ValueError:
                return None
        return None


def isolation_problem() -> str | None:
    """Why sandboxing is unavailable here, or None if ``run_isolated`` can work."""
    missing = [tool for tool in ("bwrap", "prlimit") if shutil.which(tool) is None]
    if missing:
        return (
            f"{' and '.join(missing)} not found: install Debian's bubblewrap and util-linux "
            "(`apt-get install -y bubblewrap util-linux`, done by `make` when run as root)."
        )
    probe = subprocess.run(
        ["bwrap", "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        return (
            "bubblewrap is installed but cannot create a sandbox here "
            f"({probe.stderr.strip() or 'exit ' + str(probe.returncode)}); it needs user "
            "namespaces, or root."
        )
    return None


def _python_dirs() -> list[Path]:
    """The interpreter's installation and environment, and the course packages' sources.

    The packages are found without importing them: importing ``alignment_lab`` loads torch,
    which cost every grading worker about a second before its first notebook.
    """
    dirs = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    for name in _COURSE_PACKAGES:
        spec = importlib.util.find_spec(name)
        for entry in (spec.submodule_search_locations or []) if spec else []:
            dirs.add(Path(entry).resolve())
    return sorted(dirs)


def bwrap_command(argv: Sequence[str], workdir: Path) -> list[str]:
    """The ``bwrap`` command line that runs ``argv`` with ``workdir`` as its only writable place.

    The view: system directories and the Python environment read-only; ``workdir`` read-write
    (also the working directory and ``$HOME``); a private ``/tmp``; fresh ``/dev`` and ``/proc``;
    everything else read-only; new network (only loopback), PID, IPC and UTS namespaces; a clean
    environment.
    """
    workdir = Path(workdir).resolve()
    command = ["bwrap", "--die-with-parent", "--new-session", "--unshare-all"]
    for directory in _SYSTEM_DIRS:
        if Path(directory).is_symlink():  # merged /usr: /bin -> usr/bin
            command += ["--symlink", os.readlink(directory), directory]
        elif Path(directory).exists():
            command += ["--ro-bind", directory, directory]
    # A private /tmp first: the environment or the workdir may themselves live under /tmp
    # (a CI checkout), and binds made before the tmpfs would be hidden by it.
    command += ["--tmpfs", "/tmp"]
    for directory in _python_dirs():
        command += ["--ro-bind", str(directory), str(directory)]
    command += [
        "--dev", "/dev",
        "--proc", "/proc",
        "--bind", str(workdir), str(workdir),
        "--remount-ro", "/",
        "--chdir", str(workdir),
        "--clearenv",
        "--setenv", "PATH", f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "--setenv", "HOME", str(workdir),
        "--setenv", "MPLBACKEND", "Agg",
        "--setenv", "OMP_NUM_THREADS", "1",
        "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
        "--",
    ]  # fmt: skip
    return command + list(argv)


def run_isolated(argv: Sequence[str], workdir: Path, limits: Limits | None = None) -> SandboxResult:
    """Run ``argv`` in the sandbox with ``workdir`` as its only writable directory.

    Args:
        argv: the program and its arguments, e.g. ``[sys.executable, "-c", "print(1)"]``.
        workdir: an existing directory holding everything the program may see of the grading.
        limits: wall-clock and memory limits; default :class:`Limits`.

    Returns:
        A :class:`SandboxResult`; a program that fails or is killed is a result, not an error.

    Raises:
        SandboxUnavailable: if bubblewrap cannot run here (the message says how to fix it).
        FileNotFoundError: if ``workdir`` does not exist.
    """
    problem = isolation_problem()
    if problem:
        raise SandboxUnavailable(problem)
    return _run_limited(bwrap_command(argv, Path(workdir).resolve()), workdir, limits)


def run_unisolated(
    argv: Sequence[str], workdir: Path, limits: Limits | None = None
) -> SandboxResult:
    """Run ``argv`` in ``workdir`` with the same limits but no sandbox: it sees what you see.

    Only for an instructor who has accepted that risk (``--no-isolation``). Same arguments,
    result and ``FileNotFoundError`` as :func:`run_isolated`.
    """
    return _run_limited(list(argv), workdir, limits)


# The run this process has in progress, for stop_run_in_progress (one at a time per process).
_running: subprocess.Popen | None = None


def stop_run_in_progress() -> None:
    """Kill the run this process has in progress, if any, with its whole session (for a
    sandboxed run: the sandbox and everything in it)."""
    if _running is not None and _running.poll() is None:
        os.killpg(_running.pid, signal.SIGKILL)


def _run_limited(command: list[str], workdir: Path, limits: Limits | None) -> SandboxResult:
    """Run ``command`` in ``workdir`` under the memory cap; kill its whole session on time-out."""
    global _running
    limits = limits or Limits()
    workdir = Path(workdir)
    if not workdir.is_dir():
        raise FileNotFoundError(f"workdir {workdir} does not exist; create it first.")
    if limits.memory_bytes is not None:
        command = ["prlimit", f"--as={limits.memory_bytes}", "--", *command]
    process = subprocess.Popen(
        command,
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    _running = process
    try:
        stdout, stderr = process.communicate(timeout=limits.wall_seconds)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the kernel too, not only its parent
        stdout, stderr = process.communicate()
        timed_out = True
    finally:
        _running = None
    return SandboxResult(process.returncode, stdout, stderr, timed_out)
