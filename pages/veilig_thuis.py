"""Veilig Thuis: adviezen, meldingen, onderzoeken en overdrachten per gemeente en halfjaar.

Only protected figures: every query reads the view ``vt_reports_protected`` (rounded counts,
small and revealing cells suppressed). The choices live in the URL (bound widgets keep the
option's label there). Sections: ``ui/veilig_thuis_view.py``; words, labels, sentences and the
table: ``monitor/views/veilig_thuis.py``; charts: ``monitor/charts/veilig_thuis.py``.
"""

from ui import shell as ui, veilig_thuis_view

ui.ensure_app_navigation()
veilig_thuis_view.main()
