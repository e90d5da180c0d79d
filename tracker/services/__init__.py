"""Rules over a Session. Services flush, never commit: the caller's boundary commits once."""
