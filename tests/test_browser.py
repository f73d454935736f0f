"""The review app in a real browser: `streamlit run` on 127.0.0.1, driven in Debian's headless Chromium.

Not skipped when Chromium is missing: it fails saying what to install (`make test` installs it).
"""

import sys
import time

import pytest

from scanner.store import Store

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import review_app  # noqa: E402  (tools/ is not a package)


def decided(db, finding_id, verdict, timeout=30):
    """The current decision of a finding once the app has written ``verdict`` on it."""
    deadline = time.monotonic() + timeout
    while True:
        with Store(db) as st:
            [entry] = [e for e in st.queue(st.latest_scan_id()) if e.finding_id == finding_id]
        if entry.decision and entry.decision.verdict == verdict:
            return entry.decision
        if time.monotonic() > deadline:
            pytest.fail(f"finding {finding_id}: {entry.decision} after {timeout} s, not {verdict}")
        time.sleep(0.3)


def test_a_reviewer_decides_a_finding_with_the_keyboard(rumoi_db, model_path, tmp_path):
    with Store(rumoi_db) as st:
        first, second = st.queue(st.latest_scan_id())[:2]
        labels = st.vocabulary.labels
    assert first.finding.category != second.finding.category
    try:
        driver = review_app.chromium()
    except review_app.BrowserMissing as exc:
        pytest.fail(str(exc))
    try:
        with review_app.serve(rumoi_db, model_path, tmp_path / "app.log") as url:
            review_app.open_review(driver, url)
            review_app.enter_reviewer(driver, "鈴木")
            review_app.press(driver, "2")  # 非該当
            assert decided(rumoi_db, first.finding_id, "非該当").reviewer == "鈴木"
            review_app.wait_for(driver, '[data-testid="stAlert"]', text="「非該当」として保存しました")
            shown = review_app.wait_for(driver, ".prov-facts", text=labels[second.finding.category]).text
            assert labels[first.finding.category] not in shown  # moved on to the next finding

            review_app.press(driver, "k")  # back to the one just decided, and change it
            review_app.wait_for(driver, ".prov-decision", text="現在の判定: 非該当")
            review_app.press(driver, "3")
            decided(rumoi_db, first.finding_id, "要確認")
            with Store(rumoi_db) as st:
                assert [d.verdict for d in st.history(first.prov_key, first.finding.category)] == ["非該当", "要確認"]
    finally:
        driver.quit()
