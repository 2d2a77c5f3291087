"""The benchmark is a script for `nox -s bench`, not a test: keep pytest out of it.

`nox -s tests` passes `--doctest-modules`, which would otherwise import it as a module.
"""

collect_ignore = ["site_bench.py"]
