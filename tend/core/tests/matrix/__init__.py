"""The rows of tend/core/tests/test_authorization_matrix.py, one module per part of Tend.

``base`` has the personas, ``Row`` and the usual expectations (``page()``, ``owned()``, ...);
each ``rows_<part>`` module one list of rows, or two. ``TABLE`` in the test joins the lists in the
order they run: some rows change what a later row finds.
"""
