"""Identity and security audit (等保 2.0 身份鉴别 / 安全审计): password rules, login failure lockout,
the second factor (TOTP), the source address of a request, and the administrators' security pages.

The audit entries themselves are govsite.surveys.audit's (one append-only log); this app records the
login, lockout, unlock, second-factor and permission events into it and registers their names.
"""
