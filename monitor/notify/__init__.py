"""E-mail from the monitor: reminders to owners and the digest to followers (``python -m
monitor herinneringen``). SMTP settings come from the secrets' ``[smtp]`` table
(:mod:`monitor.notify.smtp`), what was sent is kept in an append-only ledger
(:mod:`monitor.notify.ledger`), the messages are built in :mod:`monitor.notify.messages`."""
