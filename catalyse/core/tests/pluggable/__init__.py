"""A test-only app that plugs itself in from its ready(): moderated, in the GDPR export, in load_demo and generate.

Installed only by `catalyse/settings_test.py`; it proves that a new app needs no edit of accounts or core.
"""
