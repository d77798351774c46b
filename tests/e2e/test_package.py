# SPDX-License-Identifier: GPL-3.0-or-later
"""cmake --install and cpack -G DEB put the binary, the man pages, the completions, the copyright
and the changelog where the system looks for them; the unpacked package runs; Debian's own
checker, lintian, finds no error and no warning in the package of a Release build."""
import glob
import gzip
import os
import subprocess

import pytest

from conftest import SOURCE

BUILD = os.environ.get("NETKIT_BUILD", os.path.join(SOURCE, "build"))


def sh(*cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kw)
    assert r.returncode == 0, f"{cmd}: {r.stdout}\n{r.stderr}"
    return r.stdout


def check_tree(root, prefix):
    p = os.path.join(root, prefix.lstrip("/"))
    assert os.access(os.path.join(p, "bin", "netkit"), os.X_OK)
    # Man pages gzip -9n'd (Debian policy); man reads them as they are.
    for page in glob.glob(os.path.join(SOURCE, "man", "*.1")):
        assert os.path.exists(os.path.join(p, "share", "man", "man1",
                                           os.path.basename(page) + ".gz")), page
    doc = os.path.join(p, "share", "doc", "netkit")
    with open(os.path.join(doc, "copyright")) as f:
        assert f.readline().startswith("Format: https://www.debian.org/doc/packaging-manuals/"
                                       "copyright-format/1.0/")
    with gzip.open(os.path.join(doc, "changelog.gz"), "rt") as f:
        top = f.readline()
    assert os.path.exists(os.path.join(p, "share", "bash-completion", "completions", "netkit"))
    assert os.path.exists(os.path.join(p, "share", "zsh", "vendor-completions", "_netkit"))
    assert os.path.exists(os.path.join(p, "share", "fish", "vendor_completions.d", "netkit.fish"))
    out = sh(os.path.join(p, "bin", "netkit"), "--version")
    assert out.startswith("netkit ")
    assert top.startswith(f"netkit ({out.split()[1]}) "), f"changelog's last entry: {top}"
    page = sh("man", "-l", os.path.join(p, "share", "man", "man1", "netkit.1.gz"),
              env=dict(os.environ, MANPAGER="cat", PAGER="cat", MANWIDTH="80"))
    assert "network diagnostics" in page


def test_cmake_install_with_destdir(tmp_path):
    sh("cmake", "--install", BUILD, "--prefix", "/opt/nk", env=dict(os.environ,
       DESTDIR=str(tmp_path)))
    check_tree(str(tmp_path), "/opt/nk")


@pytest.fixture(scope="module")
def release_build():
    """A Release tree of this source, as a distribution would package it (the tree under test
    may carry sanitizers); kept in $NETKIT_BUILD so a second run only rebuilds what changed."""
    tree = os.path.join(BUILD, "package-release")
    sh("cmake", "-S", SOURCE, "-B", tree, "-DCMAKE_BUILD_TYPE=Release", "-DNETKIT_TESTS=OFF",
       "-DNETKIT_SANITIZE=OFF", "-DNETKIT_TSAN=OFF", "-DNETKIT_FUZZ=OFF")
    sh("cmake", "--build", tree, "-j2")
    return tree


def test_deb_package(tmp_path, release_build):
    sh("cpack", "-G", "DEB", "--config", os.path.join(release_build, "CPackConfig.cmake"), "-B",
       str(tmp_path / "out"), cwd=str(tmp_path))
    debs = glob.glob(str(tmp_path / "out" / "*.deb"))
    assert len(debs) == 1
    depends = sh("dpkg-deb", "-f", debs[0], "Depends")
    for lib in ["libc-ares2", "libmnl0", "libjansson4", "libreadline8", "libidn2-0"]:
        assert lib in depends, depends
    root = tmp_path / "root"
    sh("dpkg-deb", "-x", debs[0], str(root))
    check_tree(str(root), "/usr")
    # lintian: errors (E:) and warnings (W:) fail; info, pedantic and notes do not.
    r = subprocess.run(["lintian", "--fail-on", "error,warning", debs[0]], capture_output=True,
                       text=True, timeout=600)
    found = [l for l in r.stdout.splitlines() if l.startswith(("E:", "W:"))]
    assert not found and r.returncode == 0, "\n".join(found) or r.stdout + r.stderr
