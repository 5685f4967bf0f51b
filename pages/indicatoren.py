"""Indicatoren: any indicator by region, period and group; two indicators compared; downloads.

The whole selection lives in the URL (bound widgets keep the option's label there), so a
copied link opens the same view. Sections: ``ui/indicatoren_view.py``; logic: ``monitor/views/explorer.py``.
"""

from ui import indicatoren_view, shell as ui

ui.ensure_app_navigation()
indicatoren_view.main()
