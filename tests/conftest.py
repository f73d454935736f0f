import os
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from scanner.corpus import egov_laws

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
REIKI = SAMPLES / "reiki"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = Path(__file__).resolve().parent / "expected"

# Property tests: a few examples each in the default run (the fuzz file stays under ~20 s),
# thousands with `make fuzz` (--hypothesis-profile=fuzz). Reading a mutated Act takes
# milliseconds to tens of them, so no per-example deadline.
_UNHURRIED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("default", max_examples=200, **_UNHURRIED)
settings.register_profile("fuzz", max_examples=5000, **_UNHURRIED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Generated cases actually run, per property: printed at the end of the session.
FUZZ_CASES: Counter = Counter()
_STARTED = time.monotonic()


def count_case(name: str) -> None:
    FUZZ_CASES[name] += 1


def pytest_terminal_summary(terminalreporter):
    if FUZZ_CASES:
        total = sum(FUZZ_CASES.values())
        terminalreporter.write_sep("-", f"property tests: {total:,} generated cases in {len(FUZZ_CASES)} "
                                        f"properties ({settings.default.max_examples} examples each asked; "
                                        f"session {time.monotonic() - _STARTED:.0f} s)")
        for name, n in sorted(FUZZ_CASES.items()):
            terminalreporter.write_line(f"  {n:7,}  {name}")


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
