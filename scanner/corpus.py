"""Where the shared corpora are: ``../shared/corpora`` beside the repository.

The e-Gov tarball is unpacked once into ``.cache/`` of the repository (or the
folder named by ``SCANNER_CACHE``); tests, the benchmark and the gold tools all
read the Acts from there.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EGOV_TARBALL = "egov-laws-2025-05.tar.xz"


def shared_corpora() -> Path:
    return Path(os.environ.get("SCANNER_SHARED_CORPORA", REPO.parent / "shared" / "corpora"))


def egov_laws() -> Path:
    """The folder of the 2,072 e-Gov Acts, unpacked on first use."""
    cache = Path(os.environ.get("SCANNER_CACHE", REPO / ".cache"))
    target = cache / "egov-laws"
    done = cache / ".egov-laws.unpacked"
    if not done.exists():
        tarball = shared_corpora() / EGOV_TARBALL
        if not tarball.exists():
            raise FileNotFoundError(f"{tarball} not found: the shared corpora must sit beside the repository")
        cache.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as tf:
            tf.extractall(cache, filter="data")
        done.touch()
    return target
