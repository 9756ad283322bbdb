"""Reports: what a survey's data says, drawn for people (HTML, PDF, XLSX).

The flow is one way: survey data → analysis → renderers → writer.

survey.py    reads a survey definition (YAML) and loads its groups' scores and scans (example.py: a generated one)
analysis.py  the figures of the report's 第六/七章, as pure functions
narrative.py the Chinese sentences, generated from those figures
build.py     `analyse`: one SurveyAnalysis (every figure and sentence) for the renderers
charts.py, figures.py  inline SVG charts
html.py, workbook.py  renderers
pdf.py       the HTML laid out on A4 pages by WeasyPrint (templates/print_css.html: the print stylesheet)
writer.py    `write_report`: the files of `govsite report` and of the web app's downloads
tables.py    the format-neutral Table and its CSV/XLSX writers; scores.py: score results as tables
Plain Python, no Django.
"""
