from pathlib import Path

import pytest

from scanner.corpus import egov_laws

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
REIKI = SAMPLES / "reiki"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = Path(__file__).resolve().parent / "expected"


@pytest.fixture(scope="session")
def egov_dir() -> Path:
    """The 2,072 shared e-Gov Acts, unpacked once into .cache/."""
    return egov_laws()
