"""Django app: surveys, their sites, scan jobs, findings, manual assessment, review and audit."""
