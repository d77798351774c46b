# SPDX-License-Identifier: GPL-3.0-or-later
"""Every external program the end-to-end tests start, in one place.

install() (called once by conftest.py) hooks the two ways a test starts a program: subprocess
(an audit hook sees every Popen, whoever calls it: conftest, knot.py, the tests themselves) and
pexpect (its spawn is wrapped). Each program is resolved with shutil.which and written to
$NETKIT_BUILD/e2e-programs/<test file>.txt; e2e.test_programs, which ctest runs after every
other end-to-end test, maps each to its Debian package and fails unless packages.txt installs
it. Wrappers (ip netns exec, prlimit, setpriv) are looked through to the program they run.

A program that is not installed fails at once with the package to install, instead of a
cryptic error (or a wrong comparison) later in the test.
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("NETKIT_SOURCE", os.path.abspath(os.path.join(HERE, "..", "..")))
BUILD = os.environ.get("NETKIT_BUILD", os.path.join(SOURCE, "build"))
RECORDS = os.path.join(BUILD, "e2e-programs")

# Only for the message when a program is missing (dpkg -S knows installed files only). The
# check itself asks dpkg, never this table.
PACKAGE_OF = {
    "dig": "bind9-dnsutils",
    "knotd": "knot",
    "mandoc": "mandoc",
    "man": "man-db",
    "zsh": "zsh",
    "fish": "fish",
    "ip": "iproute2",
    "ping": "iputils-ping",
    "sysctl": "procps",
    "cmake": "cmake",
    "cpack": "cmake",
    "lintian": "lintian",
    "dpkg-shlibdeps": "dpkg-dev",
}


class MissingProgram(FileNotFoundError):
    """A program a test needs is not installed (an OSError, so code that probes still works)."""


def packages_txt():
    """The packages README's first command installs."""
    with open(os.path.join(SOURCE, "packages.txt")) as f:
        return {l.strip() for l in f if l.strip() and not l.lstrip().startswith("#")}


def missing_message(name):
    pkg = PACKAGE_OF.get(name)
    if not pkg:
        return (f"{name}: not installed; install the Debian package that provides it and list "
                "that package in packages.txt")
    listed = "packages.txt lists it" if pkg in packages_txt() else "add it to packages.txt"
    return (f"{name}: not installed; it comes from Debian package {pkg} ({listed}): run the "
            "README's first command")


def _inner(argv):
    """The program a wrapper runs, or None: ip netns exec NS CMD, prlimit/setpriv [-opts] CMD."""
    name = os.path.basename(argv[0])
    if name == "ip" and len(argv) > 4 and argv[1:3] == ["netns", "exec"]:
        return argv[4:]
    if name in ("prlimit", "setpriv"):
        rest = argv[1:]
        while rest and rest[0].startswith("-"):
            rest = rest[1:]
        return rest or None
    return None


class Recorder:
    """The programs one pytest run started: name -> resolved path (None: not installed)."""

    def __init__(self, path):
        self.path = path  # the record file of this run
        self.seen = {}    # program as given -> resolved path or None

    def record(self, argv, env=None):
        """Resolve argv[0] (and what a wrapper runs); raise MissingProgram if absent."""
        while argv:
            prog = os.fsdecode(argv[0])
            search = (env or os.environ).get("PATH", os.defpath)
            if isinstance(search, bytes):
                search = os.fsdecode(search)
            where = shutil.which(prog, path=search)
            if prog not in self.seen:
                self.seen[prog] = where
                self._save()
            if where is None:
                raise MissingProgram(missing_message(os.path.basename(prog)))
            argv = _inner([os.fsdecode(a) for a in argv])

    def _save(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            for prog, where in sorted(self.seen.items()):
                f.write(f"{prog}\t{where or '-'}\n")
        os.replace(tmp, self.path)


_recorder = None


def install(run_name):
    """Start recording for this pytest run (run_name: the test file's name)."""
    global _recorder
    if _recorder:
        return _recorder
    _recorder = Recorder(os.path.join(RECORDS, run_name + ".txt"))

    def hook(event, args):
        if event == "subprocess.Popen":
            executable, argv, _cwd, env = args
            argv = list(argv)
            if executable is not None and argv:
                argv[0] = executable
            _recorder.record(argv, env)
        elif event == "os.posix_spawn":
            _recorder.record([args[0], *list(args[1])[1:]], args[2])

    sys.addaudithook(hook)

    import pexpect  # python3-pexpect (packages.txt)
    import pexpect.utils

    spawn = pexpect.spawn._spawn

    def recorded_spawn(self, command, args=[], *a, **kw):
        # Without args pexpect splits the command string itself.
        argv = [command, *args] if args else pexpect.utils.split_command_line(command)
        _recorder.record(argv, self.env)
        return spawn(self, command, args, *a, **kw)

    pexpect.spawn._spawn = recorded_spawn
    return _recorder
