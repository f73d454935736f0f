"""What the review app shows, as plain data and escaped HTML, so that app.py only lays it out.

Every piece of text from a document or a reviewer (titles, captions, provision
text, comments) goes through ``html.escape`` before any markup of ours is put
around it: a ``<script>`` in a 例規 or a 備考 is shown as text.
"""

from __future__ import annotations

import html
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from .export import export
from .models import Provision
from .policies import Vocabulary
from .store import UNDECIDED, Decision, QueueEntry, Scan, Store

STATUS_LABELS = {UNDECIDED: "未判定"}  # the verdicts are their own labels
MODALITY_LABELS = {"obligation": "義務", "permission": "許可", "prohibition": "禁止", "effort": "努力義務",
                   "none": "—"}
STATUS_COLORS = {"未判定": "#b0b7c3", "該当": "#d64545", "非該当": "#3c9a5f", "要確認": "#e0a030"}  # by label
NO_POLICY = "（未選択）"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Keys:
    """One key per action; Streamlit keeps C and R for itself."""

    verdicts: tuple[tuple[str, str], ...] = (("該当", "1"), ("非該当", "2"), ("要確認", "3"))
    next: str = "J"
    previous: str = "K"


KEYS = Keys()

# Used once per page; the classes below are the only markup the provision view adds.
CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
.prov-head { font-size: 0.9rem; color: #555; margin-bottom: 0.2rem; }
.prov-title { font-size: 1.35rem; font-weight: 700; margin: 0; }
.prov-card { border: 1px solid #d0d7de; border-left: 6px solid #e3a008; border-radius: 6px;
             padding: 0.8rem 1rem; background: #fffdf5; color: #1f2328; line-height: 1.9; font-size: 1.05rem; }
.prov-card .caption { font-weight: 700; margin-bottom: 0.2rem; }
.prov-card mark { background: #ffd54f; color: #000; padding: 0 0.15em; border-radius: 3px; font-weight: 700; }
.prov-context { color: #6b7280; font-size: 0.92rem; line-height: 1.7; padding: 0.3rem 1rem;
                border-left: 3px solid #e5e7eb; margin: 0.3rem 0; }
.prov-context .cite { font-weight: 700; }
.prov-decision { font-size: 0.95rem; padding: 0.4rem 0.8rem; border-radius: 6px; background: #eef6ee;
                 color: #1f2328; }
.prov-decision.previous { background: #fff4e5; }
.prov-facts { margin: 0.6rem 0 0.2rem; }
.prov-facts .fact { display: inline-block; margin: 0 0.4rem 0.3rem 0; padding: 0.15rem 0.6rem; border-radius: 999px;
                    background: #eef2f7; color: #1f2328; font-size: 0.95rem; }
.prov-facts .k { color: #6b7280; font-size: 0.8rem; margin-right: 0.2rem; }
</style>"""


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def text_html(text: str) -> str:
    """Escaped text with its line breaks kept (a provision has one line per 号)."""
    return html.escape(text).replace("\n", "<br>")


def highlight(text: str, span: tuple[int, int]) -> str:
    """The provision text as escaped HTML with the trigger span in ``<mark>``; escaping comes first."""
    start, end = span
    if not 0 <= start < end <= len(text):
        return text_html(text)
    return text_html(text[:start]) + "<mark>" + text_html(text[start:end]) + "</mark>" + text_html(text[end:])


def heading_html(entry: QueueEntry) -> str:
    """Title, 例規番号 and citation of a finding, and whether its text changed since the previous scan."""
    f = entry.finding
    parts = [f.number or "", f.citation] + (["条文変更（前回のスキャンから）"] if entry.change == "changed" else [])
    return (f'<div class="prov-title">{html.escape(f.title or f.source)}</div>'
            f'<div class="prov-head">{" ・ ".join(html.escape(p) for p in parts if p)}</div>')


def provision_html(entry: QueueEntry) -> str:
    """The caption and the whole provision text, the trigger marked."""
    f = entry.finding
    caption = f'<div class="caption">{html.escape(f.caption)}</div>' if f.caption else ""
    return f'<div class="prov-card">{caption}{highlight(f.text, f.span)}</div>'


def context_html(prov: Provision) -> str:
    """A neighbouring provision, in grey: citation, caption, text."""
    caption = html.escape(prov.caption) + " " if prov.caption else ""
    return (f'<div class="prov-context"><span class="cite">{html.escape(prov.citation)}</span> '
            f'{caption}{text_html(prov.text)}</div>')


def decision_html(decision: Decision, previous: bool = False) -> str:
    """The current decision (or the one made on an earlier text) with its policy and comment."""
    lead = "前回の判定（条文が変わる前）" if previous else "現在の判定"
    parts = [f"<b>{lead}: {html.escape(decision.verdict)}</b>", html.escape(decision.reviewer),
             html.escape(local_time(decision.decided_at))]
    if decision.policy:
        parts.append("見直し方針: " + html.escape(decision.policy))
    body = " ・ ".join(parts)
    if decision.comment:
        body += "<br>備考: " + text_html(decision.comment)
    return f'<div class="prov-decision{" previous" if previous else ""}">{body}</div>'


def facts_html(entry: QueueEntry, vocab: Vocabulary) -> str:
    """Type, score, modality and the matched words of a finding, on one line."""
    f = entry.finding
    facts = [("規制類型", vocab.labels[f.category]), ("スコア", f"{f.score:.2f}"),
             ("述語", MODALITY_LABELS.get(f.modality, f.modality)), ("該当箇所", f"「{f.matched}」")]
    return '<div class="prov-facts">' + " ".join(
        f'<span class="fact"><span class="k">{k}</span> {html.escape(v)}</span>' for k, v in facts) + "</div>"


def local_time(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def following(ids: list[int], current: int) -> int | None:
    """The finding after ``current`` in the queue as shown, or None at the end."""
    if current not in ids:
        return None
    i = ids.index(current)
    return ids[i + 1] if i + 1 < len(ids) else None


def preceding(ids: list[int], current: int) -> int | None:
    if current not in ids:
        return None
    i = ids.index(current)
    return ids[i - 1] if i > 0 else None


def entry_label(n: int, entry: QueueEntry, vocab: Vocabulary) -> str:
    """One line of the finding picker: number, ordinance, citation, type, score, status."""
    f = entry.finding
    return (f"{n}. {f.title} {f.citation} ・ {vocab.labels[f.category]} ・ {f.score:.2f} ・ "
            f"{status_label(entry.status)}")


def queue_frame(entries: list[QueueEntry], vocab: Vocabulary, current: int | None) -> pd.DataFrame:
    """The queue as a table: one row per finding, ▶ on the one shown."""
    columns = ["", "例規名", "条項号", "規制類型", "スコア", "状態"]
    return pd.DataFrame([["▶" if e.finding_id == current else "", e.finding.title, e.finding.citation,
                          vocab.labels[e.finding.category], e.finding.score, status_label(e.status)]
                         for e in entries], columns=columns)


def scan_label(scan: Scan) -> str:
    """A scan in the picker: id, what was read, how many findings, when."""
    inputs = ", ".join(scan.inputs[:2]) + (f" ほか{len(scan.inputs) - 2}件" if len(scan.inputs) > 2 else "")
    found = f"{scan.findings}件" if scan.findings is not None else "未完了"
    return f"#{scan.id} {inputs}（{found}）{local_time(scan.started_at)}"


def category_counts(store: Store, scan_id: int) -> pd.DataFrame:
    """Flagged findings per type (Japanese name) and status, for a stacked bar chart."""
    counts = store.counts_by_category(scan_id)
    rows = {label: {status_label(s): n for s, n in counts[c].items()}
            for c, label in store.vocabulary.labels.items() if c in counts}
    return _status_frame(rows, store)


def document_counts(store: Store, scan_id: int) -> pd.DataFrame:
    """Flagged findings per ordinance and status."""
    titles = {d.id: d.title or d.source for d in store.documents(scan_id)}
    rows: dict[str, dict[str, int]] = {}
    for doc_id, by in store.counts_by_document(scan_id).items():
        row = rows.setdefault(titles[doc_id], {})
        for s, n in by.items():
            row[status_label(s)] = row.get(status_label(s), 0) + n
    return _status_frame(rows, store)


def reviewer_counts(store: Store, scan_id: int) -> pd.DataFrame:
    """Current decisions per reviewer, and those still undecided."""
    progress = store.progress(scan_id)
    rows = {**progress.by_reviewer, status_label(UNDECIDED): progress.total - progress.decided}
    return pd.DataFrame({"件数": rows})


def _status_frame(rows: dict[str, dict[str, int]], store: Store) -> pd.DataFrame:
    columns = [status_label(s) for s in store.statuses()]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).fillna(0).astype(int)


def export_xlsx(db: Path, scan_id: int) -> bytes:
    """The 点検結果一覧表 of a scan as xlsx bytes, read through a Store of its own (callable from any thread)."""
    with Store(db) as store, tempfile.TemporaryDirectory(prefix="scanner-export-") as tmp:
        out = Path(tmp) / "点検結果.xlsx"
        export(store, out, scan_id)
        return out.read_bytes()
