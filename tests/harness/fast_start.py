"""Loaded before pytest's other plugins (`-p tests.harness.fast_start` in pyproject's addopts): each test
process starts about 0.8 s sooner.

nbval imports nbformat, which imports jsonschema, which imports `rfc3987_syntax` when it is installed
(jupyter_events asks for it) and builds an Earley parser for RFC 3987 addresses at import: 0.77 s measured
here, paid by pytest's controlling process and by each worker. Only jsonschema's "iri" and
"iri-reference" format checks use it, and no notebook schema asks for them; marking the module as absent
makes jsonschema skip those two checks, as it does on any machine without the package.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "not installed" to importers
