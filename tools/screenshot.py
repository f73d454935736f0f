"""Take a PNG of the review app's provision view, as a reviewer sees it after one decision.

Starts the app on a free port of 127.0.0.1 against the store given, opens it in
headless Chromium, enters a reviewer's name, decides the first finding with the
keyboard (so the picture shows the saved message, the progress bars and the
next finding), and saves the window. ``make screenshots`` runs it on the bundled
sample corpus.

    python tools/screenshot.py --db out/screenshots/review.sqlite --model models/detector.joblib \\
        --out reports/screenshots/provision-view.png
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import review_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="review store with a scan in it")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="PNG to write")
    parser.add_argument("--reviewer", default="佐藤")
    parser.add_argument("--key", default="1", help="key pressed on the first finding (1 = 該当)")
    parser.add_argument("--size", default="1440x1500", help="window width x height")
    args = parser.parse_args(argv)

    width, height = (int(n) for n in args.size.split("x"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    driver = review_app.chromium(width, height)
    try:
        with tempfile.TemporaryDirectory() as tmp, review_app.serve(args.db, args.model, Path(tmp) / "app.log") as url:
            review_app.open_review(driver, url)
            review_app.enter_reviewer(driver, args.reviewer)
            review_app.press(driver, args.key)
            review_app.wait_for(driver, '[data-testid="stAlert"]', text="保存しました")
            time.sleep(1.5)  # let the table and fonts settle
            driver.save_screenshot(str(args.out))
    finally:
        driver.quit()
    print(f"saved {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
