"""The test harness as pytest plugins, one job each (registered by tests/conftest.py), and `in_kernel`, the code
the notebooks' kernels run for the checks injected after a notebook's last cell."""
