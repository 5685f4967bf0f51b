"""Indicatoren: any indicator by region, period and group; two indicators compared; downloads.

The whole selection lives in the URL (bound widgets keep the option's label there), so a
copied link opens the same view. Sections: ``monitor/indicatoren_view.py``; logic: ``monitor/explorer.py``.
"""

from monitor import indicatoren_view, ui

ui.ensure_app_navigation()
indicatoren_view.main()
