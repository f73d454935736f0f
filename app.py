"""The review app: go through the findings of a scan and record 該当 / 非該当 / 要確認 for each.

    streamlit run app.py --server.address 127.0.0.1      (make run does this)

Reads and writes the review store at ``SCANNER_DB`` (default reviews/review.sqlite)
and scans new material with the model at ``SCANNER_MODEL`` (default
models/detector.joblib). Only layout lives here: the store (scanner/store.py)
holds the data, scanner/review.py turns it into what is shown, scanner/scan.py
and scanner/uploads.py scan new material the way ``scanner scan --db`` does.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import streamlit as st

from scanner import review, uploads
from scanner.detect import DEFAULT_MODEL, Detector, ModelMismatch
from scanner.scan import record_scan
from scanner.sources import Limits
from scanner.sources.inputs import MB
from scanner.store import DEFAULT_PATH, InvalidDecision, QueueEntry, Store

DB = Path(os.environ.get("SCANNER_DB") or DEFAULT_PATH)
MODEL = Path(os.environ.get("SCANNER_MODEL") or DEFAULT_MODEL)
KEYS = review.KEYS


@st.cache_resource(show_spinner="検出モデルを読み込んでいます…")
def detector(path: str) -> Detector:
    """One detector per server process, shared by every session."""
    return Detector.load(Path(path))


def main() -> None:
    st.set_page_config(page_title="アナログ規制 点検", page_icon=":material/fact_check:", layout="wide")
    st.html(review.CSS)
    head, who = st.columns([3, 1], vertical_alignment="bottom")
    head.title("アナログ規制 点検")
    reviewer = who.text_input("担当者名", key="reviewer", placeholder="例: 佐藤",
                              help="判定には担当者名が必要です").strip()
    with Store(DB) as store:  # one connection per script run: Streamlit may run the next one on another thread
        scan_id = sidebar(store)
        if scan_id is None:
            st.info("まだスキャンがありません。左の「新しくスキャン」でフォルダかファイルを読み込んでください。")
            return
        review_tab, charts_tab = st.tabs(["点検", "集計"])
        with review_tab:
            review_page(store, scan_id, reviewer)
        with charts_tab:
            charts(store, scan_id)


# -- sidebar: scans, new material, filters, export ---------------------------
def sidebar(store: Store) -> int | None:
    with st.sidebar:
        if "pending_scan" in st.session_state:  # set by a scan that just finished, before the picker exists
            st.session_state["scan_pick"] = st.session_state.pop("pending_scan")
        scans = {s.id: s for s in reversed(store.scans())}
        scan_id = st.selectbox("スキャン", list(scans), key="scan_pick",
                               format_func=lambda i: review.scan_label(scans[i])) if scans else None
        new_scan(store)
        if scan_id is None:
            return None
        filters(store, scan_id)
        st.divider()
        st.download_button("点検結果一覧表 (xlsx) をダウンロード", data=lambda: review.export_xlsx(DB, scan_id),
                           file_name=f"点検結果-scan{scan_id}.xlsx", mime=review.XLSX_MIME, icon=":material/download:",
                           on_click="ignore", width="stretch")
    return scan_id


def new_scan(store: Store) -> None:
    report = st.session_state.pop("scan_report", None)
    with st.expander("新しくスキャン", expanded=report is not None):
        if report:
            show_scan_report(*report)
        limit = st.get_option("server.maxUploadSize")  # MB, from .streamlit/config.toml
        with st.form("scan_form", clear_on_submit=True):
            folder = st.text_input("サーバー上のフォルダまたはファイル", key="scan_path",
                                   placeholder="corpora/samples",
                                   help="許可されたフォルダ: " + ", ".join(map(str, uploads.allowed_roots())))
            files = st.file_uploader(f"または例規のファイル（HTML・e-Gov XML・テキスト・zip、合計 {limit} MB まで）",
                                     type=[s.lstrip(".") for s in uploads.UPLOAD_SUFFIXES],
                                     accept_multiple_files=True, key="scan_files")
            if not st.form_submit_button("スキャンする", icon=":material/search:"):
                return
        try:
            scanner = detector(str(MODEL))
        except (FileNotFoundError, ModelMismatch) as exc:
            st.error(f"検出モデルを読み込めません: {exc}")
            return
        with tempfile.TemporaryDirectory(prefix="scanner-app-") as tmp:
            if files:
                got = [uploads.Upload(f.name, f.getvalue()) for f in files]
                problems = uploads.check_sizes(got, limit * MB, limit * MB)
                if problems:
                    st.error("スキャンしませんでした:\n\n" + "\n".join(f"- {p}" for p in problems))
                    return
                staged = uploads.stage(got, Path(tmp))
                inputs, described, source_name = staged.paths, staged.described, staged.source_name
            else:
                try:
                    path = uploads.server_path(folder, uploads.allowed_roots())
                except uploads.InputRefused as exc:
                    st.error(str(exc))
                    return
                inputs, described, source_name = [path], [str(path)], None
            errors = []
            with st.spinner("スキャンしています…"):
                model = {"path": str(MODEL), **scanner.versions, "rejected": False}  # as `scanner scan --db` says
                scan_id, summary = record_scan(store, inputs, Path(tmp) / "out", Limits(), scanner.findings, model,
                                               described=described, on_error=errors.append, source_name=source_name)
        st.session_state["pending_scan"] = scan_id
        st.session_state["scan_report"] = (scan_id, summary.documents, summary.findings,
                                           [(e.source, e.reason) for e in errors])
        st.rerun()


def show_scan_report(scan_id: int, documents: int, findings: int, errors: list[tuple[str, str]]) -> None:
    if documents:
        st.success(f"スキャン #{scan_id}: {documents} 件の例規を読み、{findings} 件を検出しました。")
    else:
        st.error(f"スキャン #{scan_id}: 読める例規がありませんでした。")
    if errors:
        st.warning(f"{len(errors)} 件のファイルを読めませんでした:")
        st.dataframe([{"ファイル": source, "理由": reason} for source, reason in errors], hide_index=True)


def filters(store: Store, scan_id: int) -> None:
    vocab = store.vocabulary
    st.subheader("絞り込み")
    st.selectbox("規制類型", [None, *vocab.labels], key="f_category",
                 format_func=lambda c: "すべて" if c is None else vocab.labels[c])
    docs = {d.id: d for d in store.documents(scan_id)}
    if st.session_state.get("f_document") not in docs:
        st.session_state.pop("f_document", None)  # a document of another scan: back to すべて
    st.selectbox("例規", [None, *docs], key="f_document",
                 format_func=lambda d: "すべて" if d is None else f"{docs[d].title} {docs[d].number or ''}")
    st.selectbox("状態", [None, *store.statuses()], key="f_status",
                 format_func=lambda s: "すべて" if s is None else review.status_label(s))
    st.slider("最低スコア", 0.0, 1.0, 0.0, 0.05, key="f_min_score")
    st.checkbox("前回のスキャンから条文が変わったものだけ", key="f_changed")


def queue(store: Store, scan_id: int) -> list[QueueEntry]:
    state = st.session_state
    return store.queue(scan_id, category=state.get("f_category"), document_id=state.get("f_document"),
                       status=state.get("f_status"), min_score=state.get("f_min_score") or None,
                       changed_only=bool(state.get("f_changed")))


# -- the queue and one finding -----------------------------------------------
def review_page(store: Store, scan_id: int, reviewer: str) -> None:
    flash = st.session_state.pop("flash", None)
    if flash:
        (st.success if flash[0] == "ok" else st.error)(flash[1])
    entries = queue(store, scan_id)
    progress_bars(store, scan_id, reviewer)
    if not entries:
        st.info("条件に合う検出はありません。絞り込みを変えてください。")
        return
    ids = [e.finding_id for e in entries]
    at = {finding_id: n for n, finding_id in enumerate(ids)}
    if st.session_state.get("current") not in at:
        st.session_state["current"] = ids[0]
    left, right = st.columns([5, 6], gap="medium")
    with left:
        st.selectbox(f"検出 {len(ids)} 件（スコア順）", ids, key="current",
                     format_func=lambda i: review.entry_label(at[i] + 1, entries[at[i]], store.vocabulary))
        st.dataframe(review.queue_frame(entries, store.vocabulary, st.session_state["current"]),
                     hide_index=True, height=min(35 * (len(entries) + 1) + 3, 600),
                     column_config={"": st.column_config.TextColumn(width=24),
                                    "例規名": st.column_config.TextColumn(width=110),
                                    "条項号": st.column_config.TextColumn(width=88),
                                    "規制類型": st.column_config.TextColumn(width=80),
                                    "スコア": st.column_config.NumberColumn(format="%.2f", width=54),
                                    "状態": st.column_config.TextColumn(width=58)})
    with right:
        entry = entries[at[st.session_state["current"]]]
        provision_view(store, entry)
        decision_form(store, entry, ids, reviewer)


def progress_bars(store: Store, scan_id: int, reviewer: str) -> None:
    progress = store.progress(scan_id)
    total = max(progress.total, 1)
    overall, mine = st.columns(2)
    overall.progress(progress.decided / total, text=f"全体: {progress.decided} / {progress.total} 件 判定済み")
    if reviewer:
        own = progress.by_reviewer.get(reviewer, 0)
        mine.progress(own / total, text=f"{reviewer}: {own} / {progress.total} 件")


def provision_view(store: Store, entry: QueueEntry) -> None:
    st.html(review.heading_html(entry))
    before, after = store.neighbours(entry.provision_id)
    for prov in before:
        st.html(review.context_html(prov))
    st.html(review.provision_html(entry))
    for prov in after:
        st.html(review.context_html(prov))
    st.html(review.facts_html(entry, store.vocabulary))
    if entry.decision:
        st.html(review.decision_html(entry.decision))
    elif entry.previous:
        st.html(review.decision_html(entry.previous, previous=True))


def decision_form(store: Store, entry: QueueEntry, ids: list[int], reviewer: str) -> None:
    fid, current = entry.finding_id, entry.decision or entry.previous
    options = [review.NO_POLICY, *store.vocabulary.policies[entry.finding.category]]
    policy_at = options.index(current.policy) if current and current.policy in options else 0
    policy, comment = st.columns(2)
    policy.selectbox("見直し方針", options, index=policy_at, key=f"policy-{fid}")
    comment.text_area("備考", value=(current.comment or "") if current else "", key=f"comment-{fid}", height=68)
    if not reviewer:
        st.warning("判定するには、上の「担当者名」を入力してください。")
    buttons = st.columns(5)
    for col, (verdict, key) in zip(buttons, KEYS.verdicts):
        col.button(verdict, key=f"verdict-{verdict}", shortcut=key, disabled=not reviewer, width="stretch",
                   type="primary" if entry.decision and entry.decision.verdict == verdict else "secondary",
                   on_click=decide, args=(entry, verdict, ids))
    before, after = review.preceding(ids, fid), review.following(ids, fid)
    buttons[3].button("前へ", key="previous", shortcut=KEYS.previous, disabled=before is None, width="stretch",
                      on_click=go, args=(before,))
    buttons[4].button("次へ", key="next", shortcut=KEYS.next, disabled=after is None, width="stretch",
                      on_click=go, args=(after,))
    keys = " ・ ".join(f"{k} {v}" for v, k in KEYS.verdicts)
    st.caption(f"キー: {keys} ・ {KEYS.next} 次へ ・ {KEYS.previous} 前へ"
               "（入力欄の中では効きません。Tab か Esc で抜けてから）")
    f = entry.finding
    with st.expander("検出理由と発火したルール", expanded=True):
        st.text("\n".join(f.reasons))
        st.caption("ルール: " + ", ".join(f.rules))
    history = store.history(entry.prov_key, f.category)
    if history:
        with st.expander(f"判定の履歴（{len(history)} 件）"):
            st.dataframe([{"判定日時": review.local_time(d.decided_at), "担当者": d.reviewer, "判定": d.verdict,
                           "見直し方針": d.policy or "", "備考": d.comment or "",
                           "条文": "この条文" if d.text_hash == entry.text_hash else "変更前の条文"}
                          for d in reversed(history)], hide_index=True)


def go(finding_id: int | None) -> None:
    if finding_id is not None:
        st.session_state["current"] = finding_id


def decide(entry: QueueEntry, verdict: str, ids: list[int]) -> None:
    """Button callback: save the decision, then show the next finding of the queue as it was shown."""
    state, fid = st.session_state, entry.finding_id
    policy = state.get(f"policy-{fid}")
    with Store(DB) as store:  # callbacks run before the page's own Store is opened
        try:
            store.save_decision(entry.prov_key, entry.finding.category, entry.text_hash, state.get("reviewer", ""),
                                verdict, None if policy == review.NO_POLICY else policy,
                                state.get(f"comment-{fid}") or None)
        except InvalidDecision as exc:
            state["flash"] = ("error", f"保存できませんでした: {exc}")
            return
        label = store.vocabulary.labels[entry.finding.category]
    f = entry.finding
    state["flash"] = ("ok", f"{f.title} {f.citation}（{label}）を「{verdict}」として保存しました。")
    go(review.following(ids, fid))


# -- charts --------------------------------------------------------------------
def charts(store: Store, scan_id: int) -> None:
    by_type, by_reviewer = st.columns(2)
    with by_type:
        st.subheader("規制類型ごとの検出数")
        status_chart(review.category_counts(store, scan_id))
    with by_reviewer:
        st.subheader("判定の進み具合")
        st.bar_chart(review.reviewer_counts(store, scan_id), horizontal=True, sort=False)
    st.subheader("例規ごとの検出数")
    status_chart(review.document_counts(store, scan_id))


def status_chart(counts) -> None:
    """Counts per status, stacked in the statuses' colours."""
    st.bar_chart(counts, horizontal=True, stack=True, sort=False,
                 color=[review.STATUS_COLORS[c] for c in counts.columns])


main()
