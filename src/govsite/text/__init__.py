"""Chinese text tools used by the checks: dates, lexicons, typos, personal data."""
