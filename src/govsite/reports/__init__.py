"""Reports: what a survey's data says, drawn for people (HTML, XLSX; PDF next).

survey.py    reads a survey definition (YAML) and loads its groups' scores and scans
analysis.py  the figures of the report's 第六/七章, as pure functions
narrative.py the Chinese sentences, generated from those figures
charts.py, figures.py  inline SVG charts
html.py, workbook.py, build.py  renderers and the `govsite report` entry point
tables.py    the format-neutral Table and its CSV/XLSX writers; scores.py: score results as tables
Plain Python, no Django.
"""
