"""Exports of tables and figures for download (CSV as Dutch Excel opens it, XLSX)."""
