"""Django app: the rectification loop (问题发现 → 整改 → 复核) built on findings."""
