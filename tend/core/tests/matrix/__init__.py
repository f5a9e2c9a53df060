"""The rows of tend/core/tests/test_authorization_matrix.py, one data table (``rows``).

``base`` has the personas, ``Row`` and the usual expectations (``page()``, ``owned()``, ...);
``rows`` a list of rows (or two) per part of Tend. ``TABLE`` in the test joins the lists in the
order they run: some rows change what a later row finds.
"""
