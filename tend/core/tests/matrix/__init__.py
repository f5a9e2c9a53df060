"""The rows of tend/core/tests/test_authorization_matrix.py, one module per part of Tend."""
