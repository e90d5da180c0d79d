"""Rules over a Session. Services flush, never commit: the caller's boundary commits once."""

# Register the data version's write events for every Session that services use.
from tracker.services import data_version as _data_version  # noqa: E402, F401
