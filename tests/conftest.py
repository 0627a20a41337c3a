"""The test harness's plugins (tests/harness/, one job each) and the fixtures tests share.

(`fast_start`, which must load before nbval, is named in pyproject's addopts instead.)

- `offline`: no network connection leaves this machine, in the test process and in every notebook kernel;
- `order`: the notebooks run in a shuffled order (COURSE_ORDER_SEED=N repeats one);
- `rerun`: every notebook code cell runs twice, both runs compared with the committed output;
- `notebook_checks`: after its last cell, each notebook's kernel moves every slider and checks every solution
  (with `--explorer-memory`, it also runs every explorer cell 10 times more, its memory measured);
- `repository_guard`: the run must not write into the repository;
- `summary`: what ran, at the end;
- `colab_optin`: the Colab test runs only when `-m` names it;
- `fixtures`: the fixtures tests share (the vending explorer).
"""

from __future__ import annotations

pytest_plugins = [
    "tests.harness.offline",
    "tests.harness.order",
    "tests.harness.rerun",
    "tests.harness.notebook_checks",
    "tests.harness.repository_guard",
    "tests.harness.summary",
    "tests.harness.colab_optin",
    "tests.harness.fixtures",
]
