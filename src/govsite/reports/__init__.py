"""Reports: tables, analysis and renderers (terminal, CSV, XLSX; HTML and PDF later).

`tables` holds the format-neutral `Table` and its CSV/XLSX writers;
`scores` turns scoring results into tables. Plain Python, no Django.
"""
