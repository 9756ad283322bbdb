"""Crawling: the Scrapy spider, fetch policy, page analysis and the WARC archive.

Produces FetchRecord/PageRecord (records.py) for the checks; never judges.
"""
