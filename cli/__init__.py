"""The ``glossator`` command line: one module per area, thin over :mod:`annotate`."""
