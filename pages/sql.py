"""SQL: analysts run one read-only SELECT on the curated tables (rules in monitor/data/sandbox.py)."""

import pandas as pd
import streamlit as st

from monitor.data import sandbox, sql_results
from monitor.domain.text import format_number, md_literal
from monitor.views.bronnen import load_sources
from ui import downloads, shell

RESULT_KEY = "sql_resultaat"   # (sql, SandboxResult | None, SandboxError | None) of the last run
RUN_KEY = "sql_uitvoeren"      # set by the example picker: run the filled-in query at once
OPENED_KEY = "sql_geopend"     # the page has run before in this session
ERROR_TITLES = {
    "syntax": "Syntaxfout",
    "verboden": "Niet toegestaan",
    "tijdslimiet": "Tijdslimiet",
    "geheugen": "Te veel geheugen",
    "bezet": "Even geduld",
    "fout": "Fout in de query",
}

sandbox.prepare()
st.title("SQL")
st.markdown(
    "Stel je eigen vraag aan de tabellen van de monitor. Eén `SELECT` (of `WITH … SELECT`) per keer, "
    f"alleen lezen; hoogstens {format_number(sandbox.MAX_ROWS)} rijen, na "
    f"{format_number(sandbox.TIMEOUT_S)} seconden of {format_number(sandbox.WORKER_MEMORY_MB)} MB geheugen "
    "wordt een query gestopt. De query draait in een apart rekenproces; bestanden, netwerk en "
    "instellingen zijn afgesloten. De tabellen en hun kolommen staan naast het invoerveld."
)

examples = {example.title: example for example in sandbox.examples()}


def _pick_example() -> None:
    title = st.session_state.get("sql_voorbeeld")
    if title in examples:
        st.session_state["sql"] = examples[title].sql
        st.session_state[RUN_KEY] = True


editor, schema = st.columns([3, 2], gap="large")

with editor:
    chosen = st.selectbox("Voorbeeldquery", [None, *examples], key="sql_voorbeeld", on_change=_pick_example,
                          format_func=lambda t: "Kies een voorbeeld…" if t is None else t)
    if chosen:
        st.caption(md_literal(examples[chosen].description))
    # The query lives in the URL (?sql=…): a copied link opens and runs the same query.
    sql = st.text_area("SQL-query", key="sql", height=260, bind="query-params",
                       placeholder="select * from regions") or ""
    clicked = st.button("Uitvoeren", type="primary", icon=":material/play_arrow:")

with schema:
    st.subheader("Tabellen en kolommen")
    st.caption("Het datacontract (datasets/README.md): elke tabel die een query kan lezen, met type en "
               "betekenis van elke kolom.")
    # A box of its own height: the result below uses the page's full width.
    with st.container(height=360, border=False):
        for table, columns in sandbox.schema_doc().items():
            with st.expander(f"{table} · {len(columns)} kolommen"):
                shell.table(pd.DataFrame([(c, t, m.replace("`", "")) for c, t, m in columns],
                                      columns=["Kolom", "Type", "Betekenis"]), hide_index=True)

# A link with ?sql=… runs its query when the page is opened; after that only the button runs.
opened = OPENED_KEY not in st.session_state
st.session_state[OPENED_KEY] = True
last = st.session_state.get(RESULT_KEY)
run = clicked or st.session_state.pop(RUN_KEY, False) or (opened and bool(sql.strip()))
if run:
    try:
        result = sandbox.run_select(sql)
        last = (sql, result, None, sql_results.display_frame(result.frame))
    except sandbox.SandboxError as error:
        last = (sql, None, error, None)
    st.session_state[RESULT_KEY] = last

# The result, full width under the editor and the schema.
if last is not None:
    ran_sql, result, error, shown = last
    st.subheader("Resultaat")
    if ran_sql != sql:
        st.info("Hieronder staat het resultaat van de vorige query; klik op **Uitvoeren** voor de nieuwe.")
    if error is not None:
        title = ERROR_TITLES[error.kind]
        # The message may quote the query (from the URL: anyone's link): text, never Markdown.
        message = md_literal(error.message)
        text = message if error.message.startswith(title) else f"**{title}.** {message}"
        st.error(text, icon=":material/error:")
        excerpt = sandbox.error_excerpt(ran_sql, error.line, error.column)
        if excerpt:
            st.code(excerpt, language=None)
        if error.detail and error.kind in ("syntax", "fout"):
            st.caption(f"Melding van DuckDB: {md_literal(error.detail.splitlines()[0][:300])}")
    else:
        frame = result.frame
        if result.truncated:
            st.warning(f"**{result.message}.** De query leverde meer rijen op; voeg een `where`, "
                       "`group by` of `limit` toe voor een volledig resultaat.", icon=":material/content_cut:")
        for note in result.notes:
            st.info(md_literal(note), icon=":material/info:")
        st.caption(f"{sandbox.row_count_text(len(frame))}"
                   f"{' (afgekapt)' if result.truncated else ''} · {format_number(result.elapsed_s, 2)} s · "
                   "getallen in Nederlandse notatie, – is een lege waarde")
        st.dataframe(shown, hide_index=True, width="stretch")
        footer = sandbox.result_footer(frame, load_sources(), ran_sql)
        if sandbox.SAMPLE_LINE in footer:
            shell.sample_banner("dit resultaat bevat gegenereerde cijfers (kolom is_sample), geen echte cijfers.")
        downloads.table_downloads(frame, lambda: footer, "sql-resultaat", "Resultaat",
                                  "SQL-resultaat, Twentse Koers Monitor", key_prefix="sql_")
        st.caption(md_literal(" · ".join(footer[:-1])))
