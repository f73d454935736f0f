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


@pytest.fixture(scope="session")
def model_path(tmp_path_factory) -> Path:
    """A detector trained from corpora/gold/ the way `scanner train` builds it."""
    from scanner.cli import main

    path = tmp_path_factory.mktemp("model") / "detector.joblib"
    assert main(["train", "--model", str(path)]) == 0
    return path


@pytest.fixture
def rumoi_db(tmp_path, model_path) -> Path:
    """The bundled 留萌市 reiki page (第一法規) scanned with --db into a fresh store in tmp."""
    from scanner.cli import main

    db = tmp_path / "reviews" / "review.sqlite"
    assert main(["scan", str(REIKI / "d1law" / "rumoi-akiya-jorei.html"), "--out", str(tmp_path / "out"),
                 "--model", str(model_path), "--db", str(db)]) == 0
    return db
