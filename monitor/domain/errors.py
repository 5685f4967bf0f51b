"""The base of every error shown to users as it is (Dutch, naming file, row and column where known).

In the domain (the bottom layer) so a domain rule can raise one; ``monitor.data.errors`` builds
the data layer's errors on it.
"""


class MonitorError(Exception):
    """Base class for errors shown to users as they are."""
