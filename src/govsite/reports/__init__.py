"""Reports: what a survey's data says, drawn for people (HTML, PDF, XLSX).

survey.py    reads a survey definition (YAML) and loads its groups' scores and scans
analysis.py  the figures of the report's 第六/七章, as pure functions
narrative.py the Chinese sentences, generated from those figures
charts.py, figures.py  inline SVG charts
html.py, workbook.py, build.py  renderers and the `govsite report` entry point
pdf.py       the HTML laid out on A4 pages by WeasyPrint (templates/print_css.html: the print stylesheet)
tables.py    the format-neutral Table and its CSV/XLSX writers; scores.py: score results as tables
Plain Python, no Django.
"""
