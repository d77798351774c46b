# SPDX-License-Identifier: GPL-3.0-or-later
"""cmake --install and cpack -G DEB put the binary, the man pages and the completions where the
system looks for them; the unpacked package runs."""
import glob
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
    assert os.path.exists(os.path.join(p, "share", "man", "man1", "netkit.1"))
    assert os.path.exists(os.path.join(p, "share", "bash-completion", "completions", "netkit"))
    assert os.path.exists(os.path.join(p, "share", "zsh", "vendor-completions", "_netkit"))
    assert os.path.exists(os.path.join(p, "share", "fish", "vendor_completions.d", "netkit.fish"))
    out = sh(os.path.join(p, "bin", "netkit"), "--version")
    assert out.startswith("netkit ")
    page = sh("man", "-l", os.path.join(p, "share", "man", "man1", "netkit.1"),
              env=dict(os.environ, MANPAGER="cat", PAGER="cat", MANWIDTH="80"))
    assert "network diagnostics" in page


def test_cmake_install_with_destdir(tmp_path):
    sh("cmake", "--install", BUILD, "--prefix", "/opt/nk", env=dict(os.environ,
       DESTDIR=str(tmp_path)))
    check_tree(str(tmp_path), "/opt/nk")


def test_deb_package(tmp_path):
    sh("cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B",
       str(tmp_path / "out"), cwd=str(tmp_path))
    debs = glob.glob(str(tmp_path / "out" / "*.deb"))
    assert len(debs) == 1
    depends = sh("dpkg-deb", "-f", debs[0], "Depends")
    for lib in ["libc-ares2", "libmnl0", "libjansson4", "libreadline8", "libidn2-0"]:
        assert lib in depends, depends
    root = tmp_path / "root"
    sh("dpkg-deb", "-x", debs[0], str(root))
    check_tree(str(root), "/usr")
