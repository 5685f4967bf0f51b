"""Over → Toegankelijkheid: the verklaring drawn from the tests' results."""

from __future__ import annotations

from monitor.views import toegankelijkheid
from tests.pages.app import open_page


def test_the_page_shows_the_status_and_every_checked_state():
    at = open_page("toegankelijkheid")
    results = toegankelijkheid.load_results()
    view = toegankelijkheid.build_toegankelijkheid(results, toegankelijkheid.load_statement())
    assert at.title[0].value == "Toegankelijkheid"
    assert any(h.value == f"Status: {view.status}" for h in at.subheader)
    assert at.success and "Geen enkele overtreding" in at.success[0].value
    table = at.table[0].value
    assert len(table) == len(results["toestanden"]) >= 20
    assert "Projectdetail met de formulieren van een redacteur" in table.index
    assert table.index.name == "Pagina of toestand" and list(table.columns) == ["Adres", "Overtredingen"]
    assert table["Overtredingen"].tolist() == [0] * len(table) and table["Adres"].str.startswith("/").all()
    text = " ".join(m.value for m in at.markdown)
    assert "nog niet – gepland vóór 31 maart 2027" in text and "Contact" in " ".join(h.value for h in at.subheader)
